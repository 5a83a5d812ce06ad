using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Runs.Folder;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Runs;

/// <summary>
/// One twin on one clock, held and driven from code: run to a time, step, stop from another thread,
/// observe, steer with manual controls, inject events, read snapshots, fork. Every front end (the
/// CLI, the gRPC service, the 3D view, calibration, sweeps) drives the twin through this type.
/// Run calls belong to one thread at a time; <see cref="Stop"/>, <see cref="Snapshot"/>,
/// <see cref="CopySnapshot"/> and the subscriptions may be called from any thread.
/// </summary>
public sealed partial class TwinSession : IControlStepObserver
{
    private readonly ForwardingSink _requests = new();
    private readonly List<(SimTime CalledAt, SimTime At, TwinControl? Control, GridEventSpec? Event)> _calls = [];
    [NotState]
    private readonly object _gate = new();
    [NotState]
    private ITwinObserver[] _observers = [];
    [NotState]
    private IControlStepObserver[] _stepObservers = [];
    [NotState]
    private IRequestSink[] _requestSinks = [];
    [NotState]
    private readonly TwinSnapshot[] _buffers = new TwinSnapshot[2];
    [NotState]
    private readonly int[] _versions = new int[2];
    [NotState]
    private int _latest = -1;
    [NotState]
    private int _next;
    [NotState]
    private volatile bool _stopRequested;
    [NotState]
    private CancellationToken _token;
    private SimTime _now;

    /// <summary>Builds the twin of <paramref name="spec"/> at its own fidelity, or at <paramref name="fidelity"/>.</summary>
    public TwinSession(ScenarioSpec spec, Fidelity? fidelity = null)
    {
        Spec = spec;
        _requests.Target = new RequestFanOut(this);
        Built = TwinBuilder.Build(spec, fidelity ?? spec.Run.Fidelity, _requests);
        Twin.Observe(new ObserverFanOut(this));
        Twin.ObserveSteps(this);
        Years = spec.Run.Horizon.TotalSeconds > YearBooks.SecondsPerYear ? new YearBooks(Built) : null;
        Days = new DailyPue(spec.Run.Horizon.TotalSeconds);
        _graph = StateGraph.Capture(this);
    }

    /// <summary>PUE at each day's trough and peak of IT power.</summary>
    internal DailyPue Days { get; }

    /// <summary>The books by year of a run longer than a year; null for a year or less.</summary>
    internal YearBooks? Years { get; }

    /// <summary>A session on the scenario file <paramref name="path"/> with dotted overrides ("run.horizon" = "2 d").</summary>
    public static TwinSession FromFile(string path, IReadOnlyDictionary<string, string>? overrides = null, string? assetsDirectory = null)
    {
        var (spec, errors) = ScenarioLoader.Load(path, assetsDirectory ?? AssetPaths.FindAssetsDirectory(), overrides);
        return new TwinSession(spec ?? throw new ScenarioException(path, errors));
    }

    /// <summary>A session on scenario text, read as if it were the file <paramref name="file"/>.</summary>
    public static TwinSession FromText(string text, string file = "session.yaml", string? assetsDirectory = null)
    {
        var (spec, errors) = ScenarioLoader.LoadText(text, file, assetsDirectory ?? AssetPaths.FindAssetsDirectory());
        return new TwinSession(spec ?? throw new ScenarioException(file, errors));
    }

    /// <summary>The scenario.</summary>
    [field: NotState]
    public ScenarioSpec Spec { get; }

    /// <summary>The built twin and its compute.</summary>
    public BuiltTwin Built { get; }

    /// <summary>The twin.</summary>
    public HallTwin Twin => Built.Twin;

    /// <summary>How far the session has run.</summary>
    public SimTime Now => _now;

    /// <summary>The scenario's horizon.</summary>
    public SimTime Horizon => Spec.Run.Horizon;

    /// <summary>The control step.</summary>
    public SimTime ControlStep => SimTime.FromSeconds(Spec.Run.ControlStepS);

    /// <summary>Whether the last run call ended early (<see cref="Stop"/> or cancellation).</summary>
    [field: NotState]
    public bool Stopped { get; private set; }

    /// <summary>Told the simulated seconds reached after every control step (on the simulation thread).</summary>
    [field: NotState]
    public IProgress<double>? Progress { get; set; }

    /// <summary>Whether every control step publishes a snapshot for readers on other threads.</summary>
    [field: NotState]
    public bool PublishSnapshots { get; set; }

