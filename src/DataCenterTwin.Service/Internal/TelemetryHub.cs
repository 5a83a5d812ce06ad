using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Runs;
using DataCenterTwin.Service.V1;
using ProtoSnapshot = DataCenterTwin.Service.V1.Snapshot;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// The session's streams. On the simulation thread a control step costs a test per telemetry stream
/// (is it due, does its rate limit admit it) and, when any is admitted, one copy of the published
/// snapshot into a pooled buffer and one hand-over to the fan-out: no message is built, serialized or
/// offered there, and nothing is allocated once the pools are warm. Rate-limited streams become ready at
/// the ticks of a shared wall-clock grid (<see cref="TelemetrySubscriber"/>), so streams of one interval
/// share one hand-over a tick however far apart they were opened. The fan-out (a thread-pool task)
/// builds each frame once per distinct field mask, serializes it once (<see cref="TelemetryFrame"/>)
/// and offers that one frame to every stream that asked for it. Every buffer is bounded and drops its
/// oldest when full: a stream whose reader (or the fan-out) falls behind loses messages and is told how
/// many; the simulation never waits.
/// </summary>
internal sealed class TelemetryHub : IControlStepObserver, ITwinObserver
{
    // Frames handed over and not yet fanned out; past this the oldest is dropped for its streams.
    private const int FanOutQueue = 16;

    private readonly TwinSession _session;
    private readonly Func<SessionState> _state;
    private readonly Func<long> _clockTicks;
    private readonly object _gate = new();
    private readonly ConcurrentQueue<FanOutBatch> _pool = new();
    private readonly Channel<FanOutBatch> _fanOut;
    private readonly TelemetryFrame?[] _built = new TelemetryFrame?[(int)SnapshotParts.All + 1];
    private TelemetrySubscriber[] _telemetry = [];
    private EventSubscriber[] _events = [];
    private IDisposable? _stepSubscription;
    private IDisposable? _eventSubscription;
    private Task? _fanOutTask;
    private bool _completed;
    private long _handedOver;
    private long _fannedOut;

    // Simulation thread: the streams last visited, the first step any of them is due and the first tick any may send.
    private TelemetrySubscriber[]? _visited;
    private long _visitStep;
    private long _visitTicks;

