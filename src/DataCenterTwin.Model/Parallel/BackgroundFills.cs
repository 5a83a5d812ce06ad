namespace DataCenterTwin.Model.Parallel;

/// <summary>Work a lane hands to <see cref="BackgroundFills"/>: filling a buffer it will read later.</summary>
public interface IBackgroundFill
{
    /// <summary>Fills the buffer, on the background thread; must not throw (a failure is kept for the reader).</summary>
    void FillInBackground();
}

/// <summary>
/// One process-wide background thread that runs the fills lanes hand it, in the order handed: the
/// arrival times and token counts a request source draws a chunk ahead (Workload/DrawnAhead.cs),
/// taken off the busiest lane's thread. One thread however many twins run, so a sweep starts no
/// more; it sleeps when there is nothing to fill. The queue is a plain queue under a lock, whose
/// array is reused, so handing a fill over allocates nothing once the queue has grown. It takes at
/// most <see cref="MaxQueued"/> fills waiting: twins running side by side (a sweep on many cores)
/// fill the rest on their own threads rather than wait behind each other.
/// </summary>
public static class BackgroundFills
{
    /// <summary>Fills the queue takes waiting; <see cref="TryPost"/> refuses more.</summary>
    public const int MaxQueued = 4;

    private static readonly object s_gate = new();
    private static readonly Queue<IBackgroundFill> s_jobs = new();
    private static bool s_started;
    private static bool s_sleeping;

    /// <summary>Queues <paramref name="fill"/> for the background thread, unless <see cref="MaxQueued"/> wait already; false then.</summary>
    public static bool TryPost(IBackgroundFill fill)
    {
        lock (s_gate)
        {
            if (s_jobs.Count >= MaxQueued)
            {
                return false;
            }

            if (!s_started)
            {
                s_started = true;
                new Thread(Run) { IsBackground = true, Name = "dctwin background fills" }.Start();
            }

            s_jobs.Enqueue(fill);
            if (s_sleeping)
            {
                Monitor.Pulse(s_gate);
            }

            return true;
        }
    }

    private static void Run()
    {
        while (true)
        {
            IBackgroundFill fill;
            lock (s_gate)
            {
                while (s_jobs.Count == 0)
                {
                    s_sleeping = true;
                    Monitor.Wait(s_gate);
                    s_sleeping = false;
                }

                fill = s_jobs.Dequeue();
            }

            fill.FillInBackground();
        }
    }
}
