using DataCenterTwin.Cli.Bench;

namespace DataCenterTwin.Service.Tests;

/// <summary>
/// The statistics of <c>dctwin bench service</c>'s paired runs. Known answers worked by hand from the
/// binomial (n, ½): P(B ≤ 2) = 79/4096 for n = 12, P(B ≤ 1) = 11/1024 for n = 10, P(B = 0) = 1/64 for n = 6.
/// </summary>
public sealed class BenchServiceRatiosTests
{
    [Theory]
    [InlineData(12, 3, 1 - (2 * 79 / 4096.0))]
    [InlineData(10, 2, 1 - (2 * 11 / 1024.0))]
    [InlineData(6, 1, 1 - (2 / 64.0))]
    [InlineData(5, 0, double.NaN)]      // 2/32 > 5 %: no 95 % interval from order statistics
    [InlineData(1, 0, double.NaN)]
    public void MedianInterval_RanksAndCoverage_FromTheBinomial(int n, int lowerRank, double coverage)
    {
        var spread = RatioSpread.Of(Enumerable.Range(1, n).Select(i => 1 + (i / 100.0)));
        Assert.Equal(lowerRank, spread.LowerRank);
        if (double.IsNaN(coverage))
        {
            Assert.True(double.IsNaN(spread.Coverage));
        }
        else
        {
            Assert.Equal(coverage, spread.Coverage, 12);
        }
    }

    [Fact]
    public void MedianInterval_OfTwelvePairs_IsTheThirdAndTenthInOrder_WhateverTheOrderGiven()
    {
        double[] ratios = [1.12, 1.01, 1.07, 1.03, 1.10, 1.05, 1.02, 1.11, 1.04, 1.09, 1.06, 1.08];
        var spread = RatioSpread.Of(ratios);
        Assert.Equal(1.065, spread.Median, 12);
        Assert.Equal(1.03, spread.Lower);
        Assert.Equal(1.10, spread.Upper);
        Assert.StartsWith("not shown either way", spread.Verdict(1.10), StringComparison.Ordinal);
        Assert.StartsWith("SHOWN", spread.Verdict(1.11), StringComparison.Ordinal);
        Assert.StartsWith("NOT MET", spread.Verdict(1.03), StringComparison.Ordinal);
        Assert.StartsWith("not shown either way", spread.Verdict(1.031), StringComparison.Ordinal);
        Assert.Contains("1.030 to 1.100", spread.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewPairs_NoIntervalAndNoVerdict()
    {
        var spread = RatioSpread.Of([1.01, 1.02, 1.03]);
        Assert.Equal(1.02, spread.Median);
        Assert.StartsWith("not shown: too few pairs", spread.Verdict(1.10), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RatioSpread.Of([]));
    }
}
