using DataCenterTwin.Kernel;
using DataCenterTwin.Runs;
using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.Services;
using DataCenterTwin.Service.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace DataCenterTwin.Service.Tests;

public sealed class StreamsTests
{
    [Fact]
    public async Task Telemetry_EverySimulatedHour_InOrderWithTheMaskAsked()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var call = server.Streams.StreamTelemetry(new TelemetryRequest
        {
            SessionId = s.SessionId, EverySimS = 3600, FieldMask = new FieldMask { Paths = { "facility", "plant" } }, BufferMessages = 1000,
        });
        await call.ResponseHeadersAsync;
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 6 * 3600 });
        var times = new List<double>();
        while (times.Count < 6 && await call.ResponseStream.MoveNext())
        {
            var m = call.ResponseStream.Current;
            Assert.NotNull(m.Snapshot.Facility);
            Assert.NotNull(m.Snapshot.Plant);
            Assert.Empty(m.Snapshot.Racks);
            Assert.Equal(0UL, m.DroppedMessages);
            times.Add(m.Snapshot.SimTimeS);
        }

        Assert.Equal([3600.0, 7200, 10800, 14400, 18000, 21600], times);
    }

    [Fact]
    public async Task Telemetry_EveryWallMilliseconds_SendsTheLatest()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        using var call = server.Streams.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EveryWallMs = 20 });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(3600, call.ResponseStream.Current.Snapshot.SimTimeS);
        Assert.Equal(SessionState.Paused, call.ResponseStream.Current.State);
    }

    [Theory]
    [InlineData(0.0, 0, 0)]
    [InlineData(-60.0, 0, 0)]
    [InlineData(60.0, 0, -1)]
    public async Task Telemetry_BadRequest_InvalidArgument(double everySimS, int everyWallMs, int buffer)
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var call = server.Streams.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EverySimS = everySimS, EveryWallMs = everyWallMs, BufferMessages = buffer });
        var e = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task SlowReader_BufferKeepsTheNewest_CountsTheDropped_SimulationRunsOn()
    {
        // A reader that reads nothing while a day runs: its buffer holds the last 4 snapshots and says how many it dropped.
        var session = TwinSession.FromFile(Repo.Path("scenarios/quick.yaml"));
        session.PublishSnapshots = true;
        var hub = new TelemetryHub(session, () => SessionState.Running);
        var reader = hub.AddTelemetry(everySteps: 1, SnapshotParts.Facility, capacity: 4);
        var t = session.RunUntil(SimTime.FromHours(24));
        Assert.Equal(SimTime.FromHours(24), t);
        await hub.FannedOut();
        Assert.Equal(1440UL - 4, reader.Dropped);
        var kept = new List<double>();
        while (reader.Channel.Reader.TryRead(out var item))
        {
            kept.Add(item.Snapshot.SimTimeS);
        }

        Assert.Equal([86_220.0, 86_280, 86_340, 86_400], kept);
        hub.Remove(reader);
        Assert.True(reader.Channel.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task StalledReader_DefaultSlot_HoldsOnlyTheNewest_CountsEverySkipped()
    {
        // The default stream is one latest-wins slot: a reader stalled for a whole day costs one message
        // of memory, reads the last step's snapshot and is told of the 1,439 others (1,440 steps of 60 s).
        var session = TwinSession.FromFile(Repo.Path("scenarios/quick.yaml"));
        session.PublishSnapshots = true;
        var hub = new TelemetryHub(session, () => SessionState.Running);
        var reader = hub.AddTelemetry(everySteps: 1, SnapshotParts.Facility, capacity: 1);
        session.RunUntil(SimTime.FromHours(24));
        await hub.FannedOut();
        Assert.Equal(1, reader.Channel.Reader.Count);
        Assert.True(reader.Channel.Reader.TryRead(out var newest));
        Assert.Equal(86_400, newest.Snapshot.SimTimeS);
        Assert.Equal(1439UL, reader.Dropped);
        hub.Remove(reader);
    }

    [Theory]
    [InlineData(0, 50.0, 10.0)]  // nothing asked: the dashboard default, 100 ms
    [InlineData(0, 0.0, 10.0)]   // no server limit: still the default
    [InlineData(40, 0.0, 25.0)]  // its own interval
    [InlineData(5, 50.0, 50.0)]  // never above the server's limit
    public void StreamRate_OwnIntervalOrDefault_CappedByTheServer(int minIntervalWallMs, double serverMaxHz, double expected) =>
        Assert.Equal(expected, StreamsService.MessagesPerSecond(minIntervalWallMs, serverMaxHz), 12);

    [Fact]
    public async Task Telemetry_NegativeInterval_InvalidArgument()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var call = server.Streams.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EverySimS = 60, MinIntervalWallMs = -1 });
        var e = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("min_interval_wall_ms", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamRateLimit_TokenBucket_BurstOfItsBufferThenATokenAGridTick_DecimatedCounted()
    {
        // 10 messages a second after a burst of 4, one due every step, a token at every tenth of a second
        // of the shared grid: worked by hand from the bucket's definition.
        long second = System.Diagnostics.Stopwatch.Frequency, period = second / 10;
        var s = new TelemetrySubscriber(everySteps: 1, SnapshotParts.Facility, capacity: 4, maxPerSecond: 10);
        long t0 = GridTickAfterNow(period);
        Assert.Equal([true, true, true, true, false], Enumerable.Range(1, 5).Select(step => s.Offer(step, t0)).ToArray());
        Assert.Equal(t0 + period, s.ReadyTicks);               // empty: the next token comes at the next grid tick
        Assert.False(s.Offer(6, t0 + (period / 2)));
        Assert.False(s.Offer(7, t0 + period - 1));
        Assert.True(s.Offer(8, t0 + period));                  // one token at the tick, not two
        Assert.False(s.Offer(9, t0 + period + 1));
        Assert.Equal([true, true, true, true, false], Enumerable.Range(10, 5).Select(step => s.Offer(step, t0 + (2 * second))).ToArray()); // full again, no more than the burst
        Assert.Equal(5UL, s.Dropped);                          // steps 5, 6, 7, 9, 14
        var unlimited = new TelemetrySubscriber(everySteps: 1, SnapshotParts.Facility, capacity: 4);
        Assert.All(Enumerable.Range(1, 100), step => Assert.True(unlimited.Offer(step, t0)));
        Assert.Equal(long.MinValue, unlimited.ReadyTicks);

        // Every 10 steps from step 3: due at 10, 20, ...; steps the hub skipped are counted when the next goes.
        var decimated = new TelemetrySubscriber(everySteps: 10, SnapshotParts.Facility, capacity: 1, maxPerSecond: 1);
        t0 = GridTickAfterNow(second);
        Assert.False(decimated.Offer(3, t0));
        Assert.Equal(10, decimated.NextDueStep);
        Assert.True(decimated.Offer(10, t0));               // the burst's one token
        Assert.False(decimated.Offer(20, t0 + second - 1)); // none left until the next whole second of the grid
        Assert.False(decimated.Offer(57, t0 + (2 * second))); // not due: the next is 60
        Assert.Equal(60, decimated.NextDueStep);
        Assert.True(decimated.Offer(60, t0 + (2 * second)));  // the bucket refilled: due 10..60 is 6, admitted 2
        Assert.Equal(4UL, decimated.Dropped);
    }

    [Fact]
    public void StreamRateLimit_StreamsOfOneIntervalOpenedApart_BecomeReadyAtTheSameTick()
    {
        // Three streams of 100 ms whose last messages went 10, 40 and 90 ms into the same tenth of a second
        // (opened, or last sent, at different instants): all three are next ready at the same grid tick, so
        // the hub sends them one snapshot in one batch there instead of one each at three instants.
        long period = System.Diagnostics.Stopwatch.Frequency / 10, t0 = GridTickAfterNow(period);
        var streams = Enumerable.Range(0, 3).Select(_ => new TelemetrySubscriber(everySteps: 1, SnapshotParts.Facility, capacity: 1, maxPerSecond: 10)).ToArray();
        long[] sent = [t0 + (period / 10), t0 + (4 * period / 10), t0 + (9 * period / 10)];
        for (int i = 0; i < 3; i++)
        {
            Assert.True(streams[i].Offer(1, sent[i]));
        }

        Assert.All(streams, s => Assert.Equal(t0 + period, s.ReadyTicks));
        Assert.All(streams, s => Assert.True(s.Offer(2, t0 + period)));
        Assert.All(streams, s => Assert.False(s.Offer(3, t0 + (2 * period) - 1)));
    }

    [Fact]
    public async Task Hub_StreamsOfOneIntervalOpenedApart_OneBatchATickForAll_DroppedCountedRight()
    {
        // Ten streams of 10 ms open, a day runs, ten more open a wall-clock moment later, a week runs: the
        // two groups' messages go out at the same grid ticks, so the hub hands over one batch a tick (and
        // one for each group's first message), not one a tick for each group. Each stream's default slot
        // holds the newest message and every other due one is counted dropped (a message due every step).
        // The bound on batches is what fails if each group keeps a phase of its own (about twice as many).
        // The hub's wall clock is the test's: it moves 0.7 ms at each reading (once a control step), so the
        // second group opens in the middle of a tick and nothing depends on how fast this machine runs.
        var session = TwinSession.FromFile(Repo.Path("scenarios/quick.yaml"));
        session.PublishSnapshots = true;
        long now = 0, period = System.Diagnostics.Stopwatch.Frequency / 100;
        var hub = new TelemetryHub(session, () => SessionState.Running, () => now += System.Diagnostics.Stopwatch.Frequency * 7 / 10_000);
        long start = now;
        var first = Enumerable.Range(0, 10).Select(_ => hub.AddTelemetry(everySteps: 1, SnapshotParts.Facility, capacity: 1, maxPerSecond: 100)).ToArray();
        session.RunUntil(SimTime.FromHours(24));
        var second = Enumerable.Range(0, 10).Select(_ => hub.AddTelemetry(everySteps: 1, SnapshotParts.Facility, capacity: 1, maxPerSecond: 100)).ToArray();
        session.RunUntil(SimTime.FromHours(8 * 24));
        long ticks = (now / period) - (start / period);
        await hub.FannedOut();

        Assert.InRange(hub.HandedOver, 3, ticks + 2);
        Assert.All(first.Concat(second), s => Assert.Equal(1, s.Channel.Reader.Count));

        // Decimated messages are counted at the steps the hub visits a stream (the last, NextDueStep − 1,
        // when it is due every step), so every message carries the count of those due before it.
        Assert.All(first, s => Assert.Equal((ulong)(s.NextDueStep - 1) - 1, s.Dropped));
        Assert.All(second, s => Assert.Equal((ulong)(s.NextDueStep - 1 - 1440) - 1, s.Dropped));
        Assert.All(first.Concat(second), s => Assert.True(s.NextDueStep > 8 * 1440 * 0.9));
    }

    // The first tick of a grid of this period (Stopwatch ticks) after now.
    private static long GridTickAfterNow(long period) => ((System.Diagnostics.Stopwatch.GetTimestamp() / period) + 1) * period;

    [Fact]
    public async Task Streams_EndWhenTheSessionIsDeleted()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var telemetry = server.Streams.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EverySimS = 60 });
        using var events = server.Streams.StreamEvents(new EventsRequest { SessionId = s.SessionId });
        await telemetry.ResponseHeadersAsync;
        await events.ResponseHeadersAsync;
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 120 });
        Assert.True(await telemetry.ResponseStream.MoveNext());
        await server.Sessions.DeleteSessionAsync(new SessionRef { SessionId = s.SessionId });
        while (await telemetry.ResponseStream.MoveNext())
        {
        }

        while (await events.ResponseStream.MoveNext())
        {
        }

        Assert.Equal(StatusCode.OK, telemetry.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Telemetry_ClientCancels_StreamEndsAndIsReleased_SessionRunsOn()
    {
        // The stream's wait and writes are not handed the call's token: its cancellation must still end
        // the stream, whether it is waiting for a frame (the stepped stream, the session paused) or for
        // its wall-clock tick, and release its hold on the session.
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        var host = server.Registry.Get(s.SessionId);
        using var stop = new CancellationTokenSource();
        using var stepped = server.Streams.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EverySimS = 60 }, cancellationToken: stop.Token);
        using var wall = server.Streams.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EveryWallMs = 20 }, cancellationToken: stop.Token);
        await stepped.ResponseHeadersAsync;
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, ControlSteps = 2 });
        Assert.True(await stepped.ResponseStream.MoveNext());
        Assert.True(await wall.ResponseStream.MoveNext());
        Assert.Equal(2, host.OpenStreams);

        await stop.CancelAsync();
        for (int i = 0; i < 6000 && host.OpenStreams > 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, host.OpenStreams);
        Assert.Equal(0, host.Hub.Pending);

        // A new stream on the same session gets the next step.
        using var again = server.Streams.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EverySimS = 60 });
        await again.ResponseHeadersAsync;
        var info = await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, ControlSteps = 1 });
        Assert.True(await again.ResponseStream.MoveNext());
        Assert.Equal(info.SimTimeS, again.ResponseStream.Current.Snapshot.SimTimeS);
    }
}
