using DataCenterTwin.Calibration.Diagnostics;
using DataCenterTwin.Calibration.Sampling;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Calibration.Tests.Sampling;

/// <summary>
/// DE-MC_Z (ter Braak and Vrugt 2008) against targets whose answers are known: a ridge like the
/// twin's tower approach against supply temperature, and two separated modes of equal weight.
/// </summary>
public class DifferentialEvolutionTests
{
    // The twin's ridge in its units (the bench's Gauss–Newton sds: tower approach 0.084 K, supply 0.050 K, correlation 0.995).
    private const double Sd0 = 0.084, Sd1 = 0.050, Rho = 0.995;

    // log N(x; 0, Σ) up to a constant: −(u² − 2ρuv + v²) / (2(1 − ρ²)), u, v the standardised coordinates.
    private static double Ridge(ReadOnlySpan<double> theta)
    {
        double u = theta[0] / Sd0, v = theta[1] / Sd1;
        return -(u * u - 2 * Rho * u * v + v * v) / (2 * (1 - Rho * Rho));
    }

    private static double[] Column(double[,] draws, int i) => [.. Enumerable.Range(0, draws.GetLength(0)).Select(k => draws[k, i])];

    /// <summary>
    /// The chains start from the marginal sds alone (no Laplace covariance: the first archive lies
    /// across the ridge, not along it), and must still come back with the target's covariance. With
    /// an ESS above 1,500 the variances' Monte Carlo error is under 4 % and the correlation's, (1 − ρ²)/√ESS,
    /// under 3e-4; the tolerances are about three of each.
    /// </summary>
    [Fact]
    public void CorrelatedGaussian_Rho0995_SampledToItsCovariance()
    {
        var samples = PosteriorSampler.Sample(Ridge, ["approach", "supply"], new MapResult([0, 0], 0, null, 0), [Sd0, Sd1],
            new McmcOptions(Chains: 4, Warmup: 2000, Draws: 10_000, Seed: 3, Sampler: McmcSampler.DifferentialEvolution));
        Assert.True(samples.Converged, $"R-hat {samples.RhatMax}, ESS {samples.EssMin}");
        Assert.True(samples.EssMin > 1500, $"ESS {samples.EssMin}");
        var a = samples.Pooled(0);
        var b = samples.Pooled(1);
        double ma = a.Average(), mb = b.Average();
        double va = a.Sum(x => (x - ma) * (x - ma)) / (a.Length - 1);
        double vb = b.Sum(x => (x - mb) * (x - mb)) / (b.Length - 1);
        double cab = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum() / (a.Length - 1);
        Assert.Equal(0, ma, 0.1 * Sd0);
        Assert.Equal(0, mb, 0.1 * Sd1);
        Assert.Equal(Sd0 * Sd0, va, 0.12 * Sd0 * Sd0);
        Assert.Equal(Sd1 * Sd1, vb, 0.12 * Sd1 * Sd1);
        Assert.Equal(Rho, cab / Math.Sqrt(va * vb), 0.001);
        // ter Braak (2006): about 0.3–0.4 for a Gaussian in few dimensions at γ = 2.38/√(2d).
        Assert.All(samples.Chains, c => Assert.InRange(c.AcceptanceRate, 0.15, 0.6));
    }

    /// <summary>
    /// Two unit normals at ±5, equal weights: the density between them is e^−12.5 of the peaks', which
    /// a random walk of step ~2.4 crosses about once in 10⁵ steps. The γ = 1 jumps move a chain by the
    /// difference of two archived states, one from each mode, so every chain visits both: mean 0, sd
    /// √26 = 5.10. Two chains start in each mode. About one step in a hundred jumps, 4 × 20,000 steps:
    /// the weight of a mode is known to about 2 %, so the mean to about 0.2; the tolerance is three of those.
    /// </summary>
    [Fact]
    public void TwoSeparatedModes_EveryChainVisitsBoth()
    {
        static double Target(ReadOnlySpan<double> t) => LogSumExp(-0.5 * (t[0] - 5) * (t[0] - 5), -0.5 * (t[0] + 5) * (t[0] + 5));
        var streams = new RandomStreams(21);
        double[][] starts = [[-5], [-4.5], [5], [4.5]];
        var rngs = starts.Select((_, c) => streams.For($"chain{c}")).ToArray();
        var archiveRng = streams.For("archive");
        var archive = Enumerable.Range(0, 10).Select(_ => new[] { archiveRng.Normal(0, 5.1) }).ToArray();
        var run = new DifferentialEvolutionSampler(Target, 1, [1e-3]).Run(starts, archive, 2000, 20_000, 1, rngs);
        var chains = run.Chains.Select(c => Column(c.Draws, 0)).ToArray();
        Assert.All(chains, c => Assert.InRange(c.Count(x => x > 0) / (double)c.Length, 0.3, 0.7));
        var pooled = chains.SelectMany(x => x).ToArray();
        double mean = pooled.Average();
        double sd = Math.Sqrt(pooled.Sum(x => (x - mean) * (x - mean)) / (pooled.Length - 1));
        Assert.Equal(0, mean, 0.6);
        Assert.Equal(Math.Sqrt(26), sd, 0.15);
        Assert.True(Convergence.SplitRhat(chains) < 1.05, $"R-hat {Convergence.SplitRhat(chains)}");
    }

