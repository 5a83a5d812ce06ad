using DataCenterTwin.Calibration.Diagnostics;
using DataCenterTwin.Calibration.Sampling;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Calibration.Tests.Sampling;

/// <summary>
/// A terraced posterior like the twin's (a staging decision that moves by one control step drops the
/// log density by a hundred or more): a standard normal on x &lt; 3, zero density on 3 ≤ x ≤ 15, and a
/// second normal about 18 whose density is e^−50 of the first's. Its mass is the first normal's,
/// truncated at 3 (mean −φ(3)/Φ(3) = −0.0044, sd 0.986), to within e^−50. Two of four chains start
/// on the far terrace; a random walk with a step of about 2.4 (sd 1 target, 2.4 × sd, Gelman, Roberts
/// and Gilks 1996) crosses 12 of zero density with probability below 1e-6 per step.
/// </summary>
public class StrandedChainTests
{
    private static double Terraced(ReadOnlySpan<double> theta)
    {
        double x = theta[0];
        return x < 3 ? -0.5 * x * x : x > 15 ? -0.5 * (x - 18) * (x - 18) - 50 : double.NegativeInfinity;
    }

    // Warm-up from the given starts, the restart (or not), then kept draws: PosteriorSampler's steps, with the starts chosen.
    private static (double Rhat, double[] Pooled, int Restarted, double[] Last) Run(double gap)
    {
        var sampler = new AdaptiveMetropolis(Terraced, 1, new double[,] { { 1 } });
        var streams = new RandomStreams(10);
        double[] starts = [-1, 1, 17, 19];
        var rngs = starts.Select((_, c) => streams.For($"chain{c}")).ToArray();
        var warmed = starts.Select((s, c) => sampler.Warmup([s], 1000, rngs[c])).ToArray();
        int restarted = PosteriorSampler.RestartStranded(warmed, gap, rngs);
        var chains = warmed.Select((w, c) => Column(sampler.Sample(w, 2000, 1, rngs[c], w.LateDraws).Draws)).ToArray();
        return (Convergence.SplitRhat(chains), [.. chains.SelectMany(x => x)], restarted, [.. chains.Select(c => c[^1])]);
    }

    private static double[] Column(double[,] draws) => [.. Enumerable.Range(0, draws.GetLength(0)).Select(i => draws[i, 0])];

    [Fact]
    public void ChainsStrandedOnANegligibleMode_AreRestartedWhereTheOthersAre_AndTheChainsAgree()
    {
        var (rhat, pooled, restarted, last) = Run(gap: 10);
        Assert.Equal(2, restarted);
        Assert.True(rhat < 1.01, $"R-hat {rhat}");
        Assert.All(last, x => Assert.True(x < 3, $"a chain ends at {x}"));
        // 8,000 random-walk draws of a unit normal, ESS over a thousand: the mean's Monte Carlo error
        // is under 0.03 and the sd's about 2 %; the tolerances are three of them.
        double mean = pooled.Average();
        double sd = Math.Sqrt(pooled.Sum(x => (x - mean) * (x - mean)) / (pooled.Length - 1));
        Assert.Equal(-0.0044, mean, 0.1);
        Assert.Equal(0.986, sd, 0.08);
    }

    [Fact]
    public void WithoutTheRestart_TheStrandedChainsStay_AndRhatSaysSo()
    {
        var (rhat, _, restarted, last) = Run(gap: double.PositiveInfinity);
        Assert.Equal(0, restarted);
        Assert.Equal(2, last.Count(x => x > 15));
        Assert.True(rhat > 2, $"R-hat {rhat}");
    }

    [Fact]
    public void ChainsOnOneMode_AreNeverRestarted()
    {
        // A plain standard normal: the chains' late mean log densities differ by a fraction of one.
        var samples = PosteriorSampler.Sample(theta => -0.5 * theta[0] * theta[0], ["x"], new MapResult([0], 0, new double[,] { { 1 } }, 0), [1],
            new McmcOptions(Chains: 4, Warmup: 500, Draws: 500, Seed: 10));
        Assert.Equal(0, samples.RestartedChains);
        Assert.True(samples.RhatMax < 1.05, $"R-hat {samples.RhatMax}");
    }
}
