using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// A fluid hall that records no latencies (a plant's design year, FluidHall.RecordsLatencies off)
/// draws the same rack energies, bit for bit, as one that records them, and records nothing.
/// </summary>
public class FluidPowerOnlyTests
{
    private static FluidHall Make(bool records, bool served = true)
    {
        var hourly = new double[24];
        for (int h = 0; h < 24; h++)
        {
            hourly[h] = 1 + (0.6 * Math.Sin(h * Math.PI / 12));
        }

        var streams = new RandomStreams(3);
        var chat = new RequestClass("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(1, 0.1, 45));
        var code = new RequestClass("code", "llama2-70b", TokenDistribution.LogNormal(2048, 0.6, 8000), TokenDistribution.LogNormal(30, 0.8, 400), new SloSpec(1, 0.05, 10));
        var arrivals = new IArrivalProcess[]
        {
            new DiurnalPoissonArrivals(3, hourly, null, streams.For("a")),
            new MmppArrivals(0.5, 3, 600, 120, streams.For("b")),
        };
        return new FluidHall(new ComputeHallSpec(4, [TestHardware.Pool(racks: 4)], [chat, code]), arrivals, streams.For("tokens")) { RecordsLatencies = records, RecordsServed = served };
    }

    [Fact]
    public void PowerOnly_DrawsTheSameEnergyAndRecordsNothing()
    {
        var recording = Make(records: true);
        var powerOnly = Make(records: false);
        for (int step = 1; step <= 2 * 24 * 60; step++)
        {
            // Two hours a day with a rack throttled: two solutions a step, each flushed in turn.
            bool throttled = step % (24 * 60) is > 600 and <= 720;
            foreach (var hall in new[] { recording, powerOnly })
            {
                hall.SetRackSpeedFactor(2, throttled ? 0.6 : 1);
                hall.AdvanceTo(SimTime.FromSeconds(step * 60));
            }
        }

        for (int k = 0; k < 4; k++)
        {
            Assert.True(recording.RackEnergyJ(k) > 0);
            Assert.Equal(BitConverter.DoubleToInt64Bits(recording.RackEnergyJ(k)), BitConverter.DoubleToInt64Bits(powerOnly.RackEnergyJ(k)));
        }

        Assert.Equal(recording.BusyAcceleratorSeconds, powerOnly.BusyAcceleratorSeconds);
        for (int c = 0; c < 2; c++)
        {
            Assert.True(recording.Metrics[c].Completed > 1000);
            Assert.Equal(0, powerOnly.Metrics[c].Completed);
            Assert.Equal(0, powerOnly.Metrics[c].E2e.Weight);
        }
    }

    [Fact]
    public void EnergyOnly_DrawsTheSameEnergyAndKeepsNothingServed()
    {
        // A plant's design year: neither latencies nor what was served, so racks share nothing.
        var recording = Make(records: true);
        var energyOnly = Make(records: false, served: false);
        for (int step = 1; step <= 2 * 24 * 60; step++)
        {
            bool throttled = step % (24 * 60) is > 600 and <= 720;
            foreach (var hall in new[] { recording, energyOnly })
            {
                hall.SetRackSpeedFactor(2, throttled ? 0.6 : 1);
                hall.AdvanceTo(SimTime.FromSeconds(step * 60));
            }
        }

        for (int k = 0; k < 4; k++)
        {
            Assert.True(recording.RackEnergyJ(k) > 0);
            Assert.Equal(BitConverter.DoubleToInt64Bits(recording.RackEnergyJ(k)), BitConverter.DoubleToInt64Bits(energyOnly.RackEnergyJ(k)));
        }

        Assert.True(recording.BusyAcceleratorSeconds > 0);
        Assert.Equal(0, energyOnly.BusyAcceleratorSeconds);
        Assert.Equal(0, energyOnly.PoolTotals()[0].Requests);
        Assert.Equal(0, energyOnly.Metrics[0].Completed);
    }
}
