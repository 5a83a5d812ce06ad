using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Kernel.Tests.Random;

public class DistributionsTests
{
    private const int N = 400_000;

    private static (double Mean, double Variance) Moments(Func<double> draw)
    {
        double sum = 0, sumSq = 0;
        for (int i = 0; i < N; i++)
        {
            double x = draw();
            sum += x;
            sumSq += x * x;
        }

        double mean = sum / N;
        return (mean, sumSq / N - mean * mean);
    }

    // Tolerances are 5 standard errors of the sample mean (sd/√N) and a relative band on the variance.
    private static void AssertMoments(Func<double> draw, double mean, double variance)
    {
        var (m, v) = Moments(draw);
        double se = Math.Sqrt(variance / N);
        Assert.InRange(m, mean - 5 * se, mean + 5 * se);
        Assert.InRange(v, variance * 0.97, variance * 1.03);
    }

    private static RandomStream Stream(string name) => new RandomStreams(123).For(name);

    [Fact]
    public void Exponential_HasMeanAndVarianceOfItsRate()
    {
        var s = Stream("exp");
        AssertMoments(() => s.Exponential(2.0), 2.0, 4.0);
    }

    [Fact]
    public void Uniform_HasMeanAndVarianceOfItsRange()
    {
        var s = Stream("uni");
        AssertMoments(() => s.Uniform(2, 5), 3.5, 9.0 / 12);
    }

    [Fact]
    public void Normal_HasItsMeanAndVariance()
    {
        var s = Stream("norm");
        AssertMoments(() => s.Normal(10, 3), 10, 9);
    }

    [Fact]
    public void LogNormal_HasItsMeanAndVariance()
    {
        var s = Stream("lognorm");
        double mu = 0.5, sigma = 0.4;
        double mean = Math.Exp(mu + sigma * sigma / 2);
        double variance = (Math.Exp(sigma * sigma) - 1) * Math.Exp(2 * mu + sigma * sigma);
        AssertMoments(() => s.LogNormal(mu, sigma), mean, variance);
    }

    [Theory]
    [InlineData(0.5, 2.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(4.5, 0.3)]
    public void Gamma_HasMeanKThetaAndVarianceKThetaSquared(double shape, double scale)
    {
        var s = Stream("gamma");
        AssertMoments(() => s.Gamma(shape, scale), shape * scale, shape * scale * scale);
    }

    [Fact]
    public void Bernoulli_HitsWithItsProbability()
    {
        var s = Stream("bern");
        AssertMoments(() => s.Bernoulli(0.3) ? 1 : 0, 0.3, 0.21);
    }

    [Fact]
    public void Discrete_DrawsInProportionToWeights()
    {
        var s = Stream("disc");
        var d = new DiscreteDistribution([1, 0, 3, 6]);
        var counts = new int[4];
        for (int i = 0; i < N; i++)
        {
            counts[d.Sample(s)]++;
        }

        Assert.Equal(0, counts[1]);
        // Binomial(N, p) counts; 5 sd of each.
        foreach (var (index, p) in new[] { (0, 0.1), (2, 0.3), (3, 0.6) })
        {
            double sd = Math.Sqrt(N * p * (1 - p));
            Assert.InRange(counts[index], N * p - 5 * sd, N * p + 5 * sd);
        }

        Assert.Throws<ArgumentException>(() => new DiscreteDistribution([0, 0]));
        Assert.Throws<ArgumentException>(() => new DiscreteDistribution([1, -1]));
    }

    [Fact]
    public void Empirical_InterpolatesItsTable()
    {
        var d = new EmpiricalDistribution([0, 10, 20], [0, 0.5, 1.0]);
        Assert.Equal(5, d.Quantile(0.25), 12);
        Assert.Equal(15, d.Quantile(0.75), 12);
        var s = Stream("emp");
        AssertMoments(() => d.Sample(s), 10, 400.0 / 12);
        Assert.Throws<ArgumentException>(() => new EmpiricalDistribution([2, 1], [0.5, 1]));
        Assert.Throws<ArgumentException>(() => new EmpiricalDistribution([1, 2], [0.5, 0.9]));
    }

    [Fact]
    public void Empirical_FromSamples_ReturnsOnlyThoseSamples()
    {
        var d = EmpiricalDistribution.FromSamples([5, 1, 3]);
        var s = Stream("boot");
        var seen = new HashSet<double>();
        for (int i = 0; i < 1000; i++)
        {
            seen.Add(d.Sample(s));
        }

        Assert.Equal([1.0, 3.0, 5.0], seen.Order());
    }
}
