using DataCenterTwin.Model.Parallel;

namespace DataCenterTwin.Model.Tests.Parallel;

/// <summary>
/// Repeated additions in a few steps: every case against the plain chain of additions, by bits, on
/// values built to land on the awkward spots (ties, binade edges, signs, zeros, subnormals, NaN).
/// </summary>
public class RepeatedSumTests
{
    private static double Plain(double sum, double a, int count)
    {
        for (int i = 0; i < count; i++)
        {
            sum += a;
        }

        return sum;
    }

    private static void AssertSameBits(double expected, double actual, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{what}: {actual:R} against {expected:R}");

    [Fact]
    public void TenTenths_AreTheKnownSum()
    {
        // 0.1 added ten times from 0 is famously 0.9999999999999999, not 1.
        Assert.Equal(0.9999999999999999, RepeatedSum.AddRepeated(0, 0.1, 10));
        Assert.Equal(1e16, RepeatedSum.AddRepeated(1e16, 0.9, 1000)); // below half of 1e16's ulp (2): nothing moves
        Assert.Equal(1024 + (1000 * 0.5), RepeatedSum.AddRepeated(1024, 0.5, 1000)); // exact on the grid
    }

    [Fact]
    public void Specials_AreThoseOfThePlainChain()
    {
        double[] values = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon,
            double.MaxValue, -double.MaxValue, 1e-310, 2.2250738585072014E-308, 1, -1, 0.5, 3, 1e300, 1e-300, 4503599627370496.0, 9007199254740992.0];
        int[] counts = [0, 1, 7, 8, 9, 100, 1000];
        foreach (double sum in values)
        {
            foreach (double a in values)
            {
                foreach (int count in counts)
                {
                    AssertSameBits(Plain(sum, a, count), RepeatedSum.AddRepeated(sum, a, count), $"{sum:R} + {a:R} × {count}");
                }
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomChains_GiveThePlainBits(int seed)
    {
        var rng = new Random(seed);
        for (int n = 0; n < 40_000; n++)
        {
            // The sum anywhere, often just below a power of two; the addend a multiple of a power of
            // two near the sum's ulp, often with a fraction of exactly a half or a quarter of it.
            int e = rng.Next(-40, 60);
            double sum = Math.ScaleB(1 + rng.NextDouble(), e);
            if (rng.Next(4) == 0)
            {
                sum = Math.ScaleB(1, e) - Math.ScaleB(rng.Next(1, 5000), e - 53);
            }

            double ulp = Math.ScaleB(1, e - 52);
            double a = rng.Next(6) switch
            {
                0 => ulp * (rng.Next(0, 8) + 0.5),
                1 => ulp * (rng.Next(0, 8) + (rng.Next(1, 8) / 8.0)),
                2 => ulp * rng.Next(0, 1 << 20),
                3 => rng.NextDouble() * sum * 1e-3,
                4 => rng.NextDouble() * sum,
                _ => Math.ScaleB(rng.NextDouble(), e - rng.Next(0, 70)),
            };
            if (rng.Next(3) == 0)
            {
                a = -a;
            }

            if (rng.Next(3) == 0)
            {
                sum = -sum;
            }

            if (rng.Next(50) == 0)
            {
                sum = 0;
            }

            int count = rng.Next(3) == 0 ? rng.Next(0, 20) : rng.Next(0, 5000);
            AssertSameBits(Plain(sum, a, count), RepeatedSum.AddRepeated(sum, a, count), $"{sum:R} + {a:R} × {count}");
        }
    }

    [Fact]
    public void InOrder_RunsAndSinglesGiveThePlainBits()
    {
        var rng = new Random(7);
        for (int n = 0; n < 2000; n++)
        {
            var values = new List<double>();
            int length = rng.Next(0, 1500);
            while (values.Count < length)
            {
                double v = rng.Next(10) switch
                {
                    0 => double.NaN,
                    1 => -0.0,
                    2 => 0,
                    3 => -rng.NextDouble() * 1e4,
                    _ => rng.NextDouble() * 1e4,
                };
                int run = rng.Next(3) == 0 ? 1 : rng.Next(1, 400);
                for (int k = 0; k < run; k++)
                {
                    values.Add(v);
                }
            }

            double start = rng.Next(4) == 0 ? 0 : rng.NextDouble() * 1e9;
            double plain = start;
            foreach (double v in values)
            {
                plain += v;
            }

            AssertSameBits(plain, RepeatedSum.AddInOrder(start, values.ToArray()), $"case {n}");

            // Two sums at once: the second's runs cut where the first's do not.
            double[] second = [.. values.Select((v, k) => k % 97 == 0 ? v * 3 : v * 0.5)];
            double plainSecond = -start;
            foreach (double v in second)
            {
                plainSecond += v;
            }

            double x = start, y = -start;
            RepeatedSum.AddInOrder(ref x, values.ToArray(), ref y, second);
            AssertSameBits(plain, x, $"case {n}, first of two");
            AssertSameBits(plainSecond, y, $"case {n}, second of two");
        }
    }
}
