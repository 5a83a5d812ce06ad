using DataCenterTwin.Calibration.Diagnostics;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Calibration.Sampling;

/// <summary>One parameter's posterior in numbers.</summary>
/// <param name="Name">Parameter name.</param>
/// <param name="Mean">Posterior mean.</param>
/// <param name="StandardDeviation">Posterior standard deviation.</param>
/// <param name="Q05">5 % quantile.</param>
/// <param name="Q50">Median.</param>
/// <param name="Q95">95 % quantile.</param>
/// <param name="Rhat">Split R-hat over the chains.</param>
/// <param name="EffectiveSampleSize">Effective sample size over the chains.</param>
public sealed record ParameterSummary(string Name, double Mean, double StandardDeviation, double Q05, double Q50, double Q95,
    double Rhat, double EffectiveSampleSize);

/// <summary>Draws of every chain, with their summaries and whether they may be called converged.</summary>
/// <param name="Names">Parameter names, in the order of the draws' columns.</param>
/// <param name="Chains">Each chain's result.</param>
/// <param name="Summaries">Per-parameter summaries.</param>
public sealed record PosteriorSamples(IReadOnlyList<string> Names, IReadOnlyList<ChainResult> Chains, IReadOnlyList<ParameterSummary> Summaries)
{
    /// <summary>Largest split R-hat.</summary>
    public double RhatMax => Summaries.Max(s => s.Rhat);

    /// <summary>Smallest effective sample size.</summary>
    public double EssMin => Summaries.Min(s => s.EffectiveSampleSize);

    /// <summary>
    /// Converged by the thresholds of Vehtari et al., "Rank-normalization, folding, and localization:
    /// an improved R-hat" (Bayesian Analysis, 2021): every R-hat below 1.01 and every ESS above 400.
    /// </summary>
    public bool Converged => RhatMax < 1.01 && EssMin > 400;

    /// <summary>Every kept draw of parameter <paramref name="index"/>, chain after chain.</summary>
    public double[] Pooled(int index) => [.. Chains.SelectMany(c => Column(c.Draws, index))];

    internal static double[] Column(double[,] draws, int index)
    {
        var column = new double[draws.GetLength(0)];
        for (int i = 0; i < column.Length; i++)
        {
            column[i] = draws[i, index];
        }

        return column;
    }
}

/// <summary>Samples a posterior with several adaptive Metropolis chains in parallel, started around the mode, the independence steps fitted to all their warm-ups.</summary>
public static class PosteriorSampler
{
    /// <summary>
    /// Runs <see cref="McmcOptions.Chains"/> chains from points drawn about <paramref name="start"/>'s mode
    /// (spread by its Laplace covariance, or by <paramref name="fallbackScales"/> where it has none).
    /// </summary>
    public static PosteriorSamples Sample(LogDensity logPosterior, IReadOnlyList<string> names, MapResult start, double[] fallbackScales, McmcOptions options)
    {
        int d = names.Count;
        var covariance = start.Covariance ?? Diagonal(fallbackScales);
        var proposal = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                proposal[i, j] = covariance[i, j] * 2.4 * 2.4 / d;
            }
        }

        var streams = new RandomStreams(options.Seed);
        var rngs = Enumerable.Range(0, options.Chains).Select(c => streams.For($"calibration/chain{c}")).ToArray();
        var starts = new double[options.Chains][];
        for (int c = 0; c < options.Chains; c++)
        {
            starts[c] = Overdispersed(logPosterior, start, covariance, rngs[c]);
        }

        // Warm-up on every core, then one independence proposal fitted to the second halves of all the
        // warm-ups together: where the likelihood is jagged (a twin's discrete staging makes small
        // steps in it) each chain settles in its own nook, and a proposal spanning all of them lets
        // every chain visit the others' at their posterior weight. The barrier between the phases
        // keeps the draws independent of scheduling: each chain still uses only its own stream.
        var sampler = new AdaptiveMetropolis(logPosterior, d, proposal) { IndependenceShare = options.IndependenceShare };
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism };
        var warmed = new ChainState[options.Chains];
        Parallel.For(0, options.Chains, parallel, c => warmed[c] = sampler.Warmup(starts[c], options.Warmup, rngs[c]));
        double[][] lateDraws = [.. warmed.SelectMany(w => w.LateDraws)];
        var results = new ChainResult[options.Chains];
        Parallel.For(0, options.Chains, parallel, c => results[c] = sampler.Sample(warmed[c], options.Draws, options.Thin, rngs[c], lateDraws));

        var summaries = new ParameterSummary[d];
        for (int i = 0; i < d; i++)
        {
            var chains = results.Select(r => PosteriorSamples.Column(r.Draws, i)).ToArray();
            var pooled = chains.SelectMany(x => x).Order().ToArray();
            double mean = pooled.Average();
            double sd = Math.Sqrt(pooled.Sum(x => (x - mean) * (x - mean)) / (pooled.Length - 1));
            summaries[i] = new ParameterSummary(names[i], mean, sd, Quantile(pooled, 0.05), Quantile(pooled, 0.5), Quantile(pooled, 0.95),
                Convergence.SplitRhat(chains), Convergence.EffectiveSampleSize(chains));
        }

        return new PosteriorSamples(names, results, summaries);
    }

    // Starts two Laplace standard deviations about the mode, so that R-hat can see chains that have
    // not mixed; a start with zero density falls back to the mode itself.
    private static double[] Overdispersed(LogDensity logPosterior, MapResult start, double[,] covariance, RandomStream rng)
    {
        var x = new double[start.Mode.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = start.Mode[i] + 2 * Math.Sqrt(covariance[i, i]) * rng.Normal(0, 1);
        }

        return double.IsFinite(logPosterior(x)) ? x : (double[])start.Mode.Clone();
    }

    private static double[,] Diagonal(double[] scales)
    {
        var c = new double[scales.Length, scales.Length];
        for (int i = 0; i < scales.Length; i++)
        {
            c[i, i] = scales[i] * scales[i];
        }

        return c;
    }

    // Linear interpolation between order statistics (Hyndman and Fan type 7, R's default).
    private static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
