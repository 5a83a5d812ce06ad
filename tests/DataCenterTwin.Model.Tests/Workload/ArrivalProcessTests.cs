using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Workload;

public class ArrivalProcessTests
{
    private static RandomStream Rng(ulong seed = 1) => new RandomStreams(seed).For("arrivals");

    private static double[] Gaps(IArrivalProcess p, int n)
    {
        var gaps = new double[n];
        double last = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.True(p.TryNext(out var a));
            gaps[i] = a.Time.TotalSeconds - last;
            last = a.Time.TotalSeconds;
        }

        return gaps;
    }

    private static double Cv(double[] x)
    {
        double mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length) / mean;
    }

    [Fact]
    public void Poisson_HasItsRate_AndCvOne()
    {
        // 200,000 gaps: the CV's standard error is about 1/√n·√2 ≈ 0.003, so ±0.02 is ~6σ.
        var gaps = Gaps(new PoissonArrivals(5.64, Rng()), 200_000);
        Assert.Equal(1 / 5.64, gaps.Average(), 0.01 / 5.64);
        Assert.Equal(1.00, Cv(gaps), 0.02);
    }

    [Fact]
    public void Diurnal_HourlyCounts_MatchProfile_ChiSquare()
    {
        double[] hourly = [.3, .25, .2, .2, .25, .35, .5, .8, 1.1, 1.3, 1.4, 1.5, 1.5, 1.45, 1.4, 1.35, 1.3, 1.25, 1.2, 1.1, .9, .7, .5, .4];
        var p = new DiurnalPoissonArrivals(10, hourly, null, Rng());
        var counts = new double[24];
        long days = 20;
        while (p.TryNext(out var a) && a.Time < SimTime.FromDays(days))
        {
            counts[a.Time.Ticks / SimTime.TicksPerHour % 24]++;
        }

        double chi2 = 0;
        for (int h = 0; h < 24; h++)
        {
            double expected = 10 * hourly[h] * 3600 * days;
            chi2 += (counts[h] - expected) * (counts[h] - expected) / expected;
        }

        // χ² with 24 degrees of freedom (the expectation is known, not fitted): 99.9th percentile 51.2.
        Assert.True(chi2 < 51.2, $"chi-square {chi2:F1}");
        Assert.Equal(10 * 1.5, p.RatePerS(SimTime.FromHours(24 + 11) + SimTime.FromMinutes(30)), 12);
    }

    [Fact]
    public void Diurnal_WeeklyMultipliers_ShapeDays()
    {
        var hourly = Enumerable.Repeat(1.0, 24).ToArray();
        double[] weekly = [1, 1, 1, 1, 1, 0.5, 0.25];
        var p = new DiurnalPoissonArrivals(2, hourly, weekly, Rng());
        var perDay = new double[7];
        while (p.TryNext(out var a) && a.Time < SimTime.FromDays(70))
        {
            perDay[a.Time.Ticks / SimTime.TicksPerDay % 7]++;
        }

        Assert.Equal(0.25, perDay[6] / perDay[0], 0.02);
        Assert.Equal(0.5, perDay[5] / perDay[0], 0.02);
        Assert.Equal(2 * weekly.Average(), p.MeanRatePerS, 12);
    }

    [Fact]
    public void Mmpp_IsBurstier_ThanPoisson_AtItsMeanRate()
    {
        var p = new MmppArrivals(1, 40, 6, 0.6, Rng());
        var gaps = Gaps(p, 200_000);
        Assert.Equal(1 / p.MeanRatePerS, gaps.Average(), 0.05 / p.MeanRatePerS);
        Assert.True(Cv(gaps) > 1.5, $"CV {Cv(gaps):F2}");
    }

    private static RequestTrace BurstyTrace()
    {
        // Bursts of 20 requests 1 ms apart, every 10 s, with a 2-token prompt, 3-token output.
        int n = 400;
        var t = new long[n];
        for (int i = 0; i < n; i++)
        {
            t[i] = i / 20 * 10_000_000L + i % 20 * 1_000L;
        }

        return new RequestTrace(t, Enumerable.Repeat(2, n).ToArray(), Enumerable.Repeat(3, n).ToArray());
    }

    [Fact]
    public void TraceReplay_SpeedUp_DividesSpan_KeepsCountsAndCv()
    {
        var trace = BurstyTrace();
        var times = Replay(new TraceReplayArrivals(trace, speedUp: 2));
        Assert.Equal(trace.Count, times.Count);
        Assert.Equal(trace.SpanS / 2, times[^1] - times[0], 6);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
        Assert.Equal(trace.InterArrivalCv(), Cv(gaps), 3);
    }

    [Fact]
    public void TraceReplay_Copies_MultiplyTheRate_AndKeepBursts()
    {
        var trace = BurstyTrace();
        var one = new TraceReplayArrivals(trace, speedUp: 10, loop: true);
        var four = new TraceReplayArrivals(trace, speedUp: 10, copies: 4, loop: true);
        Assert.Equal(4 * one.MeanRatePerS, four.MeanRatePerS, 9);
        var times = Replay(four, SimTime.FromSeconds(100));
        Assert.Equal(four.MeanRatePerS * 100, times.Count, four.MeanRatePerS * 100 * 0.02);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
        Assert.True(Cv(gaps) > 2, $"CV {Cv(gaps):F2}: superposed copies must stay bursty");
        Assert.All(gaps, g => Assert.True(g >= 0));
    }

    [Fact]
    public void TraceReplay_Loop_RepeatsWithThePeriod_AndCarriesTokens()
    {
        var trace = BurstyTrace();
        var p = new TraceReplayArrivals(trace, loop: true);
        var arrivals = new List<Arrival>();
        for (int i = 0; i < 3 * trace.Count; i++)
        {
            Assert.True(p.TryNext(out var a));
            arrivals.Add(a);
        }

        double period = trace.SpanS + trace.SpanS / (trace.Count - 1);
        Assert.Equal(period, (arrivals[trace.Count].Time - arrivals[0].Time).TotalSeconds, 5);
        Assert.All(arrivals, a => Assert.Equal((2, 3), (a.PromptTokens, a.OutputTokens)));
    }

    [Fact]
    public void TraceReplay_RatePerS_IsTheBinnedScaledRate()
    {
        var trace = BurstyTrace();
        var p = new TraceReplayArrivals(trace, speedUp: 2, loop: true);

        // Each minute of trace time holds 6 bursts of 20: 120 per 60 s, at 2x: 4 req/s.
        Assert.Equal(4, p.RatePerS(SimTime.FromSeconds(5)), 9);
        double integral = 0;
        for (int s = 0; s < 1000; s++)
        {
            integral += p.RatePerS(SimTime.FromSeconds(s + 0.5));
        }

        Assert.Equal(p.MeanRatePerS * 1000, integral, p.MeanRatePerS * 1000 * 0.05);
    }

    private static List<double> Replay(TraceReplayArrivals p, SimTime? until = null)
    {
        var list = new List<double>();
        while (p.TryNext(out var a) && a.Time < (until ?? SimTime.MaxValue))
        {
            list.Add(a.Time.TotalSeconds);
        }

        return list;
    }

    [Fact]
    public void Diurnal_KeptHourRate_IsThinningAgainstRatePerS()
    {
        // The process keeps the rate of the hour its last candidate fell in: its arrivals must be
        // those of thinning against RatePerS at every candidate, across hours, days and the week,
        // from the same draws (Lewis and Shedler 1979, written out here).
        double[] hourly = [.. Enumerable.Range(0, 24).Select(h => 0.2 + (h % 7) * 0.3)];
        double[] weekly = [1, 0.5, 1.5, 1, 0.25, 2, 1];
        var p = new DiurnalPoissonArrivals(0.02, hourly, weekly, Rng(9));
        var rng = Rng(9);
        double peak = 0.02 * hourly.Max() * weekly.Max();
        double timeS = 0;
        for (int i = 0; i < 20_000; i++)
        {
            SimTime expected;
            while (true)
            {
                timeS += rng.Exponential(1 / peak);
                var t = SimTime.FromSeconds(timeS);
                if (rng.NextDouble() * peak < p.RatePerS(t))
                {
                    expected = t;
                    break;
                }
            }

            Assert.True(p.TryNext(out var next));
            Assert.Equal(expected, next.Time);
        }

        Assert.True(timeS > 8 * 86_400, "the draws cover more than a week");
    }
}
