using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>RepeatedSum.Add gives the bits of adding one addition after another, whatever the sum, the value and the count.</summary>
public class RepeatedSumTests
{
    private static double Plain(double sum, double x, int count)
    {
        for (int i = 0; i < count; i++)
        {
            sum += x;
        }

        return sum;
    }

    private static void AssertSameBits(double sum, double x, int count) =>
        Assert.True(BitConverter.DoubleToInt64Bits(Plain(sum, x, count)) == BitConverter.DoubleToInt64Bits(RepeatedSum.Add(sum, x, count)),
            $"sum {sum:R}, x {x:R}, count {count}: plain {Plain(sum, x, count):R}, repeated {RepeatedSum.Add(sum, x, count):R}");

    [Fact]
    public void RandomSumsAndValues_GiveThePlainLoopsBits()
    {
        var rng = new Random(87);
        for (int trial = 0; trial < 20000; trial++)
        {
            // Values of every scale, a sum from zero or of a scale of its own, same or mixed signs.
            double x = Math.Exp((rng.NextDouble() * 60) - 30) * (rng.Next(6) == 0 ? -1 : 1);
            double sum = rng.Next(3) switch
            {
                0 => 0,
                1 => x * rng.Next(1, 5000),
                _ => Math.Exp((rng.NextDouble() * 80) - 40) * (rng.Next(6) == 0 ? -1 : 1),
            };
            int count = rng.Next(4) == 0 ? rng.Next(0, 20) : rng.Next(0, 5000);
            AssertSameBits(sum, x, count);
        }
    }

    [Fact]
    public void ValuesOnAndNearHalfUnits_GiveThePlainLoopsBits()
    {
        // Ties: x half a unit of the sum's binade off a multiple of it, and a bit either side.
        var rng = new Random(88);
        for (int trial = 0; trial < 5000; trial++)
        {
            double sum = Math.Exp(rng.NextDouble() * 30);
            double unit = Math.BitIncrement(sum) - sum;
            double x = (rng.Next(0, 64) + 0.5) * unit;
            x = rng.Next(3) switch { 0 => x, 1 => Math.BitIncrement(x), _ => Math.BitDecrement(x) };
            AssertSameBits(sum, x, rng.Next(0, 3000));
            AssertSameBits(-sum, -x, rng.Next(0, 3000));
        }
    }

    [Fact]
    public void SmallValuesOnLargeSums_GiveThePlainLoopsBits()
    {
        // Values under half a unit leave the sum where it is; just over it, every addition moves it a unit.
        double sum = 1e6;
        double unit = Math.BitIncrement(sum) - sum;
        foreach (double x in new[] { unit * 0.25, unit * 0.5, Math.BitIncrement(unit * 0.5), unit, unit * 1.5, 3e-300, double.Epsilon })
        {
            AssertSameBits(sum, x, 10000);
            AssertSameBits(-sum, -x, 10000);
            AssertSameBits(sum, -x, 100);
        }
    }

    [Fact]
    public void ZerosNaNsInfinitiesAndExtremes_GiveThePlainLoopsBits()
    {
        double[] specials = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon,
            double.MaxValue, -double.MaxValue, 2.2250738585072014E-308, 1e-305, 1e300, 1.5, -2.75];
        foreach (double sum in specials)
        {
            foreach (double x in specials)
            {
                AssertSameBits(sum, x, 0);
                AssertSameBits(sum, x, 1);
                AssertSameBits(sum, x, 9);
                AssertSameBits(sum, x, 1000);
            }
        }
    }

    [Fact]
    public void AYearOfSteps_OnAYearLongTotal_GivesThePlainLoopsBits()
    {
        // The shape the twin's totals take: a total kept over a run, a pool's racks alike each step.
        double total = 0, plain = 0;
        var rng = new Random(89);
        for (int step = 0; step < 3000; step++)
        {
            double x = 60 * (800 + (rng.NextDouble() * 400));
            int racks = rng.Next(1, 1200);
            total = RepeatedSum.Add(total, x, racks);
            plain = Plain(plain, x, racks);
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(plain), BitConverter.DoubleToInt64Bits(total));
    }
}
