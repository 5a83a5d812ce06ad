namespace DataCenterTwin.Model.Compute;

/// <summary>
/// How far into its decode step the replica least outstanding work picks is, as a share of the step.
/// A replica's outstanding tokens fall only at its decode boundaries (by its batch), so the least-work
/// replica is mostly one that has just crossed a boundary: the joiner then waits nearly a whole step,
/// not half of one. Request level, the metro chat pool alone (DGX-H100, least work) at 2.19 requests/s
/// a replica, 20 minutes: a joiner's TTFT beyond its own prefill is 28.7 ms on average with 192
/// replicas, 30.5 with 384, 32.4 with 960 and 33.4 ms with 1,920, of a decode step of about 36.5 ms.
/// <para>
/// The model: m = joins per decode step (the pool's arrival rate that joins busy replicas times the
/// step). A steady state needs the pool's work to fall through any level as fast as arrivals lift it,
/// so the replicas within one batch's drop of the least are m. A replica whose boundary takes it
/// below the least lands a uniform share g of a drop under the level it fell through, with the
/// K ~ Poisson(m·g) replicas still below it; while it waits, arrivals take the lowest at rate m a step
/// and other replicas' boundaries put one more below it at rate m: K is a critical random walk, and the
/// replica is taken when an arrival finds K = 0. If that takes a whole step its next boundary drops it
/// below every other, and it waits from K = 0 again. The walk's first passage from j to below 0 with
/// x = 2m·t steps expected is P(T_j ≤ t) = c_j + 2·Σ_{k>j} c_k, c_k = e^(−x)·I_k(x) (reflection), and
/// J = K + 1 has P(J = j) = P(Poisson(m) ≥ j)/m, so the age a (share of the step) has
/// P(a ≤ t) = F_J(t) + (1 − F_J(1))·F_1(t)/F_1(1). With m → 0 it is uniform (the rest of the step
/// at random, as an arrival at a random time sees); a direct simulation of replicas under least work
/// (LeastWorkJoinAgeTests) gives a mean age 9 % above it at m = 15 and 7 % at m = 150.
/// </para>
/// </summary>
internal static class LeastWorkJoinAge
{
    /// <summary>Equal-probability shares the age is drawn as.</summary>
    public const int Points = 8;

    // The table over log2 m, computed per cell on first use: the distribution depends on m alone.
    private const double MinLog2 = -10, MaxLog2 = 14, CellsPerOctave = 8;
    private const int Cells = (int)((MaxLog2 - MinLog2) * CellsPerOctave) + 1;
    private static readonly double[]?[] s_cells = new double[Cells][];

    // Ages at which the distribution is evaluated, (k/K)², dense near 0 where large m puts them.
    private const int AgeGrid = 256;

    /// <summary>
    /// Writes the mean age (share of the step) within each of <see cref="Points"/> equal-probability
    /// shares, youngest first, for <paramref name="joinsPerStep"/> joins per decode step.
    /// </summary>
    public static void Shares(double joinsPerStep, Span<double> ages)
    {
        double m = Math.Max(0, joinsPerStep);
        if (!(m > 0))
        {
            for (int i = 0; i < Points; i++)
            {
                ages[i] = (i + 0.5) / Points;
            }

            return;
        }

        double at = (Math.Log2(Math.Max(m, Math.Pow(2, MinLog2))) - MinLog2) * CellsPerOctave;
        int lo = Math.Clamp((int)Math.Floor(at), 0, Cells - 1);
        int hi = Math.Min(lo + 1, Cells - 1);
        double w = Math.Clamp(at - lo, 0, 1);
        var a = Cell(lo);
        var b = Cell(hi);
        for (int i = 0; i < Points; i++)
        {
            ages[i] = a[i] + (w * (b[i] - a[i]));
        }
    }

    private static double[] Cell(int k) =>
        Volatile.Read(ref s_cells[k]) ?? (s_cells[k] = BinMeans(Math.Pow(2, MinLog2 + (k / CellsPerOctave))));

    /// <summary>P(age ≤ <paramref name="t"/>), the age a share of the decode step, at <paramref name="m"/> joins per step.</summary>
    public static double Cdf(double m, double t)
    {
        if (!(m > 0))
        {
            return Math.Clamp(t, 0, 1);
        }

        if (t >= 1)
        {
            return 1;
        }

        var weights = StartWeights(m);
        var (fJ1, f11) = PassageAt(m, 1, weights);
        var (fJ, f1) = PassageAt(m, Math.Max(0, t), weights);
        return fJ + ((1 - fJ1) * f1 / f11);
    }

