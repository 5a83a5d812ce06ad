using DataCenterTwin.Model.Parallel;

namespace DataCenterTwin.Model.Tests.Parallel;

public sealed class StepWorkersTests
{
    // Counts visits per index and remembers which thread made each.
    private sealed class Visits(int count) : IRangeWork
    {
        public readonly int[] Count = new int[count];
        public readonly int[] Thread = new int[count];

        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                System.Threading.Thread.SpinWait(20);
                Count[i]++;
                Thread[i] = Environment.CurrentManagedThreadId;
            }
        }
    }

    private sealed class Throws : IRangeWork
    {
        public void Run(int start, int end)
        {
            if (start > 0)
            {
                throw new InvalidOperationException($"slice at {start}");
            }
        }
    }

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 1000)]
    [InlineData(4, 1000)]
    [InlineData(4, 33)]
    [InlineData(3, 1184)]
    public void Run_VisitsEveryIndexOnce(int threads, int count)
    {
        var workers = StepWorkers.Shared(threads);
        Assert.Equal(threads, workers.Threads);
        for (int repeat = 0; repeat < 200; repeat++)
        {
            var visits = new Visits(count);
            workers.Run(count, visits);
            Assert.All(visits.Count, c => Assert.Equal(1, c));
        }
    }

    [Fact]
    public void Run_OnFourThreads_CutsALongRangeOverSeveralThreads()
    {
        // The caller claims slices too, so on a busy machine it may do a call alone; over many
        // calls the workers take some.
        var workers = StepWorkers.Shared(4);
        long before = workers.SlicedRuns;
        bool helped = false;
        for (int repeat = 0; repeat < 500 && !helped; repeat++)
        {
            var visits = new Visits(4096);
            workers.Run(visits.Count.Length, visits);
            Assert.All(visits.Count, c => Assert.Equal(1, c));
            helped = visits.Thread.Any(t => t != Environment.CurrentManagedThreadId);
        }

        Assert.True(workers.SlicedRuns > before);
        Assert.True(helped, "no worker ran a slice in 500 calls");
    }

    // Pieces that wait for help, as a hall's lanes are long enough to get it: the first thread to
    // start one waits (once a call, at most 2 s, only when help is expected) until a piece starts on
    // another thread, so a worker woken for the call claims one however busy the machine is.
    private sealed class WaitingVisits(int count, bool waitForHelp) : IRangeWork, IDisposable
    {
        public readonly int[] Count = new int[count];
        public readonly int[] Thread = new int[count];
        private readonly ManualResetEventSlim _helped = new();
        private int _firstThread;

        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                int me = Environment.CurrentManagedThreadId;
                int first = Interlocked.CompareExchange(ref _firstThread, me, 0);
                if (first != 0 && first != me)
                {
                    _helped.Set();
                }
                else if (waitForHelp)
                {
                    waitForHelp = _helped.Wait(TimeSpan.FromSeconds(2));
                }

                Count[i]++;
                Thread[i] = me;
            }
        }

        public void Dispose() => _helped.Dispose();
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(4, 3)]
    [InlineData(4, 37)]
    public void RunEach_VisitsEveryIndexOnce_AndHandsIndicesToOtherThreads(int threads, int count)
    {
        // A hall's lanes: a few indices, each its own slice (no minimum per slice), claimed by whichever thread is free.
        var workers = StepWorkers.Shared(threads);
        long before = workers.SlicedRuns;
        bool helped = false;
        for (int repeat = 0; repeat < 20 && !(helped && workers.SlicedRuns > before); repeat++)
        {
            using var visits = new WaitingVisits(count, waitForHelp: threads > 1);
            workers.RunEach(count, visits);
            Assert.All(visits.Count, c => Assert.Equal(1, c));
            helped |= visits.Thread.Any(t => t != Environment.CurrentManagedThreadId);
        }

        Assert.Equal(threads > 1, workers.SlicedRuns > before);
        Assert.Equal(threads > 1, helped);
    }

    [Fact]
    public void Run_AWorkersException_ReachesTheCaller_AndTheWorkersCarryOn()
    {
        var workers = StepWorkers.Shared(2);
        var ex = Assert.Throws<InvalidOperationException>(() => workers.Run(1000, new Throws()));
        Assert.StartsWith("slice at", ex.Message, StringComparison.Ordinal);
        var visits = new Visits(1000);
        workers.Run(1000, visits);
        Assert.All(visits.Count, c => Assert.Equal(1, c));
    }

    [Fact]
    public void Shared_ZeroThreads_IsEveryCore()
    {
        Assert.Equal(Environment.ProcessorCount, StepWorkers.Shared(0).Threads);
        Assert.Same(StepWorkers.Sequential, StepWorkers.Shared(1));
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(640, 1)]
    [InlineData(1023, 1)]
    [InlineData(1184, 2)]
    [InlineData(4096, 8)]
    public void DefaultThreadsFor_IsOnePer512Racks_AtMostEveryCore_OneOnTwoCores(int racks, int expected)
    {
        int cores = Environment.ProcessorCount;
        int threads = cores <= 2 ? 1 : Math.Min(expected, cores);
        Assert.Equal(threads, StepWorkers.DefaultThreadsFor(racks));
        Assert.Equal(threads, StepWorkers.ForHall(0, racks).Threads);
        Assert.Equal(3, StepWorkers.ForHall(3, racks).Threads);
    }

    [Fact]
    public void Run_BelowTwoMinimumSlices_RunsOnTheCallersThread()
    {
        // A short range costs less than handing a slice over: it never leaves the caller.
        var workers = StepWorkers.Shared(4);
        for (int repeat = 0; repeat < 50; repeat++)
        {
            var visits = new Visits((2 * StepWorkers.MinPerSlice) - 1);
            workers.Run(visits.Count.Length, visits);
            Assert.All(visits.Count, c => Assert.Equal(1, c));
            Assert.All(visits.Thread, t => Assert.Equal(Environment.CurrentManagedThreadId, t));
        }
    }
    // A clock that moves only when the work says: a call over the whole range (inline) costs
    // InlineTicks an index, a slice SlicedTicks an index.
    private sealed class WorkClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => 1_000_000_000;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(long ticks) => Interlocked.Add(ref _ticks, ticks);
    }

    private sealed class TimedWork(WorkClock clock, int count, long inlineTicks, long slicedTicks) : IRangeWork
    {
        public int InlineCalls;
        public int SlicedParts;

        public void Run(int start, int end)
        {
            bool whole = start == 0 && end == count;
            clock.Advance((end - start) * (whole ? inlineTicks : slicedTicks));
            if (whole)
            {
                InlineCalls++;
            }
            else
            {
                Interlocked.Increment(ref SlicedParts);
            }
        }
    }

    [Theory]
    [InlineData(1, 10, 640, 4, 4)]       // slicing ten times slower: inline, but for the first call and probes at calls 64, 193 and 450
    [InlineData(100, 80, 640, 4, 4)]     // slicing 20 % faster is not enough for a second core
    [InlineData(10, 4, 640, 636, 636)]   // slicing faster: sliced, but for the second call and those three probes
    public void Run_SlicesOnlyWhereSlicingWasFaster(long inlineTicks, long slicedTicks, int calls, int minSliced, int maxSliced)
    {
        var clock = new WorkClock();
        var workers = new StepWorkers(2, clock);
        var work = new TimedWork(clock, 1024, inlineTicks, slicedTicks);
        for (int call = 0; call < calls; call++)
        {
            workers.Run(1024, work);
        }

        long sliced = workers.SlicedRuns;
        Assert.Equal(calls, work.InlineCalls + sliced);
        Assert.InRange(sliced, minSliced, maxSliced);
    }

    [Theory]
    [InlineData(1, 10, 4)]
    [InlineData(10, 4, 636)]
    public void Run_WithAWholeRangeWork_RunsItWhenNotSlicing_AndSaysWhichRan(long inlineTicks, long slicedTicks, int expectedSliced)
    {
        var clock = new WorkClock();
        var workers = new StepWorkers(2, clock);
        var work = new TimedWork(clock, 1024, inlineTicks, slicedTicks);
        var whole = new TimedWork(clock, 1024, inlineTicks, slicedTicks);
        int sliced = 0;
        for (int call = 0; call < 640; call++)
        {
            sliced += workers.Run(1024, work, whole) ? 1 : 0;
        }

        Assert.Equal(expectedSliced, sliced);
        Assert.Equal(0, work.InlineCalls);
        Assert.Equal(2 * sliced, work.SlicedParts);
        Assert.Equal(640 - sliced, whole.InlineCalls);
        Assert.Equal(0, whole.SlicedParts);
    }

    [Fact]
    public void SliceGauge_OneSlowCall_DoesNotTurnSlicingOff_ButSlowCallsDo()
    {
        var gauge = new SliceGauge();
        Assert.True(gauge.ShouldSlice());
        gauge.Record(sliced: true, 5);
        Assert.False(gauge.ShouldSlice());
        gauge.Record(sliced: false, 10);
        Assert.True(gauge.SlicingPays);

        // A worker preempted for a thousand times the call once: the estimate rises by at most
        // 1/8 of four times itself (5 + 0.125 * 15 = 6.875), still under 0.75 of the inline 10.
        gauge.Record(sliced: true, 5000);
        Assert.Equal(6.875, gauge.SlicedTicksPerIndex, 12);
        Assert.True(gauge.SlicingPays);

        // Slow again and again: slicing stops paying.
        for (int i = 0; i < 3; i++)
        {
            gauge.Record(sliced: true, 5000);
        }

        Assert.False(gauge.SlicingPays);
    }
}
