namespace DataCenterTwin.Model.Compute;

/// <summary>
/// How the fluid hall turns one step's mean solution into a latency distribution. Two things make
/// the tails the request-level hall sees and a mean-field solution misses:
/// <list type="bullet">
/// <item>Token lengths. A class's prompt and output lengths are represented by probability strata
/// that are narrow in the upper tail (the 99th percentile of TTFT follows the 99th percentile
/// prompt, of end-to-end latency the 99th percentile output); sixteen equal strata put the highest
/// point at the 97th percentile, below the p99 the SLO and the table ask about.</item>
/// <item>Prefill interruptions. A decoding request waits for every prefill batch its replica runs
/// while it decodes; their number over its m iterations is Poisson with mean m·q (in runs, and more
/// often at its first iteration, which follows its own prefill: <see cref="TpotPoints"/>), q the
/// interruptions per iteration that make the mean time per token. Short outputs that meet one or
/// two prefills have a time per token several times the mean: that is the TPOT tail.</item>
/// <item>Waiting for a batch slot. Where a pool's running batches are nearly full, a request waits
/// for a slot with the probability C of Erlang's C formula, and then for an exponential time
/// (M/M/c: P(W &gt; t) = C·e^(−(c − a)t/h), a the offered slots, h the holding time; Kleinrock,
/// Queueing Systems vol. 1, 1975, eq. 3.40). Taking every request's wait as the mean C·h/(c − a)
/// lifts the median and cuts the 99th percentile; the distribution is kept instead.</item>
/// </list>
/// </summary>
public static class FluidLatency
{
    // Strata of the conditional exponential wait in probability: the upper tail narrow, as for the tokens.
    private static readonly double[] s_waitBounds = [0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0];

    /// <summary>Most slot-wait points <see cref="SlotWaitPoints"/> writes.</summary>
    public static int MaxWaitPoints => s_waitBounds.Length + 1;

    /// <summary>
    /// The wait for a batch slot as points and probabilities: none with probability 1 − <paramref name="waitProbability"/>;
    /// otherwise exponential with mean <paramref name="conditionalMeanS"/>, each probability stratum at its
    /// conditional mean (so the overall mean is kept exactly). Writes into the spans; returns the count.
    /// </summary>
    public static int SlotWaitPoints(double waitProbability, double conditionalMeanS, Span<double> waitS, Span<double> probability)
    {
        double c = Math.Clamp(waitProbability, 0, 1);
        if (c < 1e-6 || !(conditionalMeanS > 0))
        {
            waitS[0] = c * Math.Max(0, conditionalMeanS);
            probability[0] = 1;
            return 1;
        }

        int n = 0;
        if (c < 1)
        {
            waitS[n] = 0;
            probability[n++] = 1 - c;
        }

        double lo = 0, xLo = 0;
        foreach (double hi in s_waitBounds)
        {
            double xHi = hi < 1 ? -Math.Log(1 - hi) : double.PositiveInfinity;

            // E[X | xLo < X < xHi] for X ~ Exp(1): 1 + (xLo·e^−xLo − xHi·e^−xHi) / (e^−xLo − e^−xHi).
            double eLo = Math.Exp(-xLo), eHi = double.IsInfinity(xHi) ? 0 : Math.Exp(-xHi);
            double upper = double.IsInfinity(xHi) ? 0 : xHi * eHi;
            waitS[n] = conditionalMeanS * (1 + (((xLo * eLo) - upper) / (eLo - eHi)));
            probability[n++] = c * (hi - lo);
            (lo, xLo) = (hi, xHi);
        }

        return n;
    }

