using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace DataCenterTwin.Model.Parallel;

/// <summary>
/// A small fixed set of threads that runs a control step's per-rack work (<see cref="IRangeWork"/>)
/// over the cores: the range is cut into one slice per thread, the caller and the workers claim
/// slices until none is left, and the call returns when all are done. Nothing is allocated per call, and the outputs do not
/// depend on the number of threads: the work writes only per-index slots, and the twin sums them
/// afterwards on its own thread in index order (no sum is ever split between threads).
/// </summary>
/// <remarks>
/// One set per thread count is shared by the whole process (<see cref="Shared"/>), so building many
/// twins (tests, sweeps, calibration) starts no more threads. Twins that step at the same time on
/// different threads (a sweep runs several runs at once) do not wait for each other: the second one
/// runs its work inline, which gives the same result.
/// Threads must never make a run slower than one thread, so: a range is cut only when each slice
/// gets at least <see cref="MinPerSlice"/> indices (a rack's work is 10-40 ns, so a slice is then
/// several microseconds, more than handing it over costs); a worker spins for a short time after
/// a call (a control step's calls come microseconds apart), without yielding, then sleeps until the
/// next call, so between control steps it takes no core; and a hall's default thread count
/// (<see cref="DefaultThreadsFor"/>) is one per <see cref="RacksPerThread"/> racks, so a small hall
/// runs on the caller's thread alone. And since what a hand-off costs depends on the machine (a
/// worker the scheduler has not run yet, another process on its core), the set times each work
/// object's calls, sliced and inline, and slices only where that has been the faster
/// (<see cref="SliceGauge"/>): on a loaded two-core machine the workers then stay asleep.
/// </remarks>
public sealed class StepWorkers
{
    /// <summary>
    /// The fewest indices a slice gets: a range shorter than twice this runs inline. At 10-40 ns a
    /// rack that is 3-10 µs, above what waking or reaching a worker costs (1-5 µs).
    /// </summary>
    public const int MinPerSlice = 256;

    /// <summary>Racks per thread of a hall's default thread count (<see cref="DefaultThreadsFor"/>).</summary>
    public const int RacksPerThread = 512;

    // Rounds of Thread.SpinWait(SpinPerRound) a worker spins for the next call before it sleeps
    // (the runtime normalises a SpinWait iteration to tens of nanoseconds, so a few microseconds):
    // enough to catch a call that follows at once, too short to take a core from the twin's thread
    // or another process on a small machine. It never yields while it spins: a yield on a busy
    // machine is a system call per round (last session's workers, 400 spinning and yielding rounds
    // after each call, took the metro year to 31 s of CPU against 16 s on one thread, on two cores;
    // 64 rounds of SpinWait(20) still took a year of the 1,184-rack hall to 92 s of CPU on two
    // threads against 59 s on one, on the loaded two-core machine).
    private const int SpinRounds = 8;
    private const int SpinPerRound = 20;

    private static readonly object s_sharedGate = new();
    private static readonly Dictionary<int, StepWorkers> s_shared = [];

    private readonly object _gate = new();
    private readonly object _busy = new();
    private readonly int _workers;
    private IRangeWork? _work;
    private int _count;
    private long _claim;
    private int _completed;
    private int _sleepers;
    private Exception? _failure;
    private long _slicedRuns;

    // Per work object, how long its calls took sliced and inline (read and written under _busy).
    private readonly ConditionalWeakTable<IRangeWork, SliceGauge> _gauges = [];
    private readonly TimeProvider _clock;

    private StepWorkers(int threads)
        : this(threads, TimeProvider.System)
    {
    }

    // The clock only times calls to choose between slicing and running inline (SliceGauge), which
    // changes no output; tests hand in their own.
    internal StepWorkers(int threads, TimeProvider clock)
    {
        _clock = clock;
        Threads = threads;
        _workers = threads - 1;
        for (int i = 0; i < _workers; i++)
        {
            var thread = new Thread(Work) { IsBackground = true, Name = $"dctwin step worker {i + 1}/{threads}" };
            thread.Start();
        }
    }

