using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Tests.Metrics;

/// <summary>Weighted quantiles with patterns added by multiplier, worked by hand.</summary>
public class WeightedQuantilesTests
{
    private static WeightedPattern Pattern()
    {
        var p = new WeightedPattern();
        p.Add(0.1, 1);
        p.Add(0.2, 1);
        p.Add(0.5, 2);
        return p;
    }

    [Fact]
    public void Pattern_AddedWithMultipliers_IsItsValuesWithScaledWeights()
    {
        // Added twice, with multipliers 2 and 3: weights 5, 5 and 10 on 0.1, 0.2 and 0.5 s; total 20,
        // mean (0.5 + 1 + 5)/20 = 0.325 s; the median is the 10th unit of weight, in 0.2's bin; the
        // 0.9 quantile (18th) in 0.5's. Bins are 2 % wide, their midpoints within 1 % of the value.
        var q = new WeightedQuantiles();
        var p = Pattern();
        q.Add(p, 2);
        q.Add(p, 3);
        Assert.Equal(20, q.Weight, 12);
        Assert.Equal(0.325, q.Mean, 12);
        Assert.Equal(0.2, q.Quantile(0.5), 0.2 * 0.01);
        Assert.Equal(0.5, q.Quantile(0.9), 0.5 * 0.01);
        Assert.Equal(0.1, q.Quantile(0.2), 0.1 * 0.01);

        var direct = new WeightedQuantiles();
        direct.Add(0.1, 5);
        direct.Add(0.2, 5);
        direct.Add(0.5, 10);
        foreach (double level in new[] { 0.1, 0.25, 0.5, 0.75, 0.99 })
        {
            Assert.Equal(direct.Quantile(level), q.Quantile(level));
        }
    }

    [Fact]
    public void Pattern_ConsecutiveValuesInOneBin_ShareAnEntry()
    {
        var p = new WeightedPattern();
        p.Add(1.0, 1);
        p.Add(1.001, 1);   // the same 2 % bin
        p.Add(2.0, 1);
        p.Add(0, 1);       // the zero bin
        p.Add(3.0, 0);     // no weight: skipped, as the sketch skips it
        p.Add(double.NaN, 1);
        Assert.Equal(3, p.Count);
        Assert.Equal(4, p.Weight);
        Assert.Equal(4.001, p.WeightedSum, 12);
    }

    private static WeightedPattern Hundred()
    {
        var p = new WeightedPattern();
        for (int i = 0; i < 100; i++)
        {
            p.Add(0.01 * (i + 1), 1);
        }

        return p;
    }

    [Fact]
    public void Pattern_Copied_HoldsTheSameEntriesAndTotals_AndCountsAsAChange()
    {
        // A copy into a pattern that held more entries and into an empty one: each the source's three
        // entries, weight 4 and sum 0.1 + 0.2 + 1.0 = 1.3.
        var big = Hundred();

        var small = new WeightedPattern();
        foreach (var into in new[] { big, small })
        {
            into.CopyFrom(Pattern());
            Assert.Equal(3, into.Count);
            Assert.Equal(4, into.Weight);
            Assert.Equal(1.3, into.WeightedSum, 12);
            var a = new WeightedQuantiles();
            var b = new WeightedQuantiles();
            a.Add(into, 2);
            b.Add(Pattern(), 2);
            Assert.Equal(BitConverter.DoubleToInt64Bits(b.Mean), BitConverter.DoubleToInt64Bits(a.Mean));
            foreach (double level in new[] { 0.1, 0.3, 0.5, 0.9 })
            {
                Assert.Equal(b.Quantile(level), a.Quantile(level));
            }
        }

        // A source with more entries than an empty pattern's first storage: grown to hold them all.
        var grown = new WeightedPattern();
        var hundred = Hundred();
        grown.CopyFrom(hundred);
        Assert.True(hundred.Count > 64);
        Assert.Equal(hundred.Count, grown.Count);
        Assert.Equal(hundred.Bins.AsSpan(0, hundred.Count).ToArray(), grown.Bins.AsSpan(0, grown.Count).ToArray());
        Assert.Equal(hundred.Weights.AsSpan(0, hundred.Count).ToArray(), grown.Weights.AsSpan(0, grown.Count).ToArray());
        Assert.Equal(hundred.WeightedSum, grown.WeightedSum);

        // Pending in a sketch, a copy changes the pattern, which the sketch must catch.
        var q = new WeightedQuantiles();
        q.Add(small, 1);
        small.CopyFrom(big);
        Assert.Throws<InvalidOperationException>(() => q.Settle(small));
    }

    [Fact]
    public void Pattern_ChangedWhilePending_Throws_SettledMayChange()
    {
        var q = new WeightedQuantiles();
        var p = Pattern();
        q.Add(p, 1);
        p.Add(1.0, 1);
        Assert.Throws<InvalidOperationException>(() => q.Quantile(0.5));

        var r = new WeightedQuantiles();
        var s = Pattern();
        r.Add(s, 1);
        r.Settle(s);
        s.Clear();
        s.Add(1.0, 6);
        r.Add(s, 1);
        Assert.Equal(10, r.Weight, 12);
        Assert.Equal(1.0, r.Quantile(0.5), 0.01);
    }

    [Fact]
    public void MorePatternsThanSlots_AllCount()
    {
        // Six patterns pending at once (more than the sketch holds unpoured): each 1 s with weight k.
        var q = new WeightedQuantiles();
        var patterns = new WeightedPattern[6];
        for (int k = 0; k < patterns.Length; k++)
        {
            patterns[k] = new WeightedPattern();
            patterns[k].Add(k + 1, 1);
            q.Add(patterns[k], k + 1);
        }

        // Weights 1…6 on values 1…6 s: total 21, mean 91/21.
        Assert.Equal(21, q.Weight, 12);
        Assert.Equal(91.0 / 21, q.Mean, 12);

        var merged = new WeightedQuantiles();
        merged.Merge(q);
        Assert.Equal(21, merged.Weight, 12);
        Assert.Equal(6, merged.Quantile(0.99), 6 * 0.01);
    }
}
