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
/// <param name="RestartedChains">Chains found stranded on a negligible mode at the end of warm-up and restarted from the others' draws.</param>
public sealed record PosteriorSamples(IReadOnlyList<string> Names, IReadOnlyList<ChainResult> Chains, IReadOnlyList<ParameterSummary> Summaries,
    int RestartedChains = 0)
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

/// <summary>Samples a posterior with several chains in parallel, started around the mode: adaptive Metropolis with the independence steps fitted to all their warm-ups, or DE-MC_Z over a shared archive (<see cref="McmcOptions.Sampler"/>).</summary>
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

        ChainResult[] results;
        int restarted;
        if (options.Sampler == McmcSampler.DifferentialEvolution)
        {
            (results, restarted) = DifferentialEvolution(logPosterior, start, covariance, starts, options, streams, rngs);
        }
        else
        {
            // Warm-up on every core, then one independence proposal fitted to the second halves of all the
            // warm-ups together: where the likelihood is jagged (a twin's discrete staging makes small
            // steps in it) each chain settles in its own nook, and a proposal spanning all of them lets
            // every chain visit the others' at their posterior weight. The barrier between the phases
            // keeps the draws independent of scheduling: each chain still uses only its own stream.
            var sampler = new AdaptiveMetropolis(logPosterior, d, proposal) { IndependenceShare = options.IndependenceShare };
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism };
            var warmed = new ChainState[options.Chains];
            Parallel.For(0, options.Chains, parallel, c => warmed[c] = sampler.Warmup(starts[c], options.Warmup, rngs[c]));
            restarted = RestartStranded(warmed, options.StrandedLogDensityGap, rngs);
            double[][] lateDraws = [.. warmed.SelectMany(w => w.LateDraws)];
            results = new ChainResult[options.Chains];
            Parallel.For(0, options.Chains, parallel, c => results[c] = sampler.Sample(warmed[c], options.Draws, options.Thin, rngs[c], lateDraws));
        }

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

        return new PosteriorSamples(names, results, summaries, restarted);
    }

    // DE-MC_Z from the same overdispersed starts, its initial archive 10·d states drawn from the
    // Laplace approximation at twice its sd (ter Braak and Vrugt 2008 draw M₀ = 10·d from the prior;
    // the Laplace fit is the better-scaled start where the prior is far wider than the posterior,
    // and its full covariance puts the first differences along a ridge already). The jitter is a
    // thousandth of each Laplace sd.
    private static (ChainResult[] Results, int Restarted) DifferentialEvolution(LogDensity logPosterior, MapResult start, double[,] covariance,
        double[][] starts, McmcOptions options, RandomStreams streams, RandomStream[] rngs)
    {
        int d = start.Mode.Length;
        var rng = streams.For("calibration/archive");
        var chol = LowerCholesky(covariance);
        var archive = new double[10 * d][];
        for (int k = 0; k < archive.Length; k++)
        {
            var x = new double[d];
            // A state of zero density (outside a bounded prior) is drawn again, a few times, then the mode stands in.
            for (int attempt = 0; attempt < 20; attempt++)
            {
                var z = new double[d];
                for (int i = 0; i < d; i++)
                {
                    z[i] = rng.Normal(0, 1);
                }

                for (int i = 0; i < d; i++)
                {
                    double s = 0;
                    for (int j = 0; j <= i; j++)
                    {
                        s += chol[i, j] * z[j];
                    }

                    x[i] = start.Mode[i] + 2 * s;
                }

                if (double.IsFinite(logPosterior(x)))
                {
                    break;
                }

                Array.Copy(start.Mode, x, d);
            }

            archive[k] = x;
        }

        var jitter = new double[d];
        for (int i = 0; i < d; i++)
        {
            jitter[i] = 1e-3 * Math.Sqrt(covariance[i, i]);
        }

        var sampler = new DifferentialEvolutionSampler(logPosterior, d, jitter);
        var run = sampler.Run(starts, archive, options.Warmup, options.Draws, options.Thin, rngs, options.MaxParallelism, options.StrandedLogDensityGap);
        return ([.. run.Chains], run.RestartedChains);
    }

    // Lower Cholesky factor of a covariance, or of its diagonal where it is not positive definite.
    private static double[,] LowerCholesky(double[,] covariance)
    {
        int d = covariance.GetLength(0);
        var l = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            double s = covariance[j, j];
            for (int k = 0; k < j; k++)
            {
                s -= l[j, k] * l[j, k];
            }

            if (!(s > 0))
            {
                Array.Clear(l);
                for (int i = 0; i < d; i++)
                {
                    l[i, i] = Math.Sqrt(Math.Max(covariance[i, i], 0));
                }

                return l;
            }

            l[j, j] = Math.Sqrt(s);
            for (int i = j + 1; i < d; i++)
            {
                double t = covariance[i, j];
                for (int k = 0; k < j; k++)
                {
                    t -= l[i, k] * l[j, k];
                }

                l[i, j] = t / l[j, j];
            }
        }

        return l;
    }

    /// <summary>
    /// Restarts, in place, every chain whose mean log posterior over its late warm-up lies more than
    /// <paramref name="gap"/> below the best chain's: it takes the state, adapted proposal and late
    /// draws of one of the chains that are not stranded, at one of their late warm-up draws picked
    /// with its own stream. Returns how many were restarted.
    /// </summary>
    /// <remarks>
    /// The twin's likelihood is a mosaic of plateaus: a staging decision (a chiller starting, the
    /// economiser switching) that moves by one control step changes one interval by tens of kW, so
    /// along a ridge of the posterior (tower approach against supply temperature) the log posterior
    /// drops by a hundred or more at each such step. A chain started on a neighbouring plateau climbs
    /// to its own plateau's top and stays: a random walk cannot cross a cliff it would have to climb
    /// down first, and R-hat then measures where the chains started rather than the posterior. A mode
    /// whose density is e^−10 of the best one's holds a negligible share of the mass unless it is far
    /// wider, so such a chain is moved to where the others are, as DREAM's outlier-chain step does
    /// (Vrugt et al., "Accelerating Markov chain Monte Carlo simulation by differential evolution with
    /// self-adaptive randomized subspace sampling", IJNSNS 10(3), 2009, §3, the chains' mean log
    /// density over the last half of the burn-in against the others'), here with a fixed gap rather
    /// than the interquartile rule, which four chains cannot estimate. It happens in warm-up only, so
    /// the kept draws still come from one fixed kernel; R-hat over the kept draws still fails where
    /// modes of comparable weight are not mixed.
    /// </remarks>
    public static int RestartStranded(ChainState[] warmed, double gap, IReadOnlyList<RandomStream> rngs)
    {
        double best = warmed.Max(w => w.LateMeanLogDensity);
        if (!double.IsFinite(best) || !(gap < double.PositiveInfinity))
        {
            return 0;
        }

        var donors = warmed.Where(w => w.LateMeanLogDensity >= best - gap).ToArray();
        int restarted = 0;
        for (int c = 0; c < warmed.Length; c++)
        {
            if (warmed[c].LateMeanLogDensity >= best - gap)
            {
                continue;
            }

            // The donor and its draw come from the stranded chain's own stream: the same restart whatever the scheduling.
            var donor = donors[(int)(rngs[c].NextDouble() * donors.Length) % donors.Length];
            int at = (int)(rngs[c].NextDouble() * donor.LateDraws.Count) % donor.LateDraws.Count;
            // Its own late draws are dropped, not replaced by the donor's: the independence proposal is
            // fitted to the pooled late draws, and those of a negligible mode would only widen it.
            warmed[c] = donor with
            {
                Theta = (double[])donor.LateDraws[at].Clone(), LogDensity = donor.LateLogDensities[at],
                LateDraws = [], LateLogDensities = [], Evaluations = warmed[c].Evaluations,
            };
            restarted++;
        }

        return restarted;
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
