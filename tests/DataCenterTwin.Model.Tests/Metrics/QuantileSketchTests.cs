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
    public void Clear_LeavesAnEmptySketch_ThatMergesToTheOther()
    {
        var a = new QuantileSketch();
        var b = new QuantileSketch();
        for (int i = 1; i <= 100; i++)
        {
            a.Add(i * 0.01);
            b.Add(i * 0.002);
        }

        a.Clear();
        Assert.Equal(0, a.Count);
        Assert.Equal(0, a.Mean);
        Assert.Equal(0, a.Quantile(0.5));
        a.Merge(b);
        Assert.Equal(b.Count, a.Count);
        Assert.Equal(b.Mean, a.Mean);
        Assert.Equal(b.Quantile(0.9), a.Quantile(0.9));
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
}