    /// <summary>The mean age within each equal-probability share, youngest first, at <paramref name="m"/> joins per step.</summary>
    internal static double[] BinMeans(double m)
    {
        var means = new double[Points];
        if (!(m > 0))
        {
            for (int i = 0; i < Points; i++)
            {
                means[i] = (i + 0.5) / Points;
            }

            return means;
        }

        var weights = StartWeights(m);
        var (fJ1, f11) = PassageAt(m, 1, weights);
        var ts = new double[AgeGrid + 1];
        var cdf = new double[AgeGrid + 1];
        for (int k = 1; k <= AgeGrid; k++)
        {
            double t = (double)k / AgeGrid;
            ts[k] = t * t;
            var (fJ, f1) = k == AgeGrid ? (fJ1, f11) : PassageAt(m, ts[k], weights);
            cdf[k] = Math.Max(cdf[k - 1], fJ + ((1 - fJ1) * f1 / f11));
        }

        cdf[AgeGrid] = 1;

        // The age's quantile function is piecewise linear between grid points; each share's mean is its integral over the share.
        for (int k = 0; k < AgeGrid; k++)
        {
            double g0 = cdf[k], g1 = cdf[k + 1];
            if (!(g1 > g0))
            {
                continue;
            }

            for (int i = (int)Math.Floor(g0 * Points); i < Points && i < g1 * Points; i++)
            {
                double pLo = Math.Max(g0, (double)i / Points), pHi = Math.Min(g1, (double)(i + 1) / Points);
                if (pHi <= pLo)
                {
                    continue;
                }

                double mid = (pLo + pHi) / 2;
                double age = ts[k] + ((mid - g0) / (g1 - g0) * (ts[k + 1] - ts[k]));
                means[i] += (pHi - pLo) * Points * age;
            }
        }

        return means;
    }

    // P(J = j) for j = 1, 2, …: P(Poisson(m) ≥ j)/m (the Poisson(m·g) count below, g uniform, plus the replica itself).
    private static double[] StartWeights(double m)
    {
        int top = (int)Math.Ceiling(m + (12 * Math.Sqrt(m)) + 30);
        int mode = (int)Math.Floor(m);

        // Poisson(m) from its mode out, normalised by the sum (e^(−m) underflows for large m).
        var pmf = new double[top + 2];
        pmf[Math.Min(mode, top + 1)] = 1;
        for (int k = mode + 1; k <= top + 1; k++)
        {
            pmf[k] = pmf[k - 1] * m / k;
        }

        for (int k = Math.Min(mode, top + 1); k > 0; k--)
        {
            pmf[k - 1] = pmf[k] * k / m;
        }

        double sum = 0;
        foreach (double p in pmf)
        {
            sum += p;
        }

        var weights = new double[top + 1];
        double tail = 0;
        for (int j = top + 1; j >= 1; j--)
        {
            tail += pmf[j] / sum;
            if (j <= top)
            {
                weights[j] = tail / m;
            }
        }

        return weights;
    }

    // F_J(t) = Σ_j P(J = j)·P(T_j ≤ t) and F_1(t), the critical walk making 2m·t steps expected.
    private static (double FJ, double F1) PassageAt(double m, double t, double[] weights)
    {
        double x = 2 * m * t;
        if (!(x > 0))
        {
            return (0, 0);
        }

        int top = weights.Length - 1;
        var c = BesselShares(x, top + 1);
        double fJ = 0, tail = 0;
        for (int j = c.Length - 1; j >= 1; j--)
        {
            // tail = Σ_{k>j} c_k
            double f = c[j] + (2 * tail);
            if (j <= top)
            {
                fJ += weights[j] * f;
            }

            tail += c[j];
        }

        double f1 = c.Length > 1 ? c[1] + (2 * (tail - c[1])) : 0;
        return (fJ, Math.Max(f1, 1e-300));
    }

    // c_k = e^(−x)·I_k(x), k = 0 … (as far as they are not nil), by Miller's backward recurrence
    // I_{k−1} = I_{k+1} + (2k/x)·I_k from far above, normalised by c_0 + 2·Σ_{k≥1} c_k = 1 (Σ over all k of I_k(x) = e^x).
    private static double[] BesselShares(double x, int need)
    {
        int start = (int)Math.Ceiling(x + (14 * Math.Sqrt(x)) + 40);
        int count = Math.Min(need, start) + 1;
        var c = new double[count];
        double next = 0, cur = 1e-280, sum = 0;
        for (int k = start; k >= 1; k--)
        {
            double prev = next + (2.0 * k / x * cur);
            sum += 2 * cur;
            next = cur;
            cur = prev;
            if (k - 1 < count)
            {
                c[k - 1] = cur;
            }

            if (cur > 1e250)
            {
                for (int i = k - 1; i < count; i++)
                {
                    c[i] *= 1e-250;
                }

                cur *= 1e-250;
                next *= 1e-250;
                sum *= 1e-250;
            }
        }

        double norm = sum + cur;
        for (int i = 0; i < count; i++)
        {
            c[i] /= norm;
        }

        return c;
    }
}
