using DataCenterTwin.Calibration.Diagnostics;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Calibration.Tests.Diagnostics;

/// <summary>R-hat and ESS on chains whose answers are known.</summary>
public class ConvergenceTests
{
    private static double[] Iid(string path, int n, double mean = 0)
    {
        var rng = new RandomStreams(3).For(path);
        return [.. Enumerable.Range(0, n).Select(_ => rng.Normal(mean, 1))];
    }

    // AR(1) x_t = ρ x_{t−1} + √(1 − ρ²) e_t has unit variance and integrated autocorrelation time
    // (1 + ρ)/(1 − ρ), so ESS = n (1 − ρ)/(1 + ρ): 4 chains × 20,000 at ρ = 0.9 give 4,210.5.
    private static double[] Ar1(string path, int n, double rho)
    {
        var rng = new RandomStreams(3).For(path);
        var x = new double[n];
        double s = Math.Sqrt(1 - rho * rho);
        for (int t = 1; t < n; t++)
        {
            x[t] = rho * x[t - 1] + s * rng.Normal(0, 1);
        }

        return x;
    }

    [Fact]
    public void IndependentDraws_RhatNearOneAndEssNearN()
    {
        var chains = Enumerable.Range(0, 4).Select(c => Iid($"c{c}", 5000)).ToArray();
        Assert.InRange(Convergence.SplitRhat(chains), 0.995, 1.005);
        Assert.InRange(Convergence.EffectiveSampleSize(chains), 18_000, 22_000);
    }

    [Fact]
    public void Ar1Chains_EssMatchesTheAutocorrelationTime()
    {
        var chains = Enumerable.Range(0, 4).Select(c => Ar1($"ar{c}", 20_000, 0.9)).ToArray();
        Assert.Equal(4210.5, Convergence.EffectiveSampleSize(chains), 4210.5 * 0.15);
    }

    [Fact]
    public void ChainsInDifferentPlaces_RhatWellAboveOne()
    {
        var chains = new[] { Iid("a", 1000), Iid("b", 1000), Iid("c", 1000, mean: 1), Iid("d", 1000, mean: 1) };
        Assert.True(Convergence.SplitRhat(chains) > 1.1);
    }

    [Fact]
    public void TooShortOrUnequalChains_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => Convergence.SplitRhat([new double[3]]));
        Assert.Throws<ArgumentException>(() => Convergence.SplitRhat([new double[10], new double[12]]));
    }
}
