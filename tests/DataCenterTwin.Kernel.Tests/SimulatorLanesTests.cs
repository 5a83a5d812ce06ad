using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Kernel.Tests;

/// <summary>
/// Lanes: simulators below a parent's clock, each with its own queue, sharing the parent's random
/// streams. Each lane fires its events in (time, sequence) order; the parent's events at t see every
/// lane at t with none of its events at or after t fired; RunUntil leaves every lane at the end; a
/// checkpoint of the parent with its lanes continues as the uninterrupted run does.
/// </summary>
public class SimulatorLanesTests
{
    [Fact]
    public void Each_lane_fires_in_time_then_sequence_order()
    {
        var m = new LanedModel(lanes: 3);
        m.Parent.RunUntil(SimTime.FromSeconds(50));
        foreach (var pinger in m.Pingers)
        {
            Assert.True(pinger.Fired.Count > 100);
            for (int i = 1; i < pinger.Fired.Count; i++)
            {
                var (t0, s0) = pinger.Fired[i - 1];
                var (t1, s1) = pinger.Fired[i];
                Assert.True(t0 < t1 || (t0 == t1 && s0 < s1), $"event {i}: ({t0}, {s0}) then ({t1}, {s1})");
            }
        }
    }

    [Fact]
    public void The_parents_events_see_every_lane_at_their_time_and_nothing_of_it_or_later()
    {
        var m = new LanedModel(lanes: 2);
        m.Parent.RunUntil(SimTime.FromSeconds(50));
        Assert.True(m.Ticker.Checks > 40);
        Assert.Equal(0, m.Ticker.Violations);
    }

    [Fact]
    public void RunUntil_leaves_every_lane_at_the_end_and_counts_their_events()
    {
        var m = new LanedModel(lanes: 2);
        var until = SimTime.FromSeconds(7) + SimTime.FromMicroseconds(3);
        m.Parent.RunUntil(until);
        Assert.All(m.Lanes, lane => Assert.Equal(until, lane.Now));
        Assert.All(m.Pingers, p => Assert.All(p.Fired, f => Assert.True(f.Time < until.Ticks)));
        long laneEvents = m.Pingers.Sum(p => (long)p.Fired.Count);
        Assert.Equal(m.Ticker.Checks + laneEvents, m.Parent.EventsFired);
        Assert.Equal(m.Ticker.Checks, m.Parent.OwnEventsFired);
        Assert.Equal(laneEvents, m.Lanes.Sum(lane => lane.OwnEventsFired));
    }

    [Fact]
    public void A_lane_draws_the_parents_stream_for_a_path()
    {
        var parent = new Simulator(seed: 9);
        var lane = new Simulator(parent);
        Assert.Same(parent.Random.For("x"), lane.Random.For("x"));
        Assert.Throws<ArgumentException>(() => new Simulator(lane));
    }

    [Fact]
    public void A_checkpoint_of_a_parent_with_lanes_continues_identically()
    {
        var whole = new LanedModel(lanes: 2);
        whole.Parent.RunUntil(SimTime.FromSeconds(40));

        var first = new LanedModel(lanes: 2);
        var graph = StateGraph.Capture(first);
        first.Parent.RunUntil(SimTime.FromSeconds(17) + SimTime.FromMicroseconds(5));
        var w = new StateWriter();
        graph.Save(w);

        var second = new LanedModel(lanes: 2);
        StateGraph.Capture(second).Restore(new StateReader(w.ToArray()));
        second.Parent.RunUntil(SimTime.FromSeconds(40));

        Assert.Equal(whole.Ticker.Sum, second.Ticker.Sum);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(whole.Pingers[k].Sum, second.Pingers[k].Sum);
            Assert.Equal(whole.Lanes[k].Now, second.Lanes[k].Now);
        }

        Assert.Equal(whole.Parent.EventsFired, second.Parent.EventsFired);
    }

    /// <summary>A parent ticking every second, and lanes each with a handler that fires at random gaps, two events at a time.</summary>
    private sealed class LanedModel : ISubClocks
    {
        public LanedModel(int lanes)
        {
            Parent = new Simulator(seed: 5);
            Lanes = [.. Enumerable.Range(0, lanes).Select(_ => new Simulator(Parent))];
            Pingers = [.. Lanes.Select((lane, k) => new Pinger(lane, $"lane{k}/pinger"))];
            Ticker = new Ticker(this);
            Parent.Attach(this);
        }

        public Simulator Parent { get; }

        public Simulator[] Lanes { get; }

        public Pinger[] Pingers { get; }

        public Ticker Ticker { get; }

        public void AdvanceTo(SimTime t)
        {
            foreach (var lane in Lanes)
            {
                lane.RunUntil(t);
            }
        }
    }

    private sealed class Ticker : IEventHandler
    {
        private readonly LanedModel _model;
        private readonly HandlerId _self;

        public Ticker(LanedModel model)
        {
            _model = model;
            _self = model.Parent.Register(this, "ticker");
            model.Parent.Schedule(SimTime.FromSeconds(1), _self);
        }

        public int Checks { get; private set; }

        public int Violations { get; private set; }

        public long Sum { get; private set; }

        public void OnEvent(in SimEvent e)
        {
            Checks++;
            foreach (var (lane, pinger) in _model.Lanes.Zip(_model.Pingers))
            {
                if (lane.Now != e.Time || pinger.LastTime >= e.Time.Ticks)
                {
                    Violations++;
                }

                Sum = Sum * 31 + pinger.Sum;
            }

            _model.Parent.ScheduleAfter(SimTime.FromSeconds(1), _self);
        }
    }

    private sealed class Pinger : IEventHandler
    {
        private readonly Simulator _sim;
        private readonly HandlerId _self;
        private readonly RandomStream _rng;
        private long _seq;

        public Pinger(Simulator sim, string path)
        {
            _sim = sim;
            _self = sim.Register(this, path);
            _rng = sim.Random.For(path);
            // Two chains: ties at the same time fire in the order they were scheduled.
            sim.Schedule(SimTime.Zero, _self, 0, _seq++);
            sim.Schedule(SimTime.Zero, _self, 0, _seq++);
        }

        [field: NotState]
        public List<(long Time, long Seq)> Fired { get; } = [];

        public long LastTime { get; private set; } = -1;

        public long Sum { get; private set; }

        public void OnEvent(in SimEvent e)
        {
            Fired.Add((e.Time.Ticks, e.Arg));
            LastTime = e.Time.Ticks;
            Sum = Sum * 1_000_003 + e.Time.Ticks + e.Arg;
            // Gaps of 0 to 200 ms in whole 50 ms steps, so lane events often tie with the ticker's seconds.
            _sim.ScheduleAfter(SimTime.FromMicroseconds(50_000 * _rng.NextInt(5)), _self, 0, _seq++);
        }
    }
}