    // Upper bounds of the strata in probability: even tenths up to 0.9, then ever narrower to 0.999.
    private static readonly double[] s_bounds =
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.96, 0.97, 0.975, 0.98, 0.984, 0.987, 0.99, 0.992, 0.994, 0.996, 0.998, 0.999, 1.0];

    /// <summary>Number of token-length strata.</summary>
    public static int StrataCount => s_bounds.Length;

    /// <summary>Probability weight of stratum <paramref name="i"/>.</summary>
    public static double StratumWeight(int i) => s_bounds[i] - (i == 0 ? 0 : s_bounds[i - 1]);

    /// <summary>The probability level that stands for stratum <paramref name="i"/> (its middle).</summary>
    public static double StratumLevel(int i) => ((i == 0 ? 0 : s_bounds[i - 1]) + s_bounds[i]) / 2;

    /// <summary>Most time-per-token points one output length is spread over.</summary>
    public const int MaxTpotPoints = 20;

    /// <summary>
    /// The time per output token of a request with <paramref name="decodeIterations"/> decode
    /// iterations, as points and probabilities: each iteration takes <paramref name="decodeS"/> (spread
    /// with variance <paramref name="decodeVarianceS2"/> over the batches a request may sit in), and the
    /// prefill batches that interrupt it (each <paramref name="prefillBatchS"/> on average, with squared
    /// coefficient of variation <paramref name="interruptionCv2"/>) come front-loaded and clustered as a
    /// replica's iterations run: a prefill is followed by
    /// another where a request joined during it (probability <paramref name="chainShare"/>), so
    /// interruptions come in runs of geometric length (mean 1/(1 − r)); and the request's first decode
    /// iteration follows its own prefill, which opens such a run with probability
    /// <paramref name="firstStallShare"/>. The runs at the other iterations start at
    /// <paramref name="runsPerIteration"/> each, so the count is the first run plus a Pólya–Aeppli
    /// (Poisson-stopped geometric) sum. The mean time per token is no longer the same at every length:
    /// short outputs carry their first run over few tokens, as request level shows (a code request of 4-7
    /// tokens stalls 57 ms, one of 36-39 tokens 0.29 s, at 90 requests/s on 64 replicas).
    /// Writes into the spans; returns the count.
    /// </summary>
    public static int TpotPoints(double decodeIterations, double decodeS, double prefillBatchS, double runsPerIteration, double chainShare, double firstStallShare, Span<double> tpotS, Span<double> probability, double interruptionCv2, double decodeVarianceS2 = 0)
    {
        double r = Math.Clamp(chainShare, 0, 0.95), r0 = Math.Clamp(firstStallShare, 0, 1);
        double c = Math.Max(0, runsPerIteration);
        double decodeVar = Math.Max(0, decodeVarianceS2);
        if (decodeIterations < 1 || prefillBatchS <= 0 || (c * decodeIterations) + r0 <= 1e-12)
        {
            return Interrupted(0, 1, decodeS, 0, 0, decodeVar, tpotS, probability, 0);
        }

        double cv2 = Math.Max(0, interruptionCv2);
        double step = prefillBatchS / decodeIterations;
        double mu = c * decodeIterations;
        double runMean = 1 / (1 - r);
        double meanCount = (r0 + mu) * runMean;
        if (meanCount > 3)
        {
            // Many interruptions: three points on the normal limit. A run's length G has E[G²] = (1 + r)/(1 − r)²;
            // the Pólya–Aeppli sum has variance μ·E[G²], the first run r0·E[G²] − (r0·E[G])²; each
            // interruption's length adds its own cv² per interruption.
            double g2 = (1 + r) * runMean * runMean;
            double countVar = (mu * g2) + (r0 * g2) - (r0 * r0 * runMean * runMean);
            double sd = Math.Sqrt((Math.Max(0, countVar + (meanCount * cv2)) * step * step) + decodeVar);
            double meanTpotS = decodeS + (meanCount * step);
            double root3 = Math.Sqrt(3);
            tpotS[0] = meanTpotS;
            probability[0] = 2.0 / 3;
            tpotS[1] = meanTpotS + (root3 * sd);
            probability[1] = 1.0 / 6;
            tpotS[2] = Math.Max(decodeS, meanTpotS - (root3 * sd));
            probability[2] = 1.0 / 6;
            return 3;
        }

        // Counts from 0 exactly until all but 5e-4 of the probability is placed (at most MaxCount), the
        // rest at its conditional mean: Panjer's recursion for the compound sum,
        // P(k) = (μ/k)·Σⱼ j·fⱼ·P(k − j), fⱼ = (1 − r)·r^(j−1), then the first run convolved on.
        Span<double> rest = stackalloc double[MaxCount];
        Span<double> f = stackalloc double[MaxCount];
        rest[0] = Math.Exp(-mu);
        int n = 0, k = 0;
        double cumulative = 0, fj = 1 - r;
        for (; k < MaxCount && cumulative < 0.9995; k++)
        {
            if (k > 0)
            {
                f[k] = fj;
                fj *= r;
                double sum = 0;
                for (int i = 1; i <= k; i++)
                {
                    sum += i * f[i] * rest[k - i];
                }

                rest[k] = mu / k * sum;
            }

            // P(first run = 0) = 1 − r0, P(first run = i ≥ 1) = r0·fᵢ.
            double p = (1 - r0) * rest[k];
            for (int i = 1; i <= k; i++)
            {
                p += r0 * f[i] * rest[k - i];
            }

            n = Interrupted(k, p, decodeS, step, cv2, decodeVar, tpotS, probability, n);
            cumulative += p;
        }

        // The rest of the tail (k interruptions or more), at its conditional mean count (the mean is kept).
        double tailP = Math.Max(0, 1 - cumulative);
        if (tailP > 1e-12)
        {
            double below = 0;
            for (int i = 0; i < n; i++)
            {
                below += probability[i] * (tpotS[i] - decodeS);
            }

            double tailTotal = Math.Max(k * step, ((meanCount * step) - below) / tailP);
            n = Interrupted(1, tailP, decodeS, tailTotal, cv2 / Math.Max(1, tailTotal / step), decodeVar, tpotS, probability, n);
        }

        return n;
    }

    // Counts written one by one by the clustered TpotPoints (each as up to two points).
    private const int MaxCount = 9;

    // n interruptions of random length: their total (mean n·step, variance n·cv²·step², plus the decode
    // step's own variance over batch sizes) as two points that keep both moments: ± one standard
    // deviation, or (where that would go below zero) none with probability q and the rest at
    // mean/(1 − q), q = σ²/(μ² + σ²). With the decode step's spread, ± one standard deviation, no lower than half the step.
    private static int Interrupted(int count, double p, double decodeS, double step, double cv2, double decodeVar, Span<double> tpotS, Span<double> probability, int at)
    {
        double mean = count * step;
        double sd = Math.Sqrt((count * cv2 * step * step) + decodeVar);
        if (decodeVar > 0)
        {
            sd = Math.Min(sd, mean + (decodeS / 2));
            tpotS[at] = decodeS + mean - sd;
            probability[at] = p / 2;
            tpotS[at + 1] = decodeS + mean + sd;
            probability[at + 1] = p / 2;
            return at + 2;
        }

        if (count == 0 || sd <= 1e-15)
        {
            tpotS[at] = decodeS + mean;
            probability[at] = p;
            return at + 1;
        }

        if (sd <= mean)
        {
            tpotS[at] = decodeS + mean - sd;
            probability[at] = p / 2;
            tpotS[at + 1] = decodeS + mean + sd;
            probability[at + 1] = p / 2;
            return at + 2;
        }

        double q = sd * sd / ((mean * mean) + (sd * sd));
        tpotS[at] = decodeS;
        probability[at] = p * q;
        tpotS[at + 1] = decodeS + (mean / (1 - q));
        probability[at + 1] = p * (1 - q);
        return at + 2;
    }
}