    /// <summary>One thread: the caller does all the work.</summary>
    public static StepWorkers Sequential { get; } = new(1);

    /// <summary>Threads of <see cref="Shared"/>(0): every core of the machine.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    /// <summary>
    /// Threads a hall of <paramref name="racks"/> racks uses when its scenario does not say: one per
    /// <see cref="RacksPerThread"/> racks, at least one and at most every core, and one on a machine
    /// of two cores or fewer. Below 1,024 racks a control step's per-rack work is too short to share
    /// (the metro hall's 64 racks: 16.3 s a year on one thread, 21.0 s on two, last session's
    /// measurement); on two cores a worker has no core of its own once the system and other
    /// processes run (a year of the 1,184-rack hall on the shared two-core machine: 379 s wall on
    /// one thread, 560 s on two).
    /// </summary>
    public static int DefaultThreadsFor(int racks) => Environment.ProcessorCount <= 2 ? 1 : Math.Clamp(racks / RacksPerThread, 1, Environment.ProcessorCount);

    /// <summary>
    /// Threads a request-level hall's <paramref name="lanes"/> lanes advance on when its scenario does
    /// not say: one a lane, at most every core, two cores included. A lane runs milliseconds between
    /// two of the twin's events and its caller sleeps while the last one ends, unlike a rack slice; on
    /// the idle two-core machine two threads against one took the 1,184-rack campus in ten dispatch
    /// groups from 25.1 s to 12.5 s an hour, the metro day 43.1 s to 35.2 s, and the metro year
    /// with its request hour 5.6-7.7 s to 5.5-7.4 s.
    /// </summary>
    public static int DefaultLaneThreads(int lanes) => Math.Clamp(lanes, 1, Environment.ProcessorCount);

    /// <summary>The process's set for a hall of <paramref name="racks"/> racks: <paramref name="threads"/> threads, or where that is 0 or less <see cref="DefaultThreadsFor"/>.</summary>
    public static StepWorkers ForHall(int threads, int racks) => Shared(threads > 0 ? threads : DefaultThreadsFor(racks));

    /// <summary>The process's set for a request-level hall's <paramref name="lanes"/> lanes: <paramref name="threads"/> threads, or where that is 0 or less <see cref="DefaultLaneThreads"/>.</summary>
    public static StepWorkers ForLanes(int threads, int lanes) => Shared(threads > 0 ? threads : DefaultLaneThreads(lanes));

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

    /// <summary>
    /// Whether every call is sliced, paid or not (a long enough range, the set not busy): for tests
    /// that check the sliced path's outputs on a machine where slicing would not be chosen.
    /// </summary>
    internal bool AlwaysSlice { get; set; }

    /// <summary>Calls whose range was cut over the workers (the others ran inline: short ranges, one thread, or the set busy with another twin).</summary>
    public long SlicedRuns => Interlocked.Read(ref _slicedRuns);

    /// <summary>Runs <paramref name="work"/> over indices [0, <paramref name="count"/>), sliced over the threads where that has paid; returns when every slice is done.</summary>
    public void Run(int count, IRangeWork work) => Run(count, work, work);

