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
/// while it decodes; their number over its m iterations is Poisson with mean m·q, q the
/// interruptions per iteration that make the mean time per token. Short outputs that meet one or
/// two prefills have a time per token several times the mean: that is the TPOT tail.</item>
/// </list>
/// </summary>
public static class FluidLatency
{
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
    public const int MaxTpotPoints = 10;

    /// <summary>
    /// The time per output token of a request with <paramref name="decodeIterations"/> decode
    /// iterations, as points and probabilities: each iteration takes <paramref name="decodeS"/>, and
    /// the prefill batches (each <paramref name="prefillBatchS"/>) that interrupt it arrive at the rate
    /// that makes the mean <paramref name="meanTpotS"/>. Writes into the spans; returns the count.
    /// </summary>
    public static int TpotPoints(double decodeIterations, double decodeS, double prefillBatchS, double meanTpotS, Span<double> tpotS, Span<double> probability)
    {
        double extraS = meanTpotS - decodeS;
        if (decodeIterations < 1 || extraS <= 1e-12 || prefillBatchS <= 0)
        {
            tpotS[0] = meanTpotS;
            probability[0] = 1;
            return 1;
        }

        double perIteration = extraS / prefillBatchS;
        double lambda = decodeIterations * perIteration;
        double step = prefillBatchS / decodeIterations;
        if (lambda > 3)
        {
            // Many interruptions: three-point Gauss–Hermite on the normal limit (mean, variance and kurtosis kept).
            double sd = Math.Sqrt(lambda) * step;
            double root3 = Math.Sqrt(3);
            tpotS[0] = meanTpotS;
            probability[0] = 2.0 / 3;
            tpotS[1] = meanTpotS + (root3 * sd);
            probability[1] = 1.0 / 6;
            tpotS[2] = Math.Max(decodeS, meanTpotS - (root3 * sd));
            probability[2] = 1.0 / 6;
            return 3;
        }

        double p = Math.Exp(-lambda), cumulative = 0;
        int n = 0;
        for (; n < MaxTpotPoints - 1 && cumulative < 0.9995; n++)
        {
            tpotS[n] = decodeS + (n * step);
            probability[n] = p;
            cumulative += p;
            p *= lambda / (n + 1);
        }

        // The rest of the Poisson tail, at the next count.
        tpotS[n] = decodeS + (n * step);
        probability[n] = Math.Max(0, 1 - cumulative);
        return n + 1;
    }
}
