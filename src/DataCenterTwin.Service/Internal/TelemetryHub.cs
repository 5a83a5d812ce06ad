using System.Diagnostics;
using System.Threading.Channels;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Runs;
using DataCenterTwin.Service.V1;
using ProtoSnapshot = DataCenterTwin.Service.V1.Snapshot;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// The session's streams. On the simulation thread it only copies the published snapshot, builds each
/// due message once (one per distinct field mask, shared by every stream that asked for it) and offers
/// it to each stream's bounded channel, which drops its oldest message when full: a reader that falls
/// behind loses messages (and is told how many), the simulation never waits for it.
/// </summary>
internal sealed class TelemetryHub : IControlStepObserver, ITwinObserver
{
    private readonly TwinSession _session;
    private readonly Func<SessionState> _state;
    private readonly object _gate = new();
    private readonly TwinSnapshot _scratch;
    private readonly ProtoSnapshot?[] _built = new ProtoSnapshot?[(int)SnapshotParts.All + 1];
    private TelemetrySubscriber[] _telemetry = [];
    private EventSubscriber[] _events = [];
    private IDisposable? _stepSubscription;
    private IDisposable? _eventSubscription;
    private bool _completed;

    public TelemetryHub(TwinSession session, Func<SessionState> state)
    {
        _session = session;
        _state = state;
        _scratch = session.NewSnapshot();
    }

    /// <summary>
    /// A stream of snapshots every <paramref name="everySteps"/> control steps, at most
    /// <paramref name="maxPerSecond"/> a wall second after a burst of <paramref name="capacity"/> (0: no limit).
    /// </summary>
    public TelemetrySubscriber AddTelemetry(long everySteps, SnapshotParts parts, int capacity, double maxPerSecond = 0)
    {
        var s = new TelemetrySubscriber(everySteps, parts, capacity, maxPerSecond);
        lock (_gate)
        {
            if (_completed)
            {
                s.Channel.Writer.TryComplete();
                return s;
            }

            _telemetry = [.. _telemetry, s];
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

    /// <inheritdoc/>
    public void OnControlStep(HallTwin twin)
    {
        var subscribers = Volatile.Read(ref _telemetry);
        long step = twin.Steps;
        long now = Stopwatch.GetTimestamp();
        bool copied = false;
        Array.Clear(_built);
        foreach (var s in subscribers)
        {
            if (step % s.EverySteps != 0 || !s.Admit(now))
            {
                continue;
            }

            if (!copied)
            {
                if (!_session.CopySnapshot(_scratch))
                {
                    return;
                }

                copied = true;
            }

            var message = _built[(int)s.Parts] ??= ProtoMap.ToProto(_scratch, _session, s.Parts);
            s.Channel.Writer.TryWrite(new TelemetryItem(message, _state()));
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

/// <summary>A snapshot message shared by the streams that asked for it, and the session's state then.</summary>
internal sealed record TelemetryItem(ProtoSnapshot Snapshot, SessionState State);

/// <summary>An event as logged.</summary>
internal sealed record EventItem(double SimTimeS, string Kind, string Source, string Description, double ValueW);

/// <summary>One telemetry stream's buffer, its rate limit and its count of dropped messages.</summary>
internal sealed class TelemetrySubscriber
{
    private readonly double _tokensPerTick;
    private readonly double _burst;
    private double _tokens;
    private long _lastTicks;
    private long _dropped;

    public TelemetrySubscriber(long everySteps, SnapshotParts parts, int capacity, double maxPerSecond = 0)
    {
        EverySteps = Math.Max(1, everySteps);
        Parts = parts;
        _tokensPerTick = maxPerSecond / Stopwatch.Frequency;
        _burst = capacity;
        _tokens = capacity;
        _lastTicks = Stopwatch.GetTimestamp();
        Channel = System.Threading.Channels.Channel.CreateBounded<TelemetryItem>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false },
            _ => Interlocked.Increment(ref _dropped));
    }

    public long EverySteps { get; }

    public SnapshotParts Parts { get; }

    public Channel<TelemetryItem> Channel { get; }

    public ulong Dropped => (ulong)Interlocked.Read(ref _dropped);

    /// <summary>
    /// Whether a message due at <paramref name="nowTicks"/> goes out (simulation thread only): a token
    /// bucket that refills at the stream's rate; one decimated is counted as dropped. Deciding here, before
    /// a message is built or offered, keeps a full-speed run's cost per step flat in the number of streams.
    /// </summary>
    public bool Admit(long nowTicks)
    {
        if (_tokensPerTick <= 0)
        {
            return true;
        }

        _tokens = Math.Min(_burst, _tokens + ((nowTicks - _lastTicks) * _tokensPerTick));
        _lastTicks = nowTicks;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
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
