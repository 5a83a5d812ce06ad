using FsCheck.Xunit;

namespace DataCenterTwin.Kernel.Tests;

public class QueuePropertyTests
{
    /// <summary>
    /// The kernel against a sorted reference list under random schedule, cancel, move and step:
    /// every step must fire exactly the reference's (time, sequence) minimum.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Queue_MatchesASortedReference_UnderScheduleCancelMoveAndStep(int[] ops)
    {
        var sim = new Simulator(initialCapacity: 4);
        var handler = new RecordingHandler();
        var id = sim.Register(handler, "p");
        var reference = new List<(long Time, long Order, long Id)>();
        var handles = new Dictionary<long, EventHandle>();
        long order = 0, nextId = 0;

        foreach (int raw in ops)
        {
            int v = raw & int.MaxValue;
            switch (v % 5)
            {
                case 0:
                case 1:
                {
                    long t = sim.Now.Ticks + v / 5 % 20;
                    long eventId = nextId++;
                    handles[eventId] = sim.Schedule(new SimTime(t), id, 0, eventId);
                    reference.Add((t, order++, eventId));
                    break;
                }

                case 2 when reference.Count > 0:
                {
                    var victim = reference[v / 5 % reference.Count];
                    if (!sim.Cancel(handles[victim.Id]) || sim.Cancel(handles[victim.Id]))
                    {
                        return false;
                    }

                    reference.Remove(victim);
                    break;
                }

                case 3 when reference.Count > 0:
                {
                    int index = v / 5 % reference.Count;
                    var moved = reference[index];
                    long t = sim.Now.Ticks + v / 100 % 20;
                    var handle = handles[moved.Id];
                    if (!sim.Reschedule(ref handle, new SimTime(t)))
                    {
                        return false;
                    }

                    handles[moved.Id] = handle;
                    reference[index] = (t, order++, moved.Id);
                    break;
                }

                default:
                {
                    bool fired = sim.Step();
                    if (fired != reference.Count > 0)
                    {
                        return false;
                    }

                    if (fired)
                    {
                        var min = reference.MinBy(r => (r.Time, r.Order));
                        reference.Remove(min);
                        var e = handler.Fired[^1];
                        if (e.Arg != min.Id || e.Time.Ticks != min.Time || sim.IsPending(handles[min.Id]))
                        {
                            return false;
                        }
                    }

                    break;
                }
            }

            if (sim.PendingCount != reference.Count)
            {
                return false;
            }
        }

        // Drain: the rest fires in reference order.
        var expected = reference.OrderBy(r => (r.Time, r.Order)).Select(r => r.Id).ToList();
        int before = handler.Fired.Count;
        sim.Run();
        return handler.Fired.Skip(before).Select(e => e.Arg).SequenceEqual(expected);
    }

    /// <summary>
    /// A deep queue (thousands of entries, full families of four at every level, many equal times)
    /// where each firing schedules a successor, so the root is replaced and sifted down: events fire
    /// in (time, sequence) order, checked against the order worked out by sorting.
    /// </summary>
    [Fact]
    public void DeepQueue_FiresInTimeThenSequenceOrder_WhenHandlersReplaceTheRoot()
    {
        var sim = new Simulator(initialCapacity: 4);
        var handler = new RecordingHandler();
        var id = sim.Register(handler, "p");
        var rng = new System.Random(7);
        var keys = new List<(long Time, long Order, long Id)>();
        long order = 0;
        for (long k = 0; k < 5000; k++)
        {
            long t = rng.Next(0, 400);
            sim.Schedule(new SimTime(t), id, 0, k);
            keys.Add((t, order++, k));
        }

        long next = 5000;
        handler.OnFire = e =>
        {
            if (e.Arg < 5000)
            {
                long t = e.Time.Ticks + rng.Next(0, 300);
                sim.Schedule(new SimTime(t), id, 0, next);
                keys.Add((t, order++, next++));
            }
        };

        sim.Run();
        var expected = keys.OrderBy(k => (k.Time, k.Order)).Select(k => k.Id);
        Assert.Equal(expected, handler.Fired.Select(e => e.Arg));
    }
}
