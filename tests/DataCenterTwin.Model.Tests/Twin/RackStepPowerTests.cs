using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Model.Tests.Twin;

/// <summary>
/// A step's rack powers, four racks at a time; one rack at a time is the reference. The hall's totals
/// are added in rack order either way, so both must give the same bits, on any rack count and on the
/// awkward values (NaN, ±0, a stopped rack, power below idle).
/// </summary>
public class RackStepPowerTests
{
    [Fact]
    public void ThreeRacks_AreTheHandWorkedPowers()
    {
        // 60 s: 600 kJ is 10 kW; idle 4 kW. Rack 1 at half clocks: 6 kW above idle is 24 kW at full
        // clocks (f²); rack 2 below idle has nothing above it; rack 0 stopped counts at clock 0.001.
        double[] energy = [600e3 + 100, 600e3, 120e3];
        double[] last = [100, 0, 0];
        double[] power = new double[3], dynamic = new double[3];
        double[] idle = [4e3, 4e3, 4e3];
        double[] speed = [0, 0.5, 1];
        var (itW, dynamicW) = RackStepPower.Measure(energy, last, power, idle, speed, dynamic, 60);

        Assert.Equal([10e3, 10e3, 2e3], power);
        Assert.Equal(energy, last);
        Assert.Equal(6e9, dynamic[0], 1e-3);
        Assert.Equal(24e3, dynamic[1]);
        Assert.Equal(0, dynamic[2]);
        Assert.Equal(22e3, itW);
        Assert.Equal(dynamic[0] + dynamic[1] + dynamic[2], dynamicW);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(66)]
    public void FourAtATime_GivesTheBitsOfOneAtATime(int racks)
    {
        var rng = new Random(racks);
        double[] awkward = [double.NaN, 0.0, -0.0, 1, 1e-300, 0.5];
        double[] Values(double scale) => [.. Enumerable.Range(0, racks).Select(_ => rng.Next(8) == 0 ? awkward[rng.Next(awkward.Length)] : rng.NextDouble() * scale)];
        double[] lastV = new double[racks], lastS = new double[racks];
        double[] energy = new double[racks];
        for (int step = 0; step < 30; step++)
        {
            for (int r = 0; r < racks; r++)
            {
                energy[r] += rng.Next(8) == 0 ? awkward[rng.Next(awkward.Length)] : rng.NextDouble() * 3e6;
            }

            double[] idle = Values(8e3);
            double[] speed = Values(1);
            double[] powerV = new double[racks], powerS = new double[racks], dynamicV = new double[racks], dynamicS = new double[racks];
            var v = RackStepPower.Measure(energy, lastV, powerV, idle, speed, dynamicV, 60);
            var s = RackStepPower.Measure(energy, lastS, powerS, idle, speed, dynamicS, 60, vectorized: false);
            Assert.Equal(BitConverter.DoubleToInt64Bits(s.ItW), BitConverter.DoubleToInt64Bits(v.ItW));
            Assert.Equal(BitConverter.DoubleToInt64Bits(s.DynamicW), BitConverter.DoubleToInt64Bits(v.DynamicW));
            for (int r = 0; r < racks; r++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(powerS[r]) == BitConverter.DoubleToInt64Bits(powerV[r]), $"step {step}, rack {r}: power {powerV[r]:R} against {powerS[r]:R}");
                Assert.True(BitConverter.DoubleToInt64Bits(dynamicS[r]) == BitConverter.DoubleToInt64Bits(dynamicV[r]), $"step {step}, rack {r}: above idle {dynamicV[r]:R} against {dynamicS[r]:R}");
                Assert.Equal(BitConverter.DoubleToInt64Bits(lastS[r]), BitConverter.DoubleToInt64Bits(lastV[r]));
            }

            // The twin's expression before this kernel, with its shortcut at full clocks.
            for (int r = 0; r < racks; r++)
            {
                double f = Math.Max(speed[r], 1e-3);
                double scale = f * f;
                double aboveIdleW = Math.Max(0, powerS[r] - idle[r]);
                double fullW = scale == 1 ? aboveIdleW : aboveIdleW / scale;
                Assert.Equal(BitConverter.DoubleToInt64Bits(fullW), BitConverter.DoubleToInt64Bits(dynamicS[r]));
            }
        }
    }

    // Pools whose racks draw one power (runs of racks alike, of lengths around the shortest run
    // jumped through), a lone rack breaking a run, a rack whose power repeats but whose clock does
    // not, and halls from a few racks to a thousand: the totals, run by run, have the bits of adding
    // one rack at a time.
    [Theory]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(1_184)]
    public void RunsOfRacksAlike_GiveTheBitsOfOneAtATime(int racks)
    {
        var rng = new Random(racks);
        double[] energy = new double[racks], lastV = new double[racks], lastS = new double[racks];
        double[] idle = [.. Enumerable.Range(0, racks).Select(r => r < racks / 2 ? 4e3 : 6e3)];
        for (int step = 0; step < 40; step++)
        {
            // Runs of 1 to 40 racks, each at one step energy.
            for (int r = 0; r < racks;)
            {
                int length = rng.Next(1, 41);
                double stepJ = rng.NextDouble() * 3e6;
                for (int k = r; k < Math.Min(racks, r + length); k++)
                {
                    energy[k] += stepJ;
                }

                r += length;
            }

            energy[rng.Next(racks)] += 1;
            double[] speed = [.. Enumerable.Range(0, racks).Select(_ => 1.0)];
            speed[rng.Next(racks)] = 0.7;
            double[] powerV = new double[racks], powerS = new double[racks], dynamicV = new double[racks], dynamicS = new double[racks];
            var v = RackStepPower.Measure(energy, lastV, powerV, idle, speed, dynamicV, 60);
            var s = RackStepPower.Measure(energy, lastS, powerS, idle, speed, dynamicS, 60, vectorized: false);
            Assert.True(BitConverter.DoubleToInt64Bits(s.ItW) == BitConverter.DoubleToInt64Bits(v.ItW), $"step {step}: {v.ItW:R} against {s.ItW:R}");
            Assert.True(BitConverter.DoubleToInt64Bits(s.DynamicW) == BitConverter.DoubleToInt64Bits(v.DynamicW), $"step {step}: {v.DynamicW:R} against {s.DynamicW:R}");
        }
    }
}
