using System.Runtime.ExceptionServices;

namespace DataCenterTwin.Model.Parallel;

/// <summary>
/// A small fixed set of threads that runs a control step's per-rack work (<see cref="IRangeWork"/>)
/// over the cores: the caller takes the first slice of the range, each worker one of the others,
/// and the call returns when all are done. Nothing is allocated per call, and the outputs do not
/// depend on the number of threads: the work writes only per-index slots, and the twin sums them
/// afterwards on its own thread in index order (no sum is ever split between threads).
/// </summary>
/// <remarks>
/// One set per thread count is shared by the whole process (<see cref="Shared"/>), so building many
/// twins (tests, sweeps, calibration) starts no more threads. Twins that step at the same time on
/// different threads (a sweep runs several runs at once) do not wait for each other: the second one
/// runs its work inline, which gives the same result. Workers spin briefly between calls (a control
/// step's slices come microseconds apart), then sleep until the next one.
/// </remarks>
public sealed class StepWorkers
{
    // Below this many indices a slice costs less than waking a worker for it.
    private const int MinPerSlice = 16;

    // SpinWait rounds a worker waits for the next call before it sleeps (the first ten spin, the
    // rest yield the core: on a busy machine the caller's thread runs instead).
    private const int SpinRounds = 400;

    private static readonly object s_sharedGate = new();
    private static readonly Dictionary<int, StepWorkers> s_shared = [];

    private readonly object _gate = new();
    private readonly object _busy = new();
    private readonly int _workers;
    private IRangeWork? _work;
    private int _count;
    private int _slices;
    private int _generation;
    private int _pending;
    private int _sleepers;
    private Exception? _failure;
    private long _slicedRuns;

    private StepWorkers(int threads)
    {
        Threads = threads;
        _workers = threads - 1;
        for (int i = 0; i < _workers; i++)
        {
            int slice = i + 1;
            var thread = new Thread(() => Work(slice)) { IsBackground = true, Name = $"dctwin step worker {slice}/{threads}" };
            thread.Start();
        }
    }

    /// <summary>One thread: the caller does all the work.</summary>
    public static StepWorkers Sequential { get; } = new(1);

    /// <summary>Threads a run uses when its scenario does not say: every core of the machine.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    /// <summary>The process's set of <paramref name="threads"/> threads (0 or less: <see cref="DefaultThreads"/>; at most 256).</summary>
    public static StepWorkers Shared(int threads)
    {
        int n = Math.Clamp(threads <= 0 ? DefaultThreads : threads, 1, 256);
        if (n == 1)
        {
            return Sequential;
        }

        lock (s_sharedGate)
        {
            if (!s_shared.TryGetValue(n, out var workers))
            {
                workers = new StepWorkers(n);
                s_shared[n] = workers;
            }

            return workers;
        }
    }

    /// <summary>Threads that share the work, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>Calls whose range was cut over the workers (the others ran inline: short ranges, one thread, or the set busy with another twin).</summary>
    public long SlicedRuns => Interlocked.Read(ref _slicedRuns);

    /// <summary>Runs <paramref name="work"/> over indices [0, <paramref name="count"/>), sliced over the threads; returns when every slice is done.</summary>
    public void Run(int count, IRangeWork work)
    {
        if (_workers == 0 || count < MinPerSlice * 2 || !Monitor.TryEnter(_busy))
        {
            work.Run(0, count);
            return;
        }

        try
        {
            _slicedRuns++;
            int slices = Math.Min(Threads, count / MinPerSlice);
            _work = work;
            _count = count;
            _slices = slices;
            _failure = null;
            Volatile.Write(ref _pending, _workers);

            // A full fence: a worker that counts itself asleep after this sees the new generation.
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }

            work.Run(0, SliceEnd(0, slices, count));
            var spin = default(SpinWait);
            while (Volatile.Read(ref _pending) > 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            _work = null;
            if (_failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Monitor.Exit(_busy);
        }
    }

    private static int SliceEnd(int slice, int slices, int count) => (int)((long)count * (slice + 1) / slices);

    private void Work(int slice)
    {
        int seen = 0;
        while (true)
        {
            var spin = default(SpinWait);
            int rounds = 0;
            int generation;
            while ((generation = Volatile.Read(ref _generation)) == seen)
            {
                if (++rounds <= SpinRounds)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                    continue;
                }

                lock (_gate)
                {
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _generation) == seen)
                    {
                        Monitor.Wait(_gate);
                    }

                    Interlocked.Decrement(ref _sleepers);
                }
            }

            seen = generation;

            // Slices past the call's count (a short range uses fewer threads) have nothing to do.
            int slices = _slices;
            if (slice < slices)
            {
                try
                {
                    _work!.Run(SliceEnd(slice - 1, slices, _count), SliceEnd(slice, slices, _count));
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref _failure, ex, null);
                }
            }

            Interlocked.Decrement(ref _pending);
        }
    }
}
