using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Tests.Metrics;

public class QuantileSketchTests
{
    [Fact]
    public void Quantiles_WithinRelativeAccuracy_OfExactOnes()
    {
        var rng = new RandomStreams(1).For("x");
        var values = Enumerable.Range(0, 100_000).Select(_ => rng.LogNormal(-3, 1.5)).ToArray();
        var sketch = new QuantileSketch(0.01);
        foreach (double v in values)
        {
            sketch.Add(v);
        }

        Array.Sort(values);
        foreach (double q in new[] { 0.5, 0.9, 0.99, 0.999 })
        {
            double exact = values[(int)Math.Floor(q * (values.Length - 1))];
            Assert.InRange(sketch.Quantile(q), exact * 0.99, exact * 1.01);
        }

        Assert.Equal(values.Average(), sketch.Mean, 9);
    }

    [Fact]
    public void Merge_EqualsOneSketchOfBoth()
    {
        var a = new QuantileSketch();
        var b = new QuantileSketch();
        var both = new QuantileSketch();
        for (int i = 1; i <= 1000; i++)
        {
            (i % 2 == 0 ? a : b).Add(i * 0.001);
            both.Add(i * 0.001);
        }

        a.Merge(b);
        Assert.Equal(both.Count, a.Count);
        foreach (double q in new[] { 0.1, 0.5, 0.99 })
        {
            Assert.Equal(both.Quantile(q), a.Quantile(q));
        }
    }

    [Fact]
    public void Add_DoesNotAllocate()
    {
        var s = new QuantileSketch();
        s.Add(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            s.Add(i * 1e-3);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.05)]
    [InlineData(0.002)]
    public void BucketOf_IsTheFormulasBucket_AtRandomValuesAndEveryBound(double accuracy)
    {
        // The table must give DDSketch's ⌈ln v / ln γ⌉ + offset bit for bit, or the quantiles of a
        // run would change: checked at random values over the whole range and beyond it, and at
        // each bucket bound, where the formula itself steps (found by bisection on the doubles),
        // a few units in the last place either side of both.
        var buckets = QuantileSketch.BucketsOf(accuracy);
        var rng = new RandomStreams(7).For("values");
        for (int i = 0; i < 1_000_000; i++)
        {
            double v = Math.Exp(Math.Log(QuantileSketch.MinValue) + (rng.NextDouble() * (Math.Log(4 * QuantileSketch.MaxValue) - Math.Log(QuantileSketch.MinValue))));
            if (v > QuantileSketch.MinValue)
            {
                Assert.Equal(buckets.FormulaBucket(v), buckets.BucketOf(v));
            }
        }

        int top = buckets.FormulaBucket(QuantileSketch.MaxValue * 10);
        int checkedSteps = 0;
        for (int k = 0; k < top; k++)
        {
            double bound = buckets.UpperBound(k);
            foreach (double v in Around(bound).Concat(Around(FormulaStep(buckets, k, bound))))
            {
                if (v > QuantileSketch.MinValue)
                {
                    Assert.Equal(buckets.FormulaBucket(v), buckets.BucketOf(v));
                    checkedSteps++;
                }
            }
        }

        Assert.True(checkedSteps > 100, $"{checkedSteps} values checked at the bounds");
    }

    private static IEnumerable<double> Around(double v)
    {
        double lo = v, hi = v;
        yield return v;
        for (int i = 0; i < 4; i++)
        {
            lo = Math.BitDecrement(lo);
            hi = Math.BitIncrement(hi);
            yield return lo;
            yield return hi;
        }
    }

    // The smallest double the formula puts above bucket k, searched near the tabled bound.
    private static double FormulaStep(LogBuckets buckets, int k, double bound)
    {
        long lo = BitConverter.DoubleToInt64Bits(bound * (1 - 1e-6)), hi = BitConverter.DoubleToInt64Bits(bound * (1 + 1e-6));
        if (buckets.FormulaBucket(BitConverter.Int64BitsToDouble(lo)) > k || buckets.FormulaBucket(BitConverter.Int64BitsToDouble(hi)) <= k)
        {
            return bound;
        }

        while (hi - lo > 1)
        {
            long mid = lo + ((hi - lo) / 2);
            if (buckets.FormulaBucket(BitConverter.Int64BitsToDouble(mid)) > k)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return BitConverter.Int64BitsToDouble(hi);
    }
}
