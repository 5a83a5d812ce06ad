using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// The fluid hall reads each class's rate over a span once and takes it again when the same span is
/// read (FluidHall.Forecast): a control step serves a step, forecasts that step and the next, then
/// serves the next. Forecasts and every figure must be the same bits as reading the profiles each
/// time, on a profile that changes within every step (so that a span mistaken for another shows),
/// with steps of uneven length, forecasts of spans never served, and scales changed mid-run.
/// </summary>
public class FluidSpanRatesTests
{
    // A rate that changes at every microsecond, so that no two spans share their Simpson rate by chance.
    private sealed class WavyArrivals(double baseRatePerS) : IArrivalProcess
    {
        public double MeanRatePerS => baseRatePerS;

        public double RatePerS(SimTime t) => baseRatePerS * (1 + (0.5 * Math.Sin(t.Ticks / 7.3e8)));

        public bool TryNext(out Arrival next)
        {
            next = default;
            return false;
        }

        public void SkipTo(SimTime t)
        {
        }
    }

    private static FluidHall Make(bool keeps)
    {
        var streams = new RandomStreams(3);
        var chat = new RequestClass("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(1, 0.1, 45))
        {
            Pools = [new PoolShare("chat")],
        };
        var code = new RequestClass("code", "llama2-70b", TokenDistribution.LogNormal(2048, 0.6, 8000), TokenDistribution.LogNormal(30, 0.8, 400), new SloSpec(1, 0.05, 10))
        {
            Pools = [new PoolShare("code")],
        };
        var pools = new[]
        {
            TestHardware.Pool(racks: 3) with { Name = "chat", FirstRack = 0 },
            TestHardware.Pool(racks: 2) with { Name = "code", FirstRack = 3 },
        };
        return new FluidHall(new ComputeHallSpec(5, pools, [chat, code]), [new WavyArrivals(3), new WavyArrivals(1)], streams.For("tokens")) { KeepsSpanRates = keeps };
    }

    private static List<double> Run(FluidHall hall)
    {
        var readings = new List<double>();
        long t = 0;
        for (int step = 1; step <= 600; step++)
        {
            // Mostly a minute; every seventh step 30 s, every eleventh 90 s.
            long dt = SimTime.FromSeconds(step % 7 == 0 ? 30 : step % 11 == 0 ? 90 : 60).Ticks;
            var from = new SimTime(t);
            t += dt;
            var to = new SimTime(t);
            if (step == 200)
            {
                hall.SetArrivalScale(0, 1.7);
            }

            if (step == 400)
            {
                hall.ShedFraction = 0.2;
            }

            hall.AdvanceTo(to);

            // As the controller reads them: the step just served, the step ahead (a minute), and now and
            // then a span served by no step.
            readings.Add(hall.ExpectedArrivalRatePerS(from, to));
            readings.Add(hall.ExpectedArrivalRatePerS(to, to + SimTime.FromSeconds(60)));
            if (step % 13 == 0)
            {
                readings.Add(hall.ExpectedArrivalRatePerS(to, to + SimTime.FromSeconds(45)));
            }

            readings.Add(hall.Metrics[0].Arrived);
            readings.Add(hall.Metrics[1].Arrived);
            readings.Add(hall.Metrics[1].Rejected);
        }

        readings.AddRange(hall.RackEnergiesJ.ToArray());
        readings.AddRange([hall.BusyAcceleratorSeconds, hall.Metrics[0].Completed, hall.Metrics[1].Completed, hall.Metrics[0].E2e.Mean]);
        return readings;
    }

    [Fact]
    public void KeptSpanRates_GiveTheBitsOfReadingTheProfilesEachTime()
    {
        var a = Run(Make(keeps: true));
        var b = Run(Make(keeps: false));
        Assert.Equal(b.Count, a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(b[i]) == BitConverter.DoubleToInt64Bits(a[i]), $"reading {i}: {a[i]:R} kept, {b[i]:R} read each time");
        }

        // The rate moves within a step: a forecast of the step ahead is not that of the step just served.
        Assert.NotEqual(b[0], b[1]);
    }
}
