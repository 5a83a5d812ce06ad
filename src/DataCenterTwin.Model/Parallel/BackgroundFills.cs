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
/// array is reused, so handing a fill over allocates nothing once the queue has grown.
/// </summary>
public static class BackgroundFills
{
    private static readonly object s_gate = new();
    private static readonly Queue<IBackgroundFill> s_jobs = new();
    private static bool s_started;
    private static bool s_sleeping;

    /// <summary>Queues <paramref name="fill"/> for the background thread.</summary>
    public static void Post(IBackgroundFill fill)
    {
        lock (s_gate)
        {
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
