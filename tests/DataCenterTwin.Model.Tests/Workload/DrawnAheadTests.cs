using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Parallel;
using DataCenterTwin.Model.Tests.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Workload;

// A source's draws made a chunk ahead are the numbers drawn one at a time from the same streams,
// whether the chunks are filled on the reader's thread (one thread) or on the background thread (a
// hall whose two lanes run on two threads), across chunk boundaries and up to the bound.
public class DrawnAheadTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ArrivalTimes_AreThoseTheProcessDrawsOneAtATime_UpToTheBound(int threads)
    {
        var hall = TwoLaneHall(new Simulator(3), threads);
        Assert.Equal(threads > 1, hall.FillsInBackground);

        // About three and a half chunks of a 500/s process before the bound.
        long untilTicks = SimTime.FromSeconds(3.5 * DrawnAhead.Chunk / 500).Ticks;
        var ahead = new ArrivalTimesAhead(hall, new PoissonArrivals(500, new RandomStreams(9).For("a")), untilTicks);
        var reference = new PoissonArrivals(500, new RandomStreams(9).For("a"));
        int n = 0;
        while (ahead.TryTake(out long ticks))
        {
            Assert.True(reference.TryNext(out var expected));
            Assert.Equal(expected.Time.Ticks, ticks);
            n++;
        }

        Assert.InRange(n, 3 * DrawnAhead.Chunk, 4 * DrawnAhead.Chunk);
        Assert.True(reference.TryNext(out var past));
        Assert.True(past.Time.Ticks >= untilTicks, "the stream ended before the bound");
        Assert.False(ahead.TryTake(out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_stream_ending_on_a_chunk_boundary_ends_there_and_fills_on_the_background_thread_when_the_lanes_have_threads(int threads)
    {
        var hall = TwoLaneHall(new Simulator(3), threads);
        var process = new EveryMillisecond();
        var ahead = new ArrivalTimesAhead(hall, process, (2L * DrawnAhead.Chunk * 1000) + 1);
        TakeEveryMillisecondThenNone(ahead, 2 * DrawnAhead.Chunk);
        Assert.False(ahead.TryTake(out _));

        // Two chunks at building, on the caller's thread; the third (one arrival, at the bound) where the lanes' threads say.
        Assert.Equal((2 * DrawnAhead.Chunk) + 1, process.Drawn);
        Assert.Equal(threads > 1, process.OffCallerThread > 0);
    }

    [Fact]
    public void With_the_background_queue_full_a_fill_is_made_on_the_readers_thread_and_gives_the_same_numbers()
    {
        // Not disposed: the held fills still wait on them on the background thread after the test.
        var gate = new ManualResetEventSlim();
        var running = new ManualResetEventSlim();
        try
        {
            // One fill holds the background thread until the gate opens; then the queue fills.
            Assert.True(BackgroundFills.TryPost(new Held(gate, running)));
            Assert.True(running.Wait(TimeSpan.FromSeconds(30)), "the background thread never ran");
            int queued = 0;
            while (BackgroundFills.TryPost(new Held(gate, null)))
            {
                Assert.True(++queued <= BackgroundFills.MaxQueued, "the queue took more than it may");
            }

            var hall = TwoLaneHall(new Simulator(3), threads: 2);
            Assert.True(hall.FillsInBackground);
            var process = new EveryMillisecond();
            var ahead = new ArrivalTimesAhead(hall, process, (3L * DrawnAhead.Chunk * 1000) + 1);
            TakeEveryMillisecondThenNone(ahead, 3 * DrawnAhead.Chunk);
            Assert.Equal(0, process.OffCallerThread);
        }
        finally
        {
            gate.Set();
        }
    }

    [Theory]
    [InlineData("empirical", 1)]
    [InlineData("empirical", 2)]
    [InlineData("lognormal", 1)]
    [InlineData("lognormal", 2)]
    public void TokenCounts_AreThoseDrawnOneRequestAtATime_PromptThenOutput(string kind, int threads)
    {
        var samples = new RandomStreams(5).For("samples");
        var prompt = kind == "empirical"
            ? TokenDistribution.Empirical([.. Enumerable.Range(0, 3000).Select(_ => 1 + (int)(samples.NextDouble() * 2000))])
            : TokenDistribution.LogNormal(600, 1, 4000);
        var output = kind == "empirical"
            ? TokenDistribution.Empirical([.. Enumerable.Range(0, 1000).Select(_ => 1 + (int)(samples.NextDouble() * 400))])
            : TokenDistribution.LogNormal(100, 1, 1500);
        var cls = new RequestClass("chat", "llama2-70b", prompt, output, new SloSpec());
        var hall = TwoLaneHall(new Simulator(3), threads);
        var ahead = new TokenCountsAhead(hall, cls, new RandomStreams(7).For("t"));
        var reference = new RandomStreams(7).For("t");
        for (int i = 0; i < (3 * DrawnAhead.Chunk) + 17; i++)
        {
            Assert.True(ahead.TryTake(out long pair));
            Assert.Equal(prompt.Sample(reference), (int)(pair >> 32));
            Assert.Equal(output.Sample(reference), (int)pair);
        }
    }

    private static void TakeEveryMillisecondThenNone(ArrivalTimesAhead ahead, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(ahead.TryTake(out long ticks));
            Assert.Equal((i + 1) * 1000L, ticks);
        }

        Assert.False(ahead.TryTake(out _));
    }

    // Chat on rack 0 and code on rack 1 share no class: two lanes, on the threads given.
    private static ComputeHall TwoLaneHall(Simulator sim, int threads)
    {
        var chat = TestHardware.Pool() with { Name = "chat" };
        var code = TestHardware.Pool() with { Name = "code", FirstRack = 1 };
        var classes = new[]
        {
            TestHardware.Chat() with { Pools = [new PoolShare("chat")] },
            TestHardware.Chat() with { Name = "code", Pools = [new PoolShare("code")] },
        };
        var hall = new ComputeHall(sim, new ComputeHallSpec(2, [chat, code], classes));
        Assert.Equal(2, hall.LaneCount);
        hall.Workers = StepWorkers.Shared(threads);
        return hall;
    }

    // A fill that waits for the gate, saying when it runs.
    private sealed class Held(ManualResetEventSlim gate, ManualResetEventSlim? running) : IBackgroundFill
    {
        public void FillInBackground()
        {
            running?.Set();
            gate.Wait();
        }
    }

    // Arrivals 1 ms apart, counting its draws and those made on a thread other than the test's.
    private sealed class EveryMillisecond : IArrivalProcess
    {
        private readonly int _caller = Environment.CurrentManagedThreadId;
        private long _ticks;

        public int Drawn;

        public int OffCallerThread;

        public double MeanRatePerS => 1000;

        public double RatePerS(SimTime t) => 1000;

        public bool CarriesTokens => false;

        public bool TryNext(out Arrival next)
        {
            Drawn++;
            OffCallerThread += Environment.CurrentManagedThreadId != _caller ? 1 : 0;
            _ticks += 1000;
            next = new Arrival(new SimTime(_ticks), 0, 0);
            return true;
        }

        public void SkipTo(SimTime t)
        {
        }
    }
}
