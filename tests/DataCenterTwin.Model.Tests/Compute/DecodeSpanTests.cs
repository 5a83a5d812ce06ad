using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// Decode spans (one event for many decode iterations) against the iteration-by-iteration path:
/// the same hall, arrivals and clock changes run both ways must give the same requests to the
/// microsecond and the same energies to rounding, with far fewer kernel events.
/// </summary>
public class DecodeSpanTests
{
    public static TheoryData<string> Variants => new() { "queue/least-work", "preempt/p2c", "defer/p2c" };

    [Theory]
    [MemberData(nameof(Variants))]
    public void CoalescedDecode_MatchesIterationByIteration_UnderArrivalsAndClockChanges(string variant)
    {
        var iterative = Run(variant, spanLimit: 1);
        var coalesced = Run(variant, spanLimit: ComputeHall.MaxDecodeSpan);

        Assert.True(iterative.Records.Count > 1000, $"{iterative.Records.Count} requests: the comparison needs a busy hall");
        Assert.Equal(iterative.Records.Count, coalesced.Records.Count);
        for (int i = 0; i < iterative.Records.Count; i++)
        {
            var a = iterative.Records[i];
            var b = coalesced.Records[i];
            Assert.Equal(a.Id, b.Id);
            Assert.Equal(a.Replica, b.Replica);
            Assert.Equal(a.Dispatch, b.Dispatch);
            Assert.Equal(a.FirstToken, b.FirstToken);
            Assert.Equal(a.Completion, b.Completion);
            Assert.Equal(a.OutputTokens, b.OutputTokens);
            Assert.Equal(a.Preemptions, b.Preemptions);
            Assert.Equal(a.Throttled, b.Throttled);
            Assert.Equal(a.Reason, b.Reason);

            // One sum per span instead of one per iteration: equal to rounding (a few ulps of a sum of hundreds of terms).
            Assert.Equal(a.EnergyJ, b.EnergyJ, 1e-9 * Math.Max(1, a.EnergyJ));
        }

        Assert.Equal(iterative.Iterations, coalesced.Iterations);
        for (int k = 0; k < iterative.RackEnergyJ.Length; k++)
        {
            Assert.Equal(iterative.RackEnergyJ[k], coalesced.RackEnergyJ[k], 1e-9 * iterative.RackEnergyJ[k]);
        }

        // The point of it: far fewer kernel events for the same requests, not counting the ends of
        // spans an arrival cut short, which fire and do nothing (only spans are cut).
        Assert.Equal(0, iterative.Superseded);
        Assert.True(coalesced.Superseded > 0, "no span was cut short: the superseded ends went untested");
        long working = coalesced.Events - coalesced.Superseded;
        Assert.True(working * 3 < iterative.Events, $"coalesced {working} events that did something, iterative {iterative.Events}");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void PrefetchHints_ChangeNothing(string variant)
    {
        // The hall's prefetches (the kernel's hint of the next event, ComputeHall.Prefetch.cs) must
        // only ask for memory: hinting every replica, every kind and payloads out of range, and every
        // class's next arrival, a hundred times a simulated second, leaves the run as it was.
        static void HintAll(ComputeHall hall, SimTime at)
        {
            var prefetcher = (IEventPrefetcher)hall;
            for (int kind = 0; kind < 8; kind++)
            {
                for (long r = -2; r < 40; r++)
                {
                    prefetcher.Prefetch(kind, r);
                }

                prefetcher.Prefetch(kind, long.MaxValue);
            }

            hall.PrefetchArrival(0);
        }

        var plain = Run(variant, spanLimit: ComputeHall.MaxDecodeSpan, probe: (_, _) => { });
        var hinted = Run(variant, spanLimit: ComputeHall.MaxDecodeSpan, probe: HintAll);
        Assert.True(plain.Records.Count > 1000, $"{plain.Records.Count} requests: the comparison needs a busy hall");
        Assert.Equal(plain.Records, hinted.Records);
        Assert.Equal(plain.Events, hinted.Events);
        Assert.Equal(plain.RackEnergyJ, hinted.RackEnergyJ);
    }

    [Fact]
    public void SpanBounds_AreTheScalarRunningSumOfRoundedSteps()
    {
        // A span's boundaries are summed four steps at a time in vector lanes; each must be the
        // scalar sum of Ticks-rounded steps, at full and reduced clocks, for every span length,
        // including steps that round below one tick (the floor of one), to zero, negative, NaN and
        // beyond 2^52 ticks (the lanes fall back to one by one).
        var rng = new RandomStreams(11).For("span-bounds");
        var seconds = new double[ComputeHall.MaxDecodeSpan];
        var bounds = new long[ComputeHall.MaxDecodeSpan];
        double[] odd = [0, -0.0, -1e-3, 4e-7, 5e-7, 1.5e-6, 2.5e-6, double.NaN, 1e12, 4.503599627370495e9, 4.503599627370496e9];
        for (int trial = 0; trial < 20_000; trial++)
        {
            int count = rng.NextInt(ComputeHall.MaxDecodeSpan + 1);
            double speed = trial % 3 == 0 ? 1.0 : 0.3 + (0.7 * rng.NextDouble());
            for (int i = 0; i < count; i++)
            {
                seconds[i] = rng.NextInt(40) == 0 ? odd[rng.NextInt(odd.Length)] : 0.005 + (0.1 * rng.NextDouble());
            }

            long t0 = rng.NextInt(1_000_000_000);
            long last = ComputeHall.AccumulateTicks(seconds.AsSpan(0, count), speed, t0, bounds.AsSpan(0, count));
            long t = t0;
            for (int i = 0; i < count; i++)
            {
                double s = speed == 1.0 ? seconds[i] : seconds[i] / speed;
                t += Math.Max(1, (long)Math.Round(s * SimTime.TicksPerSecond));
                Assert.Equal(t, bounds[i]);
            }

            Assert.Equal(t, last);
        }
    }

    [Fact]
    public void LeastWorkIndex_ChoosesAsTheScanDoes()
    {
        // The hall answers least-outstanding-work from its index; a policy of another type that
        // delegates to the same rule makes it scan every replica per request instead.
        var indexed = Run("queue/least-work", ComputeHall.MaxDecodeSpan);
        var scanned = Run("queue/least-work-scan", ComputeHall.MaxDecodeSpan);
        Assert.True(indexed.Records.Count > 1000);
        Assert.Equal(scanned.Records.Count, indexed.Records.Count);
        for (int i = 0; i < scanned.Records.Count; i++)
        {
            Assert.Equal(scanned.Records[i], indexed.Records[i]);
        }

        Assert.Equal(scanned.Events, indexed.Events);
    }

    [Theory]
    [InlineData("queue")]
    [InlineData("preempt")]
    public void LeastWorkIndex_ChoosesAsTheScanDoes_InALargePoolThatScalesAndThrottles(string batching)
    {
        // 64 replicas with near and far sets both populated: racks throttled and stopped, replicas
        // parked, woken and drained by the scaler every 10 s, spans cut by arrivals; every request
        // must go where a scan of the pool sends it, at the same times.
        var scaling = new ScalingSpec(ScalingMode.SloDriven, 0.7, ScaleDownDelayS: 20, WakeUpS: 5, ParkedAcceleratorW: double.NaN, MinReplicas: 4, IntervalS: 10);
        var indexed = Run($"{batching}/least-work", ComputeHall.MaxDecodeSpan, racks: 16, servers: 4, ratePerS: 70, scaling, horizonS: 150);
        var scanned = Run($"{batching}/least-work-scan", ComputeHall.MaxDecodeSpan, racks: 16, servers: 4, ratePerS: 70, scaling, horizonS: 150);
        Assert.True(indexed.Records.Count > 8000, $"{indexed.Records.Count} requests");
        Assert.Contains(indexed.Records, r => r.Replica >= 32);
        Assert.Equal(scanned.Records.Count, indexed.Records.Count);
        for (int i = 0; i < scanned.Records.Count; i++)
        {
            Assert.Equal(scanned.Records[i], indexed.Records[i]);
        }

        Assert.Equal(scanned.Events, indexed.Events);
        Assert.Equal(scanned.RackEnergyJ, indexed.RackEnergyJ);
        Assert.True(indexed.DeferredLooks > 1000, $"{indexed.DeferredLooks} replicas put in far until a later boundary");
    }

    /// <summary>A policy of another type that delegates to a rule the hall answers from its index: the hall then calls it, and it scans.</summary>
    internal sealed class Scanning(IDispatchPolicy rule) : IDispatchPolicy
    {
        public int Select(IReplicaSet replicas, int promptTokens, int outputTokens, RandomStream rng) => rule.Select(replicas, promptTokens, outputTokens, rng);
    }

    internal sealed record Outcome(List<RequestRecord> Records, long Iterations, long Events, double[] RackEnergyJ, long DeferredLooks, long Superseded);

    [Theory]
    [MemberData(nameof(Variants))]
    public void BatchBookkeeping_HoldsBetweenEvents_UnderArrivalsClockChangesAndStops(string variant)
    {
        // The running batch's root kept beside the replica and the prefill members linked through
        // their requests must agree with the heap and the requests after every stretch of events,
        // racks stopping (their requests evacuated mid-prefill or mid-decode) and restarting included.
        var errors = new List<string>();
        var outcome = Run(variant, ComputeHall.MaxDecodeSpan, probe: (hall, now) =>
        {
            if (hall.BatchBookkeepingError() is { } error && errors.Count < 5)
            {
                errors.Add($"{now}: {error}");
            }
        });
        Assert.True(outcome.Records.Count > 1000, $"{outcome.Records.Count} requests: the check needs a busy hall");
        Assert.Empty(errors);
    }

    /// <summary>
    /// A hall of <paramref name="racks"/> racks under Poisson arrivals and random clock changes (and,
    /// for thermal variants, random rack temperatures). The variant is batching/dispatch: queue,
    /// preempt or defer; least-work, packing, thermal or p2c, with -scan for the rule called as a
    /// policy of another type.
    /// </summary>
    internal static Outcome Run(string variant, int spanLimit, int racks = 4, int servers = 2, double ratePerS = 14, ScalingSpec? scaling = null, double horizonS = 180,
        Action<ComputeHall, SimTime>? probe = null)
    {
        var sim = new Simulator(7);
        var sink = new ListSink();
        var batching = variant.StartsWith("preempt", StringComparison.Ordinal)
            ? new BatchingSpec(MaxBatch: 24, KvCacheTokens: 24_000, OnKvFull: KvFullPolicy.Preempt)
            : new BatchingSpec(MaxBatch: 32, KvCacheTokens: 200_000);
        var admission = variant.StartsWith("defer", StringComparison.Ordinal)
            ? new AdmissionSpec(AdmissionMode.Defer, 1.0, SimTime.FromSeconds(0.25), 3)
            : AdmissionSpec.AcceptAll;
        string rule = variant.Split('/')[1];
        Func<IDispatchPolicy> named = rule.Replace("-scan", "", StringComparison.Ordinal) switch
        {
            "least-work" => () => new LeastOutstandingWork(),
            "packing" => () => new PowerAwarePacking(),
            "thermal" => () => new ThermalAware(),
            _ => () => new PowerOfTwoChoices(),
        };
        Func<IDispatchPolicy> dispatch = rule.EndsWith("-scan", StringComparison.Ordinal) ? () => new Scanning(named()) : named;
        var pool = TestHardware.Pool(racks: racks, serversPerRack: servers, batching: batching, admission: admission) with { Scaling = scaling };
        var cls = new RequestClass("chat", "llama2-70b", TokenDistribution.LogNormal(900, 1.0, 6000), TokenDistribution.LogNormal(220, 1.0, 1500),
            new SloSpec(TtftS: 1.5, TpotS: 0.2));
        var hall = TestHardware.Hall(sim, pool, cls, sink);
        hall.SetDispatchPolicy(0, dispatch());
        hall.DecodeSpanLimit = spanLimit;
        var horizon = SimTime.FromSeconds(horizonS);
        _ = new RequestSource(sim, hall, "chat", new PoissonArrivals(ratePerS, sim.Random.For("arrivals")), "source", horizon);
        // A random rack to a random clock every half second or so, as a power cap would; zero stops a
        // rack (its replicas unavailable to dispatch) until a later change restarts it.
        var clocks = sim.Random.For("clocks");
        double[] factors = [0, 0.4, 0.7, 0.85, 1.0, 1.0, 1.0];
        _ = new Every(sim, "clocks", SimTime.FromSeconds(0.5), horizon, () =>
        {
            hall.SetRackSpeedFactor(clocks.NextInt(hall.RackCount), factors[clocks.NextInt(factors.Length)]);
            return new SimTime(1 + (long)(clocks.NextDouble() * 1e6));
        });
        if (rule.StartsWith("thermal", StringComparison.Ordinal) || rule.StartsWith("mixed", StringComparison.Ordinal))
        {
            // Every rack's temperature every 0.3 s or so, as the twin's control step sets them: 60-95 °C,
            // some exactly at the thermal-aware threshold (80 °C, hot), and now and then every rack hot.
            var temperatures = sim.Random.For("temperatures");
            _ = new Every(sim, "temperatures", SimTime.FromSeconds(0.3), horizon, () =>
            {
                bool allHot = temperatures.NextInt(8) == 0;
                for (int rack = 0; rack < hall.RackCount; rack++)
                {
                    double c = temperatures.NextInt(10) == 0 ? 80.0 : 60 + (35 * temperatures.NextDouble());
                    hall.SetRackTemperatureC(rack, allHot ? Math.Max(c, 80.0) : c);
                }

                return new SimTime(200_000 + (long)(temperatures.NextDouble() * 2e5));
            });
        }

        if (rule.StartsWith("mixed", StringComparison.Ordinal))
        {
            // Every 7 s the pool's policy is replaced (a live control's dispatch change): least work,
            // packing, thermal-aware at 80 °C, then at 70 °C, round again, each scanning where the rule does.
            int next = 0;
            _ = new Every(sim, "policies", SimTime.FromSeconds(7), horizon, () =>
            {
                IDispatchPolicy[] rules = [new LeastOutstandingWork(), new PowerAwarePacking(), new ThermalAware(80), new ThermalAware(70)];
                var policy = rules[next++ % rules.Length];
                hall.SetDispatchPolicy(0, rule.EndsWith("-scan", StringComparison.Ordinal) ? new Scanning(policy) : policy);
                return SimTime.FromSeconds(7);
            });
        }

        var end = horizon + SimTime.FromSeconds(600);
        if (probe is not null)
        {
            // Consecutive RunUntil calls fire each event once, as one call does: the run is the same.
            for (var t = SimTime.FromSeconds(0.01); t < end; t += SimTime.FromSeconds(0.01))
            {
                sim.RunUntil(t);
                probe(hall, t);
            }
        }

        sim.RunUntil(end);
        hall.AdvanceTo(sim.Now);
        var records = sink.Records.OrderBy(r => r.Id).ToList();
        return new Outcome(records, hall.Iterations, sim.EventsFired, [.. Enumerable.Range(0, hall.RackCount).Select(hall.RackEnergyJ)], hall.LeastWorkDeferredLooks, hall.SupersededSpanEnds);
    }

    /// <summary>Calls an action at a first time and then after each gap it returns, until a time.</summary>
    private sealed class Every : IEventHandler
    {
        private readonly Simulator _sim;
        private readonly HandlerId _self;
        private readonly SimTime _until;
        private readonly Func<SimTime> _act;

        public Every(Simulator sim, string path, SimTime first, SimTime until, Func<SimTime> act)
        {
            _sim = sim;
            _until = until;
            _act = act;
            _self = sim.Register(this, path);
            sim.ScheduleAfter(first, _self);
        }

        public void OnEvent(in SimEvent e)
        {
            var gap = _act();
            if (_sim.Now < _until)
            {
                _sim.ScheduleAfter(gap, _self);
            }
        }
    }
}
