using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// A pool-step whose inputs are the step before's bits takes that step's results (FluidHall.Replay):
/// every figure must be the same bits as working each step, through hours of one rate, a pool
/// throttled whole (one clock, another run), one rack throttled (racks not alike), a rack stopped,
/// and an overload whose backlog moves every step.
/// </summary>
public class FluidReplayTests
{
    private const int Racks = 6;

    private static FluidHall Make(bool replays, double scale)
    {
        var hourly = new double[24];
        for (int h = 0; h < 24; h++)
        {
            hourly[h] = scale * (1 + (0.6 * Math.Sin(h * Math.PI / 12)));
        }

        var streams = new RandomStreams(5);
        var chat = new RequestClass("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(1, 0.1, 45))
        {
            Pools = [new PoolShare("chat")],
        };
        var code = new RequestClass("code", "llama2-70b", TokenDistribution.LogNormal(2048, 0.6, 8000), TokenDistribution.LogNormal(30, 0.8, 400), new SloSpec(1, 0.05, 10))
        {
            Pools = [new PoolShare("code")],
        };
        var arrivals = new IArrivalProcess[]
        {
            new DiurnalPoissonArrivals(2, hourly, null, streams.For("a")),
            new MmppArrivals(0.4 * scale, 3, 600, 120, streams.For("b")),
        };
        var pools = new[]
        {
            TestHardware.Pool(racks: 4) with { Name = "chat", FirstRack = 0 },
            TestHardware.Pool(racks: 2) with { Name = "code", FirstRack = 4 },
        };
        return new FluidHall(new ComputeHallSpec(Racks, pools, [chat, code]), arrivals, streams.For("tokens")) { ReplaysSteps = replays };
    }

    // Minutes of the day: the chat pool throttled whole, one chat rack throttled, a code rack stopped.
    private static double Clock(int rack, int minute) => minute switch
    {
        >= 300 and < 420 when rack < 4 => 0.7,
        >= 600 and < 700 when rack == 1 => 0.6,
        >= 900 and < 960 when rack == 5 => 0,
        _ => 1,
    };

    private static List<double> Run(FluidHall hall, int days, Func<int, (bool Latencies, bool Distributions)>? records = null)
    {
        var readings = new List<double>();
        for (int step = 1; step <= days * 24 * 60; step++)
        {
            for (int k = 0; k < Racks; k++)
            {
                hall.SetRackSpeedFactor(k, Clock(k, step % (24 * 60)));
            }

            if (records is not null)
            {
                (hall.RecordsLatencies, hall.RecordsLatencyDistributions) = records(step);
            }

            hall.AdvanceTo(SimTime.FromSeconds(step * 60));
            if (step % 211 == 0)
            {
                readings.Add(hall.Metrics[0].E2e.Quantile(0.99));
                readings.Add(hall.Metrics[1].Ttft.Mean);
                readings.Add(hall.Backlog);
            }
        }

        readings.AddRange(hall.RackEnergiesJ.ToArray());
        var busy = new double[Racks];
        hall.RackBusyAcceleratorSeconds(busy);
        readings.AddRange(busy);
        readings.AddRange([hall.BusyAcceleratorSeconds, hall.ComputeBusyAcceleratorSeconds, hall.MemoryBusyAcceleratorSeconds, hall.BatchOccupancyReplicaSeconds]);
        foreach (var p in hall.PoolTotals())
        {
            readings.AddRange([p.Requests, p.PromptTokens, p.OutputTokens, p.BusyAcceleratorSeconds, p.EnergyJ]);
        }

        for (int c = 0; c < 2; c++)
        {
            var m = hall.Metrics[c];
            foreach (double q in new[] { 0.01, 0.5, 0.9, 0.99 })
            {
                readings.AddRange([m.Ttft.Quantile(q), m.Tpot.Quantile(q), m.E2e.Quantile(q)]);
            }

            readings.AddRange([m.Ttft.Mean, m.E2e.Mean, m.E2e.Weight, m.SloMet, m.Completed, m.OutputTokensServed]);
        }

        return readings;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(6.0)] // the chat pool overloaded about the daily peak (a backlog ten hours a day): while it builds and drains no step is its predecessor's
    public void ReplayedSteps_GiveTheBitsOfWorkingEachStep(double scale)
    {
        var replayed = Make(replays: true, scale);
        var worked = Make(replays: false, scale);
        var a = Run(replayed, days: 2);
        var b = Run(worked, days: 2);

        Assert.Equal(0, worked.StepsReplayed);
        Assert.True(replayed.StepsReplayed > 2 * 24 * 60 / 2, $"{replayed.StepsReplayed} pool-steps replayed");
        Assert.True(replayed.Metrics[0].Completed > 1000 && replayed.Metrics[1].Completed > 100);
        Assert.Equal(b.Count, a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(b[i]) == BitConverter.DoubleToInt64Bits(a[i]), $"reading {i}: {a[i]:R} replayed, {b[i]:R} worked");
        }
    }

    // A replayed step's flush takes the pattern the pool's last flush added (FluidHall.Replay): with
    // latencies off across an hour's change of rates (the steps' pending dropped, not flushed), the
    // first replayed flush after they come back has new inputs, and must not take the pattern
    // flushed before they went off; nor one recorded with distributions when they are off.
    [Fact]
    public void ReplayedSteps_AfterRecordingWasOff_GiveTheBitsOfWorkingEachStep()
    {
        static (bool, bool) Records(int step) => (step % (24 * 60)) switch
        {
            >= 130 and < 250 => (false, true),
            >= 470 and < 530 => (true, false),
            _ => (true, true),
        };

        var replayed = Make(replays: true, 1.0);
        var worked = Make(replays: false, 1.0);
        var a = Run(replayed, days: 1, Records);
        var b = Run(worked, days: 1, Records);

        Assert.True(replayed.StepsReplayed > 24 * 60 / 2, $"{replayed.StepsReplayed} pool-steps replayed");
        Assert.Equal(b.Count, a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(b[i]) == BitConverter.DoubleToInt64Bits(a[i]), $"reading {i}: {a[i]:R} replayed, {b[i]:R} worked");
        }
    }
}