    // The terrace of StrandedChainTests: a unit normal on x < 3, nothing on [3, 15], a normal at 18 weighing e^−50.
    private static double Terraced(ReadOnlySpan<double> t) =>
        t[0] < 3 ? -0.5 * t[0] * t[0] : t[0] > 15 ? -0.5 * (t[0] - 18) * (t[0] - 18) - 50 : double.NegativeInfinity;

    private static DifferentialEvolutionResult Terrace(DifferentialEvolutionSampler sampler, double gap)
    {
        var streams = new RandomStreams(4);
        double[][] starts = [[-1], [1], [0], [18]];
        var rngs = starts.Select((_, c) => streams.For($"chain{c}")).ToArray();
        double[][] archive = [[-1], [0], [1], [0.5], [-0.5]];
        return sampler.Run(starts, archive, 1000, 2000, 1, rngs, strandedGap: gap);
    }

    /// <summary>
    /// Where the adaptive random walk stays on the far terrace (StrandedChainTests), a DE chain leaves
    /// it alone and without the restart: once the chains' states are archived, the difference between
    /// the far chain's and the others' carries it (x + 0.84·(z₁ − z₂) from 18 with z₁ ≈ 0, z₂ ≈ 18 lands
    /// near 3, e^46 more likely), so every kept draw lies on the main terrace.
    /// </summary>
    [Fact]
    public void ChainOnANegligibleMode_LeavesItThroughTheArchive()
    {
        var run = Terrace(new DifferentialEvolutionSampler(Terraced, 1, [1e-3]), double.PositiveInfinity);
        Assert.Equal(0, run.RestartedChains);
        Assert.All(run.Chains, c => Assert.True(Column(c.Draws, 0).All(x => x < 3)));
    }

    /// <summary>
    /// With the archive held to its first five states near 0 (no chain state ever added), no difference
    /// reaches across the gap, and only the restart at the end of warm-up moves the far chain.
    /// </summary>
    [Fact]
    public void ChainStrandedWhereNoDifferenceReaches_IsRestartedWhereTheOthersAre()
    {
        var frozen = new DifferentialEvolutionSampler(Terraced, 1, [1e-3]) { ArchiveEvery = int.MaxValue, SnookerShare = 0 };
        var kept = Terrace(frozen, double.PositiveInfinity);
        Assert.Equal(0, kept.RestartedChains);
        Assert.True(Column(kept.Chains[3].Draws, 0).All(x => x > 15));
        var moved = Terrace(frozen, 10);
        Assert.Equal(1, moved.RestartedChains);
        Assert.All(moved.Chains, c => Assert.True(Column(c.Draws, 0).All(x => x < 3)));
    }

    [Fact]
    public void SameSeed_SameDraws_WhateverTheParallelism()
    {
        var start = new MapResult([0, 0], 0, new double[,] { { Sd0 * Sd0, Rho * Sd0 * Sd1 }, { Rho * Sd0 * Sd1, Sd1 * Sd1 } }, 0);
        var one = PosteriorSampler.Sample(Ridge, ["a", "b"], start, [Sd0, Sd1],
            new McmcOptions(Chains: 3, Warmup: 200, Draws: 300, MaxParallelism: 1, Sampler: McmcSampler.DifferentialEvolution));
        var many = PosteriorSampler.Sample(Ridge, ["a", "b"], start, [Sd0, Sd1],
            new McmcOptions(Chains: 3, Warmup: 200, Draws: 300, Sampler: McmcSampler.DifferentialEvolution));
        Assert.Equal(one.Pooled(0), many.Pooled(0));
        Assert.Equal(one.Pooled(1), many.Pooled(1));
    }

    private static double LogSumExp(double a, double b)
    {
        double m = Math.Max(a, b);
        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }
}