    /// <param name="session">The session whose control steps and snapshots the streams follow.</param>
    /// <param name="state">The session's state, stamped on every message.</param>
    /// <param name="clockTicks">The wall clock the rate limits count on, in Stopwatch ticks (a test drives its own).</param>
    public TelemetryHub(TwinSession session, Func<SessionState> state, Func<long>? clockTicks = null)
    {
        _session = session;
        _state = state;
        _clockTicks = clockTicks ?? Stopwatch.GetTimestamp;
        _fanOut = Channel.CreateBounded<FanOutBatch>(
            new BoundedChannelOptions(FanOutQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            Dropped);
    }

    /// <summary>Batches handed to the fan-out so far: one for each control step at which any stream sent.</summary>
    public long HandedOver => Interlocked.Read(ref _handedOver);

    /// <summary>Frames handed to the fan-out and not yet offered to their streams (or dropped).</summary>
    public long Pending => Interlocked.Read(ref _handedOver) - Interlocked.Read(ref _fannedOut);

    /// <summary>
    /// A stream of snapshots every <paramref name="everySteps"/> control steps, at most
    /// <paramref name="maxPerSecond"/> a wall second after a burst of <paramref name="capacity"/> (0: no limit).
    /// </summary>
    public TelemetrySubscriber AddTelemetry(long everySteps, SnapshotParts parts, int capacity, double maxPerSecond = 0)
    {
        var s = new TelemetrySubscriber(everySteps, parts, capacity, maxPerSecond, _clockTicks());
        lock (_gate)
        {
            if (_completed)
            {
                s.Channel.Writer.TryComplete();
                return s;
            }

            _telemetry = [.. _telemetry, s];
            _fanOutTask ??= Task.Run(FanOut);
            _stepSubscription ??= _session.Subscribe((IControlStepObserver)this);
        }

        return s;
    }

    public EventSubscriber AddEvents(int capacity)
    {
        var s = new EventSubscriber(capacity);
        lock (_gate)
        {
            if (_completed)
            {
                s.Channel.Writer.TryComplete();
                return s;
            }

            _events = [.. _events, s];
            _eventSubscription ??= _session.Subscribe((ITwinObserver)this);
        }

        return s;
    }

    public void Remove(TelemetrySubscriber s)
    {
        lock (_gate)
        {
            _telemetry = [.. _telemetry.Where(x => !ReferenceEquals(x, s))];
            if (_telemetry.Length == 0)
            {
                _stepSubscription?.Dispose();
                _stepSubscription = null;
            }
        }

        s.Channel.Writer.TryComplete();
    }

    public void Remove(EventSubscriber s)
    {
        lock (_gate)
        {
            _events = [.. _events.Where(x => !ReferenceEquals(x, s))];
            if (_events.Length == 0)
            {
                _eventSubscription?.Dispose();
                _eventSubscription = null;
            }
        }

        s.Channel.Writer.TryComplete();
    }

    /// <summary>Ends every stream (the session is closed).</summary>
    public void Complete()
    {
        TelemetrySubscriber[] telemetry;
        EventSubscriber[] events;
        lock (_gate)
        {
            _completed = true;
            telemetry = _telemetry;
            events = _events;
            _telemetry = [];
            _events = [];
            _stepSubscription?.Dispose();
            _eventSubscription?.Dispose();
        }

        _fanOut.Writer.TryComplete();
        foreach (var s in telemetry)
        {
            s.Channel.Writer.TryComplete();
        }

        foreach (var s in events)
        {
            s.Channel.Writer.TryComplete();
        }
    }

    /// <summary>A snapshot message for a wall-clock stream, from the latest published snapshot (any thread).</summary>
    public static ProtoSnapshot? Latest(TwinSession session, TwinSnapshot into, SnapshotParts parts) =>
        session.CopySnapshot(into) ? ProtoMap.ToProto(into, session, parts) : null;

    /// <summary>Waits until every frame handed over so far has been offered to its streams (tests).</summary>
    public async Task FannedOut()
    {
        while (Pending > 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void OnControlStep(HallTwin twin)
    {
        var subscribers = Volatile.Read(ref _telemetry);
        long step = twin.Steps;
        long now = _clockTicks();

        // No stream is due before _visitStep, and none may send before _visitTicks: skip the visit
        // (unless streams came or went since those bounds were taken).
        if (ReferenceEquals(subscribers, _visited) && (step < _visitStep || now < _visitTicks))
        {
            return;
        }

        _visited = subscribers;
        _visitStep = long.MaxValue;
        _visitTicks = long.MaxValue;
        FanOutBatch? batch = null;
        foreach (var s in subscribers)
        {
            bool admitted = s.Offer(step, now);
            _visitStep = Math.Min(_visitStep, s.NextDueStep);
            _visitTicks = Math.Min(_visitTicks, s.ReadyTicks);
            if (!admitted)
            {
                continue;
            }

            if (batch is null)
            {
                batch = Rent(subscribers.Length);
                if (!_session.CopySnapshot(batch.Snapshot))
                {
                    _pool.Enqueue(batch);
                    _visited = null;
                    return;
                }
            }

            batch.Targets[batch.Count++] = s;
        }

        if (batch is null)
        {
            return;
        }

        batch.State = _state();
        Interlocked.Increment(ref _handedOver);
        if (!_fanOut.Writer.TryWrite(batch))
        {
            // The session is closing: nobody will read it.
            Interlocked.Increment(ref _fannedOut);
            Release(batch);
        }
    }

    // A pooled batch big enough for every stream now (the pool holds at most the queue's worth and the one in hand).
    private FanOutBatch Rent(int streams)
    {
        if (!_pool.TryDequeue(out var batch))
        {
            batch = new FanOutBatch(_session.NewSnapshot());
        }

        if (batch.Targets.Length < streams)
        {
            batch.Targets = new TelemetrySubscriber[Math.Max(streams, batch.Targets.Length * 2)];
        }

        return batch;
    }

    private void Release(FanOutBatch batch)
    {
        Array.Clear(batch.Targets, 0, batch.Count);
        batch.Count = 0;
        _pool.Enqueue(batch);
    }

    // The fan-out queue was full: the oldest frame is lost for each stream it was for.
    private void Dropped(FanOutBatch batch)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            batch.Targets[i].CountDropped();
        }

        Interlocked.Increment(ref _fannedOut);
        Release(batch);
    }

    // Builds each frame once per field mask asked, serializes it once, and offers the same frame to every stream it is for.
    private async Task FanOut()
    {
        var reader = _fanOut.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var batch))
            {
                Array.Clear(_built);
                for (int i = 0; i < batch.Count; i++)
                {
                    var s = batch.Targets[i];
                    var frame = _built[(int)s.Parts] ??= new TelemetryFrame(ProtoMap.ToProto(batch.Snapshot, _session, s.Parts), batch.State);
                    s.Channel.Writer.TryWrite(frame);
                }

                Array.Clear(_built);
                Interlocked.Increment(ref _fannedOut);
                Release(batch);
            }
        }
    }

    /// <inheritdoc/>
    public void OnFacilityInterval(in FacilitySample interval)
    {
    }

    /// <inheritdoc/>
    public void OnRackInterval(in RackSample interval)
    {
    }

    /// <inheritdoc/>
    public void OnPlantInterval(in PlantSample interval)
    {
    }

    /// <inheritdoc/>
    public void OnEvent(in TwinEvent e)
    {
        var subscribers = Volatile.Read(ref _events);
        if (subscribers.Length == 0)
        {
            return;
        }

        var item = new EventItem(e.TimeS, ProtoMap.EventKindName(e.Kind), e.Source, e.Description, e.ValueW);
        foreach (var s in subscribers)
        {
            s.Channel.Writer.TryWrite(item);
        }
    }
}

