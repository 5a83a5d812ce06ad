namespace DataCenterTwin.Kernel.Tests;

public class SimulatorSchedulingTests
{
    private static (Simulator Sim, RecordingHandler Handler, HandlerId Id) Create()
    {
        var sim = new Simulator(seed: 1, initialCapacity: 4);
        var handler = new RecordingHandler();
        return (sim, handler, sim.Register(handler, "test"));
    }

    [Fact]
    public void Events_FireInTimeOrder()
    {
        var (sim, h, id) = Create();
        foreach (int s in new[] { 5, 1, 4, 2, 3 })
        {
            sim.Schedule(SimTime.FromSeconds(s), id, 0, s);
        }

        sim.Run();
        Assert.Equal([1L, 2, 3, 4, 5], h.Fired.Select(e => e.Arg));
        Assert.Equal(SimTime.FromSeconds(5), sim.Now);
        Assert.Equal(5, sim.EventsFired);
    }

    [Fact]
    public void Schedule_SameTime_FiresInInsertionOrder()
    {
        var (sim, h, id) = Create();
        for (int i = 0; i < 100; i++)
        {
            sim.Schedule(SimTime.FromSeconds(7), id, i % 3, i);
        }

        sim.Run();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), h.Fired.Select(e => e.Arg));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i % 3), h.Fired.Select(e => e.Kind));
    }

    [Fact]
    public void EventScheduledForNow_FromAHandler_FiresAfterThoseAlreadyWaiting()
    {
        var (sim, h, id) = Create();
        sim.Schedule(SimTime.FromSeconds(1), id, 0, 1);
        sim.Schedule(SimTime.FromSeconds(1), id, 0, 2);
        h.OnFire = e =>
        {
            if (e.Arg == 1)
            {
                sim.ScheduleAfter(SimTime.Zero, id, 0, 3);
            }
        };
        sim.Run();
        Assert.Equal([1L, 2, 3], h.Fired.Select(e => e.Arg));
    }

    [Fact]
    public void Payload_KeepsNegativeAndLargeArguments()
    {
        var (sim, h, id) = Create();
        sim.Schedule(SimTime.FromSeconds(1), id, Simulator.MaxKind, Simulator.MaxArg);
        sim.Schedule(SimTime.FromSeconds(2), id, 0, -Simulator.MaxArg - 1);
        sim.Run();
        Assert.Equal(Simulator.MaxKind, h.Fired[0].Kind);
        Assert.Equal(Simulator.MaxArg, h.Fired[0].Arg);
        Assert.Equal(-Simulator.MaxArg - 1, h.Fired[1].Arg);
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Schedule(sim.Now, id, Simulator.MaxKind + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Schedule(sim.Now, id, 0, Simulator.MaxArg + 1));
    }

    [Fact]
    public void Schedule_InThePast_IsRefused()
    {
        var (sim, _, id) = Create();
        sim.Schedule(SimTime.FromSeconds(10), id);
        sim.Run();
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Schedule(SimTime.FromSeconds(9), id));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.ScheduleAfter(SimTime.FromSeconds(-1), id));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.RunUntil(SimTime.FromSeconds(5)));
    }

    [Fact]
    public void Cancel_RemovesTheEvent_AndAStaleHandleIsRefused()
    {
        var (sim, h, id) = Create();
        var a = sim.Schedule(SimTime.FromSeconds(1), id, 0, 1);
        var b = sim.Schedule(SimTime.FromSeconds(2), id, 0, 2);
        Assert.True(sim.IsPending(b));
        Assert.True(sim.Cancel(b));
        Assert.False(sim.IsPending(b));
        Assert.False(sim.Cancel(b));
        Assert.Equal(1, sim.PendingCount);
        sim.Run();
        Assert.Equal([1L], h.Fired.Select(e => e.Arg));
        Assert.False(sim.Cancel(a));
        Assert.False(sim.Cancel(default));
        Assert.Throws<InvalidOperationException>(() => sim.TimeOf(a));
    }

    [Fact]
    public void Reschedule_MovesTheEvent_AndUpdatesTheHandle()
    {
        var (sim, h, id) = Create();
        var a = sim.Schedule(SimTime.FromSeconds(1), id, 4, 1);
        sim.Schedule(SimTime.FromSeconds(2), id, 0, 2);
        var old = a;
        Assert.True(sim.Reschedule(ref a, SimTime.FromSeconds(3)));
        Assert.False(sim.IsPending(old));
        Assert.True(sim.IsPending(a));
        Assert.Equal(SimTime.FromSeconds(3), sim.TimeOf(a));
        Assert.False(sim.Reschedule(ref old, SimTime.FromSeconds(5)));
        sim.Run();
        Assert.Equal([2L, 1], h.Fired.Select(e => e.Arg));
        Assert.Equal(4, h.Fired[1].Kind);
        Assert.False(sim.Reschedule(ref a, SimTime.FromSeconds(9)));
    }

    [Fact]
    public void Reschedule_ToAnEarlierTime_FiresEarlier()
    {
        var (sim, h, id) = Create();
        var a = sim.Schedule(SimTime.FromSeconds(10), id, 0, 1);
        sim.Schedule(SimTime.FromSeconds(5), id, 0, 2);
        sim.Reschedule(ref a, SimTime.FromSeconds(1));
        sim.Run();
        Assert.Equal([1L, 2], h.Fired.Select(e => e.Arg));
    }

    [Fact]
    public void HandleOfTheFiringEvent_IsStaleInsideItsHandler()
    {
        var (sim, h, id) = Create();
        var a = sim.Schedule(SimTime.FromSeconds(1), id);
        bool? pendingInside = null;
        h.OnFire = _ => pendingInside = sim.IsPending(a);
        sim.Run();
        Assert.False(pendingInside);
    }

    [Fact]
    public void RunUntil_FiresStrictlyBeforeTheBoundary_ThenSetsTheClock()
    {
        var (sim, h, id) = Create();
        sim.Schedule(SimTime.FromSeconds(1), id, 0, 1);
        sim.Schedule(SimTime.FromSeconds(2), id, 0, 2);
        sim.Schedule(SimTime.FromSeconds(3), id, 0, 3);
        sim.RunUntil(SimTime.FromSeconds(2));
        Assert.Equal([1L], h.Fired.Select(e => e.Arg));
        Assert.Equal(SimTime.FromSeconds(2), sim.Now);
        sim.RunUntil(SimTime.FromSeconds(2));
        Assert.Single(h.Fired);
        sim.RunUntil(SimTime.FromSeconds(2) + SimTime.FromMicroseconds(1));
        Assert.Equal([1L, 2], h.Fired.Select(e => e.Arg));
        sim.RunUntil(SimTime.FromSeconds(100));
        Assert.Equal(3, h.Fired.Count);
        Assert.Equal(SimTime.FromSeconds(100), sim.Now);
    }

    [Fact]
    public void RunForNEvents_FiresExactlyN()
    {
        var (sim, h, id) = Create();
        for (int i = 0; i < 10; i++)
        {
            sim.Schedule(SimTime.FromSeconds(i), id, 0, i);
        }

        Assert.Equal(4, sim.Run(4));
        Assert.Equal(4, h.Fired.Count);
        Assert.Equal(6, sim.Run(100));
        Assert.Equal(0, sim.Run(1));
    }

    [Fact]
    public void Stop_EndsTheRunAfterTheCurrentEvent()
    {
        var (sim, h, id) = Create();
        for (int i = 1; i <= 10; i++)
        {
            sim.Schedule(SimTime.FromSeconds(i), id, 0, i);
        }

        h.OnFire = e =>
        {
            if (e.Arg == 3)
            {
                sim.Stop();
            }
        };
        sim.RunUntil(SimTime.FromSeconds(100));
        Assert.Equal(3, h.Fired.Count);
        Assert.Equal(SimTime.FromSeconds(3), sim.Now);
        sim.Run();
        Assert.Equal(10, h.Fired.Count);
    }

    [Fact]
    public void Counters_TrackEventsAndHighWaterMark()
    {
        var (sim, _, id) = Create();
        for (int i = 0; i < 50; i++)
        {
            sim.Schedule(SimTime.FromSeconds(i), id);
        }

        var h = sim.Schedule(SimTime.FromSeconds(1), id);
        sim.Cancel(h);
        sim.Run();
        Assert.Equal(50, sim.EventsFired);
        Assert.Equal(51, sim.PendingHighWaterMark);
        Assert.Equal(0, sim.PendingCount);
    }

    [Fact]
    public void PeekNextTime_SkipsCancelledEvents()
    {
        var (sim, _, id) = Create();
        var a = sim.Schedule(SimTime.FromSeconds(1), id);
        sim.Schedule(SimTime.FromSeconds(2), id);
        sim.Cancel(a);
        Assert.Equal(SimTime.FromSeconds(2), sim.PeekNextTime());
        sim.Run();
        Assert.Equal(SimTime.MaxValue, sim.PeekNextTime());
    }

    [Fact]
    public void Register_RefusesDuplicatePaths()
    {
        var (sim, _, _) = Create();
        Assert.Throws<ArgumentException>(() => sim.Register(new RecordingHandler(), "test"));
        Assert.Equal("test", sim.PathOf(new HandlerId(0)));
    }

    [Fact]
    public void Events_AreDeliveredToTheirOwnHandler()
    {
        var sim = new Simulator();
        var a = new RecordingHandler();
        var b = new RecordingHandler();
        var ia = sim.Register(a, "a");
        var ib = sim.Register(b, "b");
        sim.Schedule(SimTime.FromSeconds(1), ib, 0, 10);
        sim.Schedule(SimTime.FromSeconds(2), ia, 0, 20);
        sim.Run();
        Assert.Equal([20L], a.Fired.Select(e => e.Arg));
        Assert.Equal([10L], b.Fired.Select(e => e.Arg));
    }
}
