using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// A fluid pool keeps its latency recordings by their inputs and takes one as its pattern when the same
/// inputs come back (FluidHall.KeptFlushes): a diurnal day repeats yesterday's hours. The figures must be the same
/// bits as recording each of them afresh.
/// </summary>
public class FluidKeptFlushTests
{
    private static RequestClass Chat() =>
        new("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(1, 0.1, 45));

    private static RequestClass Code() =>
        new("code", "llama2-70b", TokenDistribution.LogNormal(2048, 0.6, 8000), TokenDistribution.LogNormal(30, 0.8, 400), new SloSpec(1, 0.05, 10));

    private static FluidHall Make(bool keep, bool bursty, int kept = 192)
    {
        var hourly = new double[24];
        for (int h = 0; h < 24; h++)
        {
            hourly[h] = 1 + (0.5 * Math.Sin(h * Math.PI / 12));
        }

        // Two pools: one diurnal class alone, and (bursty) a diurnal class beside one recorded per arrival phase.
        var chat = TestHardware.Pool(racks: 4) with { Name = "chat", FirstRack = 0 };
        var code = TestHardware.Pool(racks: 2) with { Name = "code", FirstRack = 4 };
        var streams = new RandomStreams(1);
        var arrivals = new IArrivalProcess[]
        {
            new DiurnalPoissonArrivals(2, hourly, null, streams.For("a")),
            bursty ? new MmppArrivals(0.5, 3, 600, 120, streams.For("b")) : new DiurnalPoissonArrivals(0.7, hourly, null, streams.For("b")),
        };
        var chatClass = Chat() with { Pools = [new PoolShare("chat")] };
        var codeClass = Code() with { Pools = [new PoolShare("code")] };
        return new FluidHall(new ComputeHallSpec(6, [chat, code], [chatClass, codeClass]), arrivals, streams.For("tokens")) { KeepsLatencyRecordings = keep, KeptRecordingsPerPool = kept };
    }

    private static List<double> Run(FluidHall hall, int days)
    {
        var readings = new List<double>();
        for (int step = 1; step <= days * 24 * 60; step++)
        {
            // On the second day two hours with a rack throttled, as on the first: the same clocks come back too.
            int minuteOfDay = step % (24 * 60);
            hall.SetRackSpeedFactor(1, minuteOfDay is > 360 and <= 480 ? 0.7 : 1);
            hall.AdvanceTo(SimTime.FromSeconds(step * 60));
            if (step % 397 == 0)
            {
                readings.Add(hall.Metrics[0].E2e.Quantile(0.99));
                readings.Add(hall.Metrics[1].Ttft.Mean);
            }
        }

        for (int c = 0; c < 2; c++)
        {
            var m = hall.Metrics[c];
            foreach (double q in new[] { 0.01, 0.1, 0.5, 0.9, 0.99, 0.999 })
            {
                readings.Add(m.Ttft.Quantile(q));
                readings.Add(m.Tpot.Quantile(q));
                readings.Add(m.E2e.Quantile(q));
            }

            readings.AddRange([m.Ttft.Mean, m.Tpot.Mean, m.E2e.Mean, m.Ttft.Weight, m.E2e.Weight, m.SloMet, m.Completed, m.OutputTokensServed]);
        }

        return readings;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeptRecordings_GiveTheBitsOfRecordingAfresh(bool bursty)
    {
        var kept = Make(keep: true, bursty);
        var fresh = Make(keep: false, bursty);
        var a = Run(kept, days: 3);
        var b = Run(fresh, days: 3);

        Assert.Equal(0, fresh.LatencyPatternsReplayed);
        Assert.Equal(fresh.LatencyPatternsRecorded, kept.LatencyPatternsRecorded);

        // The second and third days copy what the first recorded: at least two of every three new patterns.
        Assert.True(kept.LatencyPatternsReplayed * 3 >= kept.LatencyPatternsRecorded * 2 - 10, $"{kept.LatencyPatternsReplayed} of {kept.LatencyPatternsRecorded} copied");
        Assert.True(kept.Metrics[0].Completed > 1000 && kept.Metrics[1].Completed > 100);
        Assert.Equal(b.Count, a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(b[i]), BitConverter.DoubleToInt64Bits(a[i]));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFullRing_PassesByTheRecordingsInUse(bool bursty)
    {
        // Three kept per pool, two of them the pool's patterns (a throttled rack's clock beside the
        // others'): every new recording goes where the ring passes the two by, and a pattern still
        // pending in a sketch is never recorded over (the sketch would throw).
        var kept = Make(keep: true, bursty, kept: 3);
        var fresh = Make(keep: false, bursty);
        var a = Run(kept, days: 2);
        var b = Run(fresh, days: 2);

        Assert.Equal(3, kept.KeptRecordingsPerPool);
        Assert.Equal(fresh.LatencyPatternsRecorded, kept.LatencyPatternsRecorded);
        Assert.True(kept.LatencyPatternsReplayed > 0 && kept.LatencyPatternsReplayed < kept.LatencyPatternsRecorded / 2, $"{kept.LatencyPatternsReplayed} of {kept.LatencyPatternsRecorded} taken");
        Assert.Equal(b.Count, a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(b[i]), BitConverter.DoubleToInt64Bits(a[i]));
        }
    }
}