/// <summary>A copy of a control step's snapshot on its way to the fan-out, and the streams it is for (pooled).</summary>
internal sealed class FanOutBatch(TwinSnapshot snapshot)
{
    public TwinSnapshot Snapshot { get; } = snapshot;

    public SessionState State { get; set; }

    public TelemetrySubscriber[] Targets { get; set; } = new TelemetrySubscriber[4];

    public int Count { get; set; }
}

/// <summary>An event as logged.</summary>
internal sealed record EventItem(double SimTimeS, string Kind, string Source, string Description, double ValueW);

/// <summary>One telemetry stream's buffer, its rate limit and its count of dropped messages.</summary>
internal sealed class TelemetrySubscriber
{
    // The rate limit is a token bucket whose tokens come at the ticks of a wall-clock grid shared by every
    // stream of the process (multiples of the stream's interval since the Stopwatch's zero), not at ticks
    // of its own. A stream still gets at most one message an interval after its burst, but streams of the
    // same interval (the default) all become ready at the same control step: a hundred of them cost the
    // simulation one snapshot copy and the fan-out one frame a tick, instead of one each at a hundred
    // scattered instants, and the server's threads, the sockets and the readers wake once a tick for all.
    private readonly long _periodTicks;
    private readonly int _burst;
    private int _tokens;
    private long _lastSlot;
    private long _lost;

    // Simulation thread only (the count of decimated messages is published for the stream's writer).
    private long _firstStep = -1;
    private long _nextDueStep;
    private long _admitted;
    private long _decimated;

    public TelemetrySubscriber(long everySteps, SnapshotParts parts, int capacity, double maxPerSecond = 0, long? openedTicks = null)
    {
        EverySteps = Math.Max(1, everySteps);
        Parts = parts;
        _periodTicks = maxPerSecond > 0 ? Math.Max(1, (long)Math.Round(Stopwatch.Frequency / maxPerSecond)) : 0;
        _burst = capacity;
        _tokens = capacity;
        _lastSlot = _periodTicks > 0 ? (openedTicks ?? Stopwatch.GetTimestamp()) / _periodTicks : 0;
        Channel = System.Threading.Channels.Channel.CreateBounded<TelemetryFrame>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false },
            _ => Interlocked.Increment(ref _lost));
    }

    public long EverySteps { get; }

    public SnapshotParts Parts { get; }

    public Channel<TelemetryFrame> Channel { get; }

    /// <summary>Messages dropped so far: decimated by the rate limit (as of the last step this stream was offered), lost to a full buffer.</summary>
    public ulong Dropped => (ulong)(Volatile.Read(ref _decimated) + Interlocked.Read(ref _lost));

    /// <summary>The next step at which a message is due (simulation thread).</summary>
    public long NextDueStep => _nextDueStep;

    /// <summary>The earliest Stopwatch tick at which the rate limit lets a message go (simulation thread): the next grid tick once the bucket is empty; long.MinValue without a limit.</summary>
    public long ReadyTicks => _periodTicks <= 0 || _tokens >= 1 ? long.MinValue : (_lastSlot + 1) * _periodTicks;

    /// <summary>Counts a message lost before it reached this stream's buffer.</summary>
    public void CountDropped() => Interlocked.Increment(ref _lost);

    /// <summary>
    /// Whether the message of control step <paramref name="step"/> at <paramref name="nowTicks"/> goes out
    /// (simulation thread only, steps in increasing order). It is due every <see cref="EverySteps"/> steps;
    /// a due one goes if the token bucket, given a token at every tick of the stream's grid, holds a token.
    /// Decimated ones are counted from the step numbers at the next offer (due so far less admitted), so the
    /// hub need not visit this stream at steps where it cannot send: a full-speed run's cost per step stays
    /// flat in the number of streams.
    /// </summary>
    public bool Offer(long step, long nowTicks)
    {
        if (_firstStep < 0)
        {
            _firstStep = step;
        }

        if (step < _nextDueStep)
        {
            return false;
        }

        if (step % EverySteps != 0)
        {
            _nextDueStep = ((step / EverySteps) + 1) * EverySteps;
            return false;
        }

        _nextDueStep = step + EverySteps;
        bool admitted = true;
        if (_periodTicks > 0)
        {
            long slot = nowTicks / _periodTicks;
            if (slot > _lastSlot)
            {
                _tokens = (int)Math.Min(_burst, _tokens + (slot - _lastSlot));
                _lastSlot = slot;
            }

            admitted = _tokens >= 1;
            _tokens -= admitted ? 1 : 0;
        }

        _admitted += admitted ? 1 : 0;
        long due = (step / EverySteps) - ((_firstStep - 1) / EverySteps);
        Volatile.Write(ref _decimated, due - _admitted);
        return admitted;
    }
}

/// <summary>One event stream's buffer and its count of dropped messages.</summary>
internal sealed class EventSubscriber
{
    private long _dropped;

    public EventSubscriber(int capacity) => Channel = System.Threading.Channels.Channel.CreateBounded<EventItem>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false },
        _ => Interlocked.Increment(ref _dropped));

    public Channel<EventItem> Channel { get; }

    public ulong Dropped => (ulong)Interlocked.Read(ref _dropped);
}