    /// <summary>Runs to <paramref name="until"/> (its control step included); returns early on <see cref="Stop"/> or cancellation.</summary>
    public SimTime RunUntil(SimTime until, CancellationToken cancellation = default)
    {
        if (until < _now)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, $"{until} is in the past: the session is at {_now}");
        }

        _token = cancellation;
        _ran = true;
        Stopped = false;
        if (_stopRequested || cancellation.IsCancellationRequested)
        {
            _stopRequested = false;
            Stopped = true;
            return _now;
        }

        Twin.RunUntil(until);
        if (Stopped)
        {
            _stopRequested = false;
            _now = SimTime.FromSeconds(Twin.LastStep.StartS + Twin.LastStep.DurationS);
        }
        else
        {
            _now = until;
        }

        return _now;
    }

    /// <summary>Runs on for <paramref name="duration"/>.</summary>
    public SimTime Step(SimTime duration, CancellationToken cancellation = default) => RunUntil(_now + duration, cancellation);

    /// <summary>Runs on for <paramref name="steps"/> control steps.</summary>
    public SimTime StepControlSteps(int steps, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        long step = ControlStep.Ticks;
        return RunUntil(new SimTime((_now.Ticks / step + steps) * step), cancellation);
    }

    /// <summary>Runs to the horizon and closes the last output interval.</summary>
    public SimTime RunToHorizon(CancellationToken cancellation = default)
    {
        var t = RunUntil(Horizon, cancellation);
        if (!Stopped)
        {
            Twin.Flush();
        }

        return t;
    }

    /// <summary>Asks a run in progress to stop at the end of the control step under way (any thread).</summary>
    public void Stop() => _stopRequested = true;

    /// <summary>
    /// Applies <paramref name="control"/> at <paramref name="at"/> (default: now). A time in the past,
    /// an unknown name, a mode the chiller lacks or a negative cap throws <see cref="ArgumentException"/>
    /// and changes nothing.
    /// </summary>
    public void Apply(TwinControl control, SimTime? at = null)
    {
        var when = at ?? _now;
        if (when < _now)
        {
            throw new ArgumentException($"{when} is in the past: the session is at {_now}", nameof(at));
        }

        Twin.Schedule(control, when);
        _calls.Add((_now, when, control, null));
    }

    /// <summary>Injects a site event (outage, curtailment, demand response, heat wave, failure) starting now or later.</summary>
    public void Inject(GridEventSpec e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Start < _now)
        {
            throw new ArgumentException($"the event starts at {e.Start}, in the past: the session is at {_now}", nameof(e));
        }

        Twin.Inject(e);
        _calls.Add((_now, e.Start, null, e));
    }

    /// <summary>
    /// A second session at the same point: a fresh twin of the same scenario with this one's state
    /// checkpoint restored into it (no object shared). Observers are not carried over.
    /// </summary>
    public TwinSession Fork()
    {
        var fork = new TwinSession(Spec, Built.Fidelity);
        fork.RestoreCheckpoint(SaveCheckpoint());
        return fork;
    }

    /// <summary>Adds an output told of every output interval and logged event; dispose to remove it (any thread).</summary>
    public IDisposable Subscribe(ITwinObserver observer) => Add(ref _observers, observer);

    /// <summary>Adds an observer told after every control step; dispose to remove it (any thread).</summary>
    public IDisposable Subscribe(IControlStepObserver observer) => Add(ref _stepObservers, observer);

    /// <summary>Adds a sink for every finished request; dispose to remove it (any thread).</summary>
    public IDisposable Subscribe(IRequestSink sink) => Add(ref _requestSinks, sink);

    /// <summary>Request counts and latency quantiles so far, whatever the fidelity.</summary>
    public ServiceFigures Service() => ServiceFigures.Of(Built);

    /// <summary>The results so far as summary.json holds them.</summary>
    public RunSummary Summary(double wallS = 0) => RunSummary.Of(this, wallS, partial: _now < Horizon);

    /// <summary>
    /// A copy of the state at the latest control step. With <see cref="PublishSnapshots"/> on it is the
    /// latest published (any thread); otherwise it is taken now (call it between run calls).
    /// </summary>
    public TwinSnapshot Snapshot()
    {
        var s = NewSnapshot();
        if (!CopySnapshot(s))
        {
            s.Capture(Twin);
        }

        return s;
    }

    /// <summary>Copies the latest published snapshot into <paramref name="into"/> (yours, reused); false when none is published yet.</summary>
    public bool CopySnapshot(TwinSnapshot into)
    {
        ArgumentNullException.ThrowIfNull(into);
        while (true)
        {
            int slot = Volatile.Read(ref _latest);
            if (slot < 0)
            {
                return false;
            }

            int before = Volatile.Read(ref _versions[slot]);
            if ((before & 1) != 0)
            {
                continue;
            }

            into.CopyFrom(_buffers[slot]);
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _versions[slot]) == before)
            {
                return true;
            }
        }
    }

    /// <summary>An empty snapshot the shape of this hall.</summary>
    public TwinSnapshot NewSnapshot() => new(Twin.Parts.It.RackCount, Twin.Parts.Cooling.Plant.Chillers.Count, Twin.Parts.Cooling.Cdus.Count,
        Twin.Compute?.ClassNames.Count ?? 0);

    /// <inheritdoc/>
    void IControlStepObserver.OnControlStep(HallTwin twin)
    {
        if (PublishSnapshots)
        {
            Publish();
        }

        foreach (var o in Volatile.Read(ref _stepObservers))
        {
            o.OnControlStep(twin);
        }

        Progress?.Report(twin.LastStep.StartS + twin.LastStep.DurationS);
        if (_stopRequested || _token.IsCancellationRequested)
        {
            Stopped = true;
            Built.Simulator.Stop();
        }
    }

    // Writes the buffer readers are not pointed at, then points them at it; the version is odd while it is written.
    private void Publish()
    {
        int slot = _next;
        _buffers[slot] ??= NewSnapshot();
        Interlocked.Increment(ref _versions[slot]);
        _buffers[slot].Capture(Twin);
        Interlocked.Increment(ref _versions[slot]);
        Volatile.Write(ref _latest, slot);
        _next = 1 - slot;
    }

    private Subscription<T> Add<T>(ref T[] list, T item)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            list = [.. list, item];
        }

        return new Subscription<T>(this, item);
    }

    private void Remove<T>(T item)
        where T : class
    {
        lock (_gate)
        {
            switch (item)
            {
                case ITwinObserver o:
                    _observers = [.. _observers.Where(x => !ReferenceEquals(x, o))];
                    break;
                case IControlStepObserver o:
                    _stepObservers = [.. _stepObservers.Where(x => !ReferenceEquals(x, o))];
                    break;
                case IRequestSink o:
                    _requestSinks = [.. _requestSinks.Where(x => !ReferenceEquals(x, o))];
                    break;
            }
        }
    }

    private sealed class Subscription<T>(TwinSession session, T item) : IDisposable
        where T : class
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                session.Remove(item);
            }
        }
    }

    // Copy-on-write lists: subscribing or leaving from any thread never disturbs a callback under way.
    private sealed class ObserverFanOut(TwinSession s) : ITwinObserver
    {
        public void OnFacilityInterval(in FacilitySample interval)
        {
            s.Years?.OnInterval(interval);
            s.Days.OnInterval(interval);
            foreach (var o in Volatile.Read(ref s._observers))
            {
                o.OnFacilityInterval(interval);
            }
        }

        public void OnRackInterval(in RackSample interval)
        {
            foreach (var o in Volatile.Read(ref s._observers))
            {
                o.OnRackInterval(interval);
            }
        }

        public void OnRackIntervals(ReadOnlySpan<RackSample> intervals)
        {
            foreach (var o in Volatile.Read(ref s._observers))
            {
                o.OnRackIntervals(intervals);
            }
        }

        public void OnPlantInterval(in PlantSample interval)
        {
            foreach (var o in Volatile.Read(ref s._observers))
            {
                o.OnPlantInterval(interval);
            }
        }

        public void OnEvent(in TwinEvent e)
        {
            foreach (var o in Volatile.Read(ref s._observers))
            {
                o.OnEvent(e);
            }
        }
    }

    private sealed class RequestFanOut(TwinSession s) : IRequestSink
    {
        public void OnFinished(in RequestRecord record)
        {
            foreach (var o in Volatile.Read(ref s._requestSinks))
            {
                o.OnFinished(record);
            }
        }
    }
}

/// <summary>A scenario that does not validate, with every error.</summary>
public sealed class ScenarioException(string file, IReadOnlyList<ScenarioError> errors)
    : Exception($"{file}: {errors.Count} error(s): " + string.Join("; ", errors.Take(5).Select(e => e.ToString())))
{
    /// <summary>What is wrong, with where.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; } = errors;
}