    /// <summary>
    /// Runs <paramref name="work"/> over indices [0, <paramref name="count"/>) sliced over the threads
    /// where that has paid, and otherwise <paramref name="whole"/> over the whole range on the
    /// caller's thread: a caller whose one-thread path does more in its pass (sums as it goes, in
    /// index order) gives it here, and merges the slices' results itself only after a sliced call.
    /// </summary>
    /// <returns>Whether the call was sliced.</returns>
    public bool Run(int count, IRangeWork work, IRangeWork whole)
    {
        if (_workers == 0 || count < MinPerSlice * 2 || !Monitor.TryEnter(_busy))
        {
            whole.Run(0, count);
            return false;
        }

        try
        {
            if (!_gauges.TryGetValue(work, out var gauge))
            {
                gauge = new SliceGauge();
                _gauges.Add(work, gauge);
            }

            bool sliced = gauge.ShouldSlice() || AlwaysSlice;
            long started = _clock.GetTimestamp();
            if (sliced)
            {
                RunSliced(count, work);
            }
            else
            {
                whole.Run(0, count);
            }

            gauge.Record(sliced, (double)(_clock.GetTimestamp() - started) / count);
            return sliced;
        }
        finally
        {
            Monitor.Exit(_busy);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on each index of [0, <paramref name="count"/>) as a slice of its
    /// own, claimed by the next free thread (the caller's included), and returns when all are done:
    /// for a few long pieces of unequal work (a hall's lanes between two of the twin's events), with
    /// no minimum per slice and no gauge. Put the heaviest first: they start first. Inline on one
    /// thread, or when the set is busy with another twin.
    /// </summary>
    public void RunEach(int count, IRangeWork work)
    {
        if (_workers == 0 || count < 2 || count > 0xFFFF || !Monitor.TryEnter(_busy))
        {
            work.Run(0, count);
            return;
        }

        try
        {
            RunSliced(count, work, count, longPieces: true);
        }
        finally
        {
            Monitor.Exit(_busy);
        }
    }

    // The range cut over the threads (the caller holds _busy).
    private void RunSliced(int count, IRangeWork work) => RunSliced(count, work, Math.Min(Threads, count / MinPerSlice));

    // The range cut into this many slices, claimed one at a time by whichever thread is free. With
    // long pieces (lanes: milliseconds each, very unequal) a caller left waiting for the last one
    // sleeps after a short spin rather than spinning through it, which would take from the core
    // doing the work where two virtual cores share one; a rack slice is over in microseconds, so its
    // caller only spins.
    private void RunSliced(int count, IRangeWork work, int slices, bool longPieces = false)
    {
        _slicedRuns++;
        _work = work;
        _count = count;
        _failure = null;
        Volatile.Write(ref _completed, 0);

        // The call's generation in the high half, its slice count and the next unclaimed slice in
        // the low half. Published with a full fence: a worker that counts itself asleep after
        // this sees it.
        long generation = (Volatile.Read(ref _claim) >> 32) + 1;
        Interlocked.Exchange(ref _claim, (generation << 32) | ((long)slices << 16));
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        // The caller claims slices too, so a worker the machine has not scheduled yet (a busy
        // machine, another run's threads) costs nothing: the caller does its slice instead. It
        // waits only for slices a worker has started.
        RunSlices(generation);
        var spin = default(SpinWait);
        while (Volatile.Read(ref _completed) < slices)
        {
            spin.SpinOnce(sleep1Threshold: longPieces ? 40 : -1);
        }

        _work = null;
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private static int SliceStart(int slice, int slices, int count) => (int)((long)count * slice / slices);

    // Claims and runs slices of the call of this generation until none is left. A claim is a
    // compare-and-swap on the (generation, slices, next slice) word, decided on that word alone; the
    // work is read after the claim succeeds, when its call cannot have ended (the claimed slice is
    // not done), so a late worker never runs a later call's slice with an earlier call's work.
    private void RunSlices(long generation)
    {
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            int slices = (int)((claim >> 16) & 0xFFFF);
            int slice = (int)(claim & 0xFFFF);
            if ((claim >> 32) != generation || slice >= slices)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim)
            {
                continue;
            }

            try
            {
                int count = _count;
                _work!.Run(SliceStart(slice, slices, count), SliceStart(slice + 1, slices, count));
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref _failure, ex, null);
            }

            Interlocked.Increment(ref _completed);
        }
    }

    private void Work()
    {
        long seen = 0;
        while (true)
        {
            int rounds = 0;
            long generation;
            while ((generation = Volatile.Read(ref _claim) >> 32) == seen)
            {
                if (++rounds <= SpinRounds)
                {
                    Thread.SpinWait(SpinPerRound);
                    continue;
                }

                lock (_gate)
                {
                    Interlocked.Increment(ref _sleepers);
                    while ((Volatile.Read(ref _claim) >> 32) == seen)
                    {
                        Monitor.Wait(_gate);
                    }

                    Interlocked.Decrement(ref _sleepers);
                }
            }

            seen = generation;
            RunSlices(generation);
        }
    }
}
