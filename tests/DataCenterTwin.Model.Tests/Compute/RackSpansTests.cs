using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>The vectorised rack sums (RackSpans) give the scalar loops' bits, element by element, at every length and offset.</summary>
public class RackSpansTests
{
    private static double[] Values(Random rng, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => Math.Exp(rng.NextDouble() * 40 - 10) * (rng.Next(5) == 0 ? -1 : 1))];

    [Fact]
    public void AddToEach_GivesTheScalarLoopsBits()
    {
        var rng = new Random(11);
        for (int n = 0; n <= 19; n++)
        {
            for (int from = 0; from <= 3; from++)
            {
                var values = Values(rng, n + from + 2);
                double add = Math.Exp(rng.NextDouble() * 20);
                var expected = (double[])values.Clone();
                for (int i = from; i < from + n; i++)
                {
                    expected[i] += add;
                }

                RackSpans.AddToEach(values.AsSpan(from, n), add);
                Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), values.Select(BitConverter.DoubleToInt64Bits));
            }
        }
    }

    [Fact]
    public void SumMinus_GivesTheScalarLoopsBits()
    {
        var rng = new Random(12);
        for (int n = 0; n <= 19; n++)
        {
            var (a, b, c) = (Values(rng, n + 3), Values(rng, n + 1), Values(rng, n));
            var into = new double[n + 2];
            var expected = new double[n + 2];
            for (int i = 0; i < n; i++)
            {
                expected[i] = a[i] + b[i] - c[i];
            }

            RackSpans.SumMinus(a, b, c, into.AsSpan(0, n));
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), into.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void SumMinus_RefusesInputsShorterThanItsOutput() =>
        Assert.Throws<ArgumentException>(() => RackSpans.SumMinus(new double[4], new double[3], new double[4], new double[4]));
}
