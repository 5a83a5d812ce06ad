namespace DataCenterTwin.Calibration.Diagnostics;

/// <summary>
/// Convergence of several chains of one parameter: split R-hat and the effective sample size, as in
/// Gelman et al., Bayesian Data Analysis, 3rd ed., §11.4–11.5 (each chain split in half; the
/// autocorrelation summed over Geyer's initial positive sequence, made monotone).
/// </summary>
public static class Convergence
{
    /// <summary>Split R-hat of <paramref name="chains"/> (equal lengths, at least 4 draws each): near 1 when they agree.</summary>
    public static double SplitRhat(IReadOnlyList<double[]> chains)
    {
        var split = Split(chains);
        var (w, varPlus) = Variances(split);
        return w > 0 ? Math.Sqrt(varPlus / w) : double.NaN;
    }

    /// <summary>Effective sample size of all <paramref name="chains"/> together.</summary>
    public static double EffectiveSampleSize(IReadOnlyList<double[]> chains)
    {
        var split = Split(chains);
        int m = split.Count, n = split[0].Length;
        var (w, varPlus) = Variances(split);
        if (!(varPlus > 0))
        {
            return double.NaN;
        }

        var means = split.Select(c => c.Average()).ToArray();
        double Rho(int lag)
        {
            double meanAutocov = 0;
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                var c = split[j];
                for (int t = 0; t + lag < n; t++)
                {
                    s += (c[t] - means[j]) * (c[t + lag] - means[j]);
                }

                meanAutocov += s / n;
            }

            return 1 - (w - meanAutocov / m) / varPlus;
        }

        // τ = −1 + 2 Σ P_k, P_k = ρ_2k + ρ_2k+1 while positive and no larger than the one before.
        double tau = -1, previous = double.PositiveInfinity;
        for (int k = 0; 2 * k + 1 < n; k++)
        {
            double pair = Rho(2 * k) + Rho(2 * k + 1);
            if (pair <= 0)
            {
                break;
            }

            pair = Math.Min(pair, previous);
            tau += 2 * pair;
            previous = pair;
        }

        return m * n / Math.Max(tau, 1.0 / Math.Log10(Math.Max(m * n, 10)));
    }

    private static List<double[]> Split(IReadOnlyList<double[]> chains)
    {
        if (chains.Count == 0 || chains.Any(c => c.Length != chains[0].Length) || chains[0].Length < 4)
        {
            throw new ArgumentException("expected one or more chains of equal length, each at least 4 draws", nameof(chains));
        }

        int half = chains[0].Length / 2;
        var split = new List<double[]>(2 * chains.Count);
        foreach (var c in chains)
        {
            split.Add(c[..half]);
            split.Add(c[(c.Length - half)..]);
        }

        return split;
    }

    // W, the mean within-chain variance, and var⁺ = (n − 1)/n · W + B/n (BDA3 eq. 11.3).
    private static (double W, double VarPlus) Variances(List<double[]> chains)
    {
        int m = chains.Count, n = chains[0].Length;
        var means = chains.Select(c => c.Average()).ToArray();
        double grand = means.Average();
        double b = n / (m - 1.0) * means.Sum(x => (x - grand) * (x - grand));
        double w = 0;
        for (int j = 0; j < m; j++)
        {
            double s = 0;
            foreach (double x in chains[j])
            {
                s += (x - means[j]) * (x - means[j]);
            }

            w += s / (n - 1);
        }

        w /= m;
        return (w, (n - 1.0) / n * w + b / n);
    }
}
