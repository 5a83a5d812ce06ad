using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Kernel.Tests.Random;

// The guide table must give the very index a binary search of the whole table gives, so that
// token draws (and every output downstream) are the same numbers as before it.
public class EmpiricalGuideTests
{
    // The quantile as it was computed before the guide table: a binary search over the whole table.
    private static double Reference(double[] values, double[] cumulative, bool interpolate, double u)
    {
        int i = Array.BinarySearch(cumulative, u);
        if (i < 0)
        {
            i = ~i;
        }

        if (i >= values.Length)
        {
            return values[^1];
        }

        if (!interpolate || i == 0)
        {
            return values[i];
        }

        double c0 = cumulative[i - 1], c1 = cumulative[i];
        return c1 > c0 ? values[i - 1] + (values[i] - values[i - 1]) * (u - c0) / (c1 - c0) : values[i];
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(7, false)]
    [InlineData(1000, true)]
    [InlineData(20_000, false)]
    [InlineData(100_000, false)]
    public void Quantile_MatchesWholeTableBinarySearch_FromSamples(int n, bool interpolate)
    {
        var rng = new RandomStreams(12345).For($"guide/{n}");
        var samples = new double[n];
        for (int i = 0; i < n; i++)
        {
            samples[i] = Math.Floor(rng.NextDouble() * 4000);
        }

        var d = EmpiricalDistribution.FromSamples(samples, interpolate);
        var sorted = samples.Order().ToArray();
        var cumulative = new double[n];
        for (int i = 0; i < n; i++)
        {
            cumulative[i] = interpolate ? (n == 1 ? 1.0 : (double)i / (n - 1)) : (double)(i + 1) / n;
        }

        cumulative[^1] = 1.0;
        for (int k = 0; k < 50_000; k++)
        {
            double u = rng.NextDouble();
            Assert.Equal(Reference(sorted, cumulative, interpolate, u), d.Quantile(u));
        }

        // Draws exactly on table probabilities and on slice edges, where an off-by-one would show.
        foreach (double u in cumulative.Concat([0.0, 0.5, 0.25, 1.0, 1.0 / 1024, 1 - 1e-16]))
        {
            Assert.Equal(Reference(sorted, cumulative, interpolate, u), d.Quantile(u));
        }
    }

    [Fact]
    public void Quantile_MatchesWholeTableBinarySearch_WithRunsOfEqualProbabilities()
    {
        // Steps in the CDF (equal probabilities) and jumps across many guide slices.
        double[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        double[] cumulative = [0.0, 0.1, 0.1, 0.1, 0.5, 0.5, 0.9, 0.9, 0.9, 1.0];
        foreach (bool interpolate in new[] { false, true })
        {
            var d = new EmpiricalDistribution(values, cumulative, interpolate);
            var rng = new RandomStreams(7).For("guide/runs");
            foreach (double u in cumulative.Concat(Enumerable.Range(0, 10_000).Select(_ => rng.NextDouble())))
            {
                Assert.Equal(Reference(values, cumulative, interpolate, u), d.Quantile(u));
            }
        }
    }

    [Theory]
    [InlineData(20_000, 40)]
    [InlineData(19_365, 3000)]
    [InlineData(5, 2)]
    [InlineData(70_000, 1_000_000)] // more distinct values (about 67,600) than a slice can name: the table searches
    public void Quantile_MatchesWholeTableBinarySearch_OnEverySliceEdge(int n, int distinct)
    {
        // A table from samples keeps a value per guide slice where all its candidates agree: at each
        // slice's first and last double (and either side of each table probability) the draw must
        // be the binary search's, bit for bit, also where the samples mix -0 and +0.
        var rng = new RandomStreams(99).For($"edges/{n}");
        var samples = new double[n];
        for (int i = 0; i < n; i++)
        {
            samples[i] = Math.Floor(rng.NextDouble() * distinct) switch { 0 => rng.NextDouble() < 0.5 ? -0.0 : 0.0, var v => v };
        }

        var d = EmpiricalDistribution.FromSamples(samples);
        var sorted = (double[])samples.Clone();
        Array.Sort(sorted);
        var cumulative = new double[n];
        for (int i = 0; i < n; i++)
        {
            cumulative[i] = (double)(i + 1) / n;
        }

        cumulative[^1] = 1.0;
        int size = 1;
        while (size < n && size < 1 << 16)
        {
            size <<= 1;
        }

        var probes = new List<double>();
        for (int j = 0; j < size; j++)
        {
            probes.Add((double)j / size);
            probes.Add(Math.BitDecrement((double)(j + 1) / size));
        }

        foreach (double c in cumulative)
        {
            probes.AddRange([Math.BitDecrement(c), c, Math.BitIncrement(c)]);
        }

        foreach (double u in probes.Where(u => u is >= 0 and < 1))
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Reference(sorted, cumulative, false, u)), BitConverter.DoubleToInt64Bits(d.Quantile(u)));
        }
    }

    // The batch draw must give, bit for bit, what Quantile gives one uniform at a time: whole-number
    // tables (slices hold the value), fractional and signed-zero ones (slices hold the place), an
    // interpolated one (no slices), a table of more distinct values than a slice can name, and
    // draws on slice edges and table probabilities, in place and with a stride.
    [Theory]
    [InlineData("whole", false)]
    [InlineData("fraction", false)]
    [InlineData("negative-zero", false)]
    [InlineData("whole", true)]
    [InlineData("many", false)]
    public void QuantilesInPlace_GivesQuantileBitForBit(string table, bool interpolate)
    {
        var rng = new RandomStreams(99).For($"batch/{table}/{interpolate}");
        int n = table == "many" ? 70_000 : 5_000;
        var samples = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x = table == "many" ? i * 1.5 : Math.Floor(rng.NextDouble() * 3000);
            samples[i] = table switch
            {
                "fraction" => x + 0.25,
                "negative-zero" => i % 3 == 0 ? -0.0 : x,
                _ => x,
            };
        }

        var d = EmpiricalDistribution.FromSamples(samples, interpolate);
        var sorted = (double[])samples.Clone();
        Array.Sort(sorted);
        var cumulative = new double[n];
        for (int i = 0; i < n; i++)
        {
            cumulative[i] = interpolate ? (double)i / (n - 1) : (double)(i + 1) / n;
        }

        cumulative[^1] = 1.0;
        var u = new List<double>();
        for (int j = 0; j <= 8192; j++)
        {
            u.Add((double)j / 8192);
            u.Add(Math.BitDecrement((double)j / 8192));
        }

        u.AddRange(Enumerable.Range(1, n).Select(i => (double)i / n));
        u.AddRange(Enumerable.Range(0, 40_000).Select(_ => rng.NextDouble()));
        var draws = u.Where(x => x is >= 0 and <= 1).ToArray();
        var reference = draws.Select(x => Reference(sorted, cumulative, interpolate, x)).ToArray();
        foreach (int stride in new[] { 1, 2, 3 })
        {
            for (int start = 0; start < stride; start++)
            {
                var batch = (double[])draws.Clone();
                d.QuantilesInPlace(batch, start, stride);
                for (int i = 0; i < draws.Length; i++)
                {
                    double expected = i >= start && (i - start) % stride == 0 ? reference[i] : draws[i];
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(batch[i]));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(reference[i]), BitConverter.DoubleToInt64Bits(d.Quantile(draws[i])));
                }
            }
        }

        if (table == "negative-zero")
        {
            Assert.Contains(reference, x => x == 0 && double.IsNegative(x));
        }
    }
}
