using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// A fluid pool records its latency distribution once per change of its inputs and adds only the
/// served share on the steps that repeat it (FluidHall.LatencyPatterns); the figures must be those of
/// recording every step afresh, to rounding.
/// </summary>
public class FluidLatencyPatternTests
{
    private static RequestClass Chat() =>
        new("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(1, 0.1, 45));

    private static RequestClass Code() =>
        new("code", "llama2-70b", TokenDistribution.LogNormal(2048, 0.6, 8000), TokenDistribution.LogNormal(30, 0.8, 400), new SloSpec(1, 0.05, 10));

    private static FluidHall Make(bool reuse)
    {
        // A diurnal class (rates held for an hour, so steps repeat) and a bursty one (recorded per arrival phase).
        var hourly = new double[24];
        for (int h = 0; h < 24; h++)
        {
            hourly[h] = 1 + (0.5 * Math.Sin(h * Math.PI / 12));
        }

        var pool = TestHardware.Pool(racks: 4);
        var arrivals = new IArrivalProcess[]
        {
            new DiurnalPoissonArrivals(2, hourly, null, new RandomStreams(1).For("a")),
            new MmppArrivals(0.5, 3, 600, 120, new RandomStreams(1).For("b")),
        };
        return new FluidHall(new ComputeHallSpec(4, [pool], [Chat(), Code()]), arrivals, new RandomStreams(1).For("tokens")) { ReusesLatencyPatterns = reuse };
    }

    private static void Run(FluidHall hall, List<double> readings)
    {
        for (int step = 1; step <= 24 * 60; step++)
        {
            // Two hours with the second of four racks throttled: the pool flushes the full-clock
            // solution, the throttled one, the full-clock one again each step.
            hall.SetRackSpeedFactor(1, step is > 360 and <= 480 ? 0.7 : 1);
            hall.AdvanceTo(SimTime.FromSeconds(step * 60));

            // Reading mid-run sees everything recorded so far.
            if (step % 97 == 0)
            {
                readings.Add(hall.Metrics[0].E2e.Quantile(0.99));
                readings.Add(hall.Metrics[1].Ttft.Mean);
            }
        }
    }

    [Fact]
    public void RepeatedSteps_GiveTheFiguresOfRecordingEveryStep()
    {
        var reused = Make(reuse: true);
        var fresh = Make(reuse: false);
        List<double> reusedReadings = [], freshReadings = [];
        Run(reused, reusedReadings);
        Run(fresh, freshReadings);

        // Recorded afresh: one flush a step, three in the 120 throttled steps. Reused: a new pattern
        // only where the hour or the throttle changes.
        Assert.Equal((24 * 60) + (2 * 120), fresh.LatencyPatternsRecorded);
        Assert.True(reused.LatencyPatternsRecorded < fresh.LatencyPatternsRecorded / 10, $"{reused.LatencyPatternsRecorded} patterns recorded");

        Assert.Equal(freshReadings.Count, reusedReadings.Count);
        for (int i = 0; i < freshReadings.Count; i++)
        {
            Assert.Equal(1, reusedReadings[i] / freshReadings[i], 12);
        }

        for (int c = 0; c < 2; c++)
        {
            var a = reused.Metrics[c];
            var b = fresh.Metrics[c];
            Assert.True(b.Completed > 1000);
            foreach (double q in new[] { 0.01, 0.1, 0.5, 0.9, 0.99, 0.999 })
            {
                Assert.Equal(b.Ttft.Quantile(q), a.Ttft.Quantile(q));
                Assert.Equal(b.Tpot.Quantile(q), a.Tpot.Quantile(q));
                Assert.Equal(b.E2e.Quantile(q), a.E2e.Quantile(q));
            }

            // Weights summed in another order: equal to rounding.
            Assert.Equal(1, a.E2e.Mean / b.E2e.Mean, 12);
            Assert.Equal(1, a.Ttft.Weight / b.Ttft.Weight, 12);
            Assert.Equal(1, a.SloMet / b.SloMet, 12);
            Assert.Equal(1, a.Completed / b.Completed, 12);
            Assert.Equal(1, a.OutputTokensServed / b.OutputTokensServed, 12);
        }
    }
}
