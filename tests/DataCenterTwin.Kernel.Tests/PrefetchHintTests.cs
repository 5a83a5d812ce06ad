namespace DataCenterTwin.Kernel.Tests;

public class PrefetchHintTests
{
    /// <summary>Records its events and the hints it is given (a hint lands before the event it names fires).</summary>
    private sealed class HintedHandler : IEventHandler, IEventPrefetcher
    {
        public List<(int Kind, long Arg)> Fired { get; } = [];

        // Each hint with the number of events fired before it: the hint given while event k runs has k.
        public List<(int Before, int Kind, long Arg)> Hints { get; } = [];

        public void OnEvent(in SimEvent e) => Fired.Add((e.Kind, e.Arg));

        public void Prefetch(int kind, long arg) => Hints.Add((Fired.Count, kind, arg));
    }

    [Fact]
    public void Hint_NamesTheEventThatFiresNext()
    {
        // Random times and ties, some cancelled: while each event runs, the hint is the second
        // smallest key of the queue, which fires next when the handler schedules nothing earlier.
        // Hints are given while the queue holds Simulator.HintMinPending entries or more.
        var sim = new Simulator(seed: 3);
        var h = new HintedHandler();
        var id = sim.Register(h, "hinted");
        var rng = new System.Random(12345);
        var handles = new List<EventHandle>();
        int total = Simulator.HintMinPending + 2000;
        for (int i = 0; i < total; i++)
        {
            handles.Add(sim.Schedule(new SimTime(rng.Next(0, 2000)), id, i % 5, i));
        }

        for (int i = 0; i < handles.Count; i += 7)
        {
            sim.Cancel(handles[i]);
        }

        sim.Run();
        Assert.Equal(total - ((total + 6) / 7), h.Fired.Count);

        // While each of the first events runs, one hint: the next to fire, or a cancelled event that
        // was the queue's second smallest key then (dropped, never fired). None once the queue is shallow.
        int n = h.Fired.Count, matched = 0, hinted = h.Hints.Count;
        Assert.True(hinted > 1000 && hinted < n - 500, $"{hinted} hints for {n} events");
        Assert.Equal(Enumerable.Range(0, hinted), h.Hints.Select(x => x.Before));
        for (int k = 0; k < hinted; k++)
        {
            var hint = h.Hints[k];
            if (hint.Arg % 7 == 0)
            {
                Assert.DoesNotContain((hint.Kind, hint.Arg), h.Fired);
                continue;
            }

            Assert.Equal(h.Fired[k + 1], (hint.Kind, hint.Arg));
            matched++;
        }

        Assert.True(matched > hinted * 3 / 4, $"{matched} of {hinted} hints named the next event");
    }

    [Fact]
    public void Hints_ChangeNothing()
    {
        // The same schedule with a hinted and a plain handler fires the same events at the same times.
        static List<(long, int, long)> RunOnce(bool hinted)
        {
            var sim = new Simulator(seed: 9);
            var fired = new List<(long, int, long)>();
            var plain = new RecordingHandler();
            var h = new HintedHandler();
            HandlerId id = hinted ? sim.Register(h, "x") : sim.Register(plain, "x");
            var rng = new System.Random(7);
            for (int i = 0; i < 500; i++)
            {
                sim.Schedule(new SimTime(rng.Next(0, 100)), id, i % 3, i);
            }

            while (sim.Step())
            {
                fired.Add((sim.Now.Ticks, hinted ? h.Fired[^1].Kind : plain.Fired[^1].Kind, hinted ? h.Fired[^1].Arg : plain.Fired[^1].Arg));
            }

            return fired;
        }

        Assert.Equal(RunOnce(hinted: false), RunOnce(hinted: true));
    }

    [Fact]
    public void CacheHint_ToleratesAnyRange()
    {
        // A hint reads nothing and never faults: empty, past the end, and null arrays are fine.
        long[] values = [1, 2, 3];
        CacheHint.Prefetch(values, 0, 3);
        CacheHint.Prefetch(values, 2, 100);
        CacheHint.Prefetch(values, 1000, 1);
        CacheHint.Prefetch(values, 0, 0);
        CacheHint.Prefetch<long>(null!, 5, 1);
        Assert.Equal([1L, 2, 3], values);
    }
}
