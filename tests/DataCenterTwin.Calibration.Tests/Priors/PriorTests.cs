using DataCenterTwin.Calibration.Priors;

namespace DataCenterTwin.Calibration.Tests.Priors;

/// <summary>Priors: densities against their textbook forms, and refusal of impossible scales.</summary>
public class PriorTests
{
    [Fact]
    public void LogNormal_MeanAndSpreadAreTheTextbookOnes()
    {
        // E = exp(μ + σ²/2) = exp(0.125) = 1.133148; sd = E·√(exp(σ²) − 1) = 1.133148 × 0.5329404 = 0.603901.
        var p = new LogNormalPrior(0, 0.5);
        Assert.Equal(1.133148, p.Mean, 6);
        Assert.Equal(0.603901, p.StandardDeviation, 6);
        Assert.Equal(double.NegativeInfinity, p.LogDensity(-1));
    }

    [Fact]
    public void Normal_LogDensityDifferenceIsHalfZSquared() =>
        Assert.Equal(-2, new NormalPrior(1, 0.5).LogDensity(2) - new NormalPrior(1, 0.5).LogDensity(1), 12);

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    public void NonPositiveScale_IsRefusedWithItsName(double scale)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new NormalPrior(0, scale));
        Assert.Contains("scale", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogNormalPrior(0, scale));
    }

    [Fact]
    public void Uniform_WithNoWidth_IsRefused() => Assert.Throws<ArgumentOutOfRangeException>(() => new UniformPrior(2, 2));
}
