using System.Collections.Concurrent;
using System.Diagnostics;
using DataCenterTwin.Kernel;
using DataCenterTwin.Runs;
using DataCenterTwin.Service.V1;
using Google.Protobuf;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// One session and the thread that owns its simulation. gRPC calls never touch the twin: they queue
/// a command, which the thread applies between control steps (a running simulation is asked to stop
/// at the end of the step under way, takes the commands, and runs on). Pacing, run targets, the
/// checkpoint times of the run folder and failures all live here.
/// </summary>
internal sealed partial class SessionHost : IDisposable
{
    private readonly ConcurrentQueue<Command> _commands = new();
    private readonly AutoResetEvent _signal = new(false);
    private readonly Thread _thread;
    private readonly List<RecordedCall> _calls = [];
    private readonly List<TaskCompletionSource<SessionInfo>> _waiters = [];
    private readonly Stopwatch _wall = new();
    private readonly TelemetryHub _hub;
    private SessionOutputs? _outputs;
    private volatile SessionState _state = SessionState.Created;
    private volatile string _error = "";
    private volatile bool _closing;
    private SimTime _target;
    private double _pacing;
    private long _lastTouchMs = Environment.TickCount64;
    private long _lastCompletedCheckpoint;
    private int _streams;
    private static long s_sequence;

    private sealed record Command(Action<SessionHost> Run, TaskCompletionSource<object?> Done);

    public SessionHost(string id, CreateSessionRequest create, TwinSession session, SessionOutputs? outputs, IEnumerable<RecordedCall>? calls = null)
    {
        Id = id;
        Create = create;
        Session = session;
        _outputs = outputs;
        _pacing = create.PacingFactor;
        _target = session.Now;
        if (calls is not null)
        {
            _calls.AddRange(calls);
        }

        session.PublishSnapshots = true;
        _hub = new TelemetryHub(session, () => _state);
        _state = session.Now.Ticks > 0 ? SessionState.Paused : SessionState.Created;
        _lastCompletedCheckpoint = outputs is null ? 0 : session.Now.Ticks / outputs.CheckpointEvery.Ticks;
        _thread = new Thread(Loop) { IsBackground = true, Name = "session " + id };
        _thread.Start();
    }

    public string Id { get; }

    /// <summary>Creation order on this server.</summary>
    public long Sequence { get; } = Interlocked.Increment(ref s_sequence);

    public CreateSessionRequest Create { get; }

    public TwinSession Session { get; }

    public SessionState State => _state;

    public TelemetryHub Hub => _hub;

    /// <summary>Wall milliseconds (Environment.TickCount64) of the last call that touched the session.</summary>
    public long LastTouchMs => Interlocked.Read(ref _lastTouchMs);

    /// <summary>Streams open on the session now; a session with a stream open is not idle.</summary>
    public int OpenStreams => Volatile.Read(ref _streams);

    public void Touch() => Interlocked.Exchange(ref _lastTouchMs, Environment.TickCount64);

    public IDisposable OpenStream()
    {
        Interlocked.Increment(ref _streams);
        Touch();
        return new StreamLease(this);
    }

    /// <summary>The session as the wire shows it (any thread).</summary>
    public SessionInfo Info()
    {
        var spec = Session.Spec;
        return new SessionInfo
        {
            SessionId = Id,
            Scenario = spec.Name,
            State = _state,
            SimTimeS = Session.Now.TotalSeconds,
            HorizonS = Session.Horizon.TotalSeconds,
            ControlStepS = Session.ControlStep.TotalSeconds,
            Seed = spec.Run.Seed,
            Fidelity = ProtoMap.Fidelity(Session.Built.Fidelity),
            PacingFactor = Volatile.Read(ref _pacing),
            Error = _error,
            OutputFolder = _outputs?.Folder ?? "",
            WallTimeS = _wall.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Runs <paramref name="action"/> on the session's thread between control steps; its exception comes back here.</summary>
    public Task Enqueue(Action<SessionHost> action)
    {
        Touch();
        if (_closing)
        {
            return Task.FromException(new InvalidOperationException($"session {Id} is closed"));
        }

        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.Enqueue(new Command(action, done));
        Session.Stop();
        _signal.Set();
        return done.Task;
    }

    public async Task<T> Enqueue<T>(Func<SessionHost, T> func)
    {
        T result = default!;
        await Enqueue(h => { result = func(h); }).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs towards <paramref name="target"/>; the task ends when the session stops running (there, paused, or failed).</summary>
    public Task<SessionInfo> RunTo(Func<SessionHost, SimTime> target)
    {
        var stopped = new TaskCompletionSource<SessionInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = Enqueue(h =>
        {
            h.RequireLive();
            var t = target(h);
            if (t < h.Session.Now)
            {
                throw new ArgumentException($"{t.TotalSeconds} s is before the session's time, {h.Session.Now.TotalSeconds} s");
            }

            if (t > h.Session.Horizon)
            {
                throw new ArgumentException($"{t.TotalSeconds} s is past the horizon, {h.Session.Horizon.TotalSeconds} s");
            }

            h._target = t;
            h._waiters.Add(stopped);
            h.StartRunning();
        });
        return queued.ContinueWith(q => q.IsFaulted ? Task.FromException<SessionInfo>(q.Exception!.InnerException!) : stopped.Task,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Starts running to the horizon and returns.</summary>
    public Task Start() => Enqueue(h =>
    {
        h.RequireLive();
        h._target = h.Session.Horizon;
        h.StartRunning();
    });

    /// <summary>Stops at the end of the step under way.</summary>
    public Task Pause() => Enqueue(h =>
    {
        if (h._state == SessionState.Running)
        {
            h._target = h.Session.Now;
            h.SetStopped(SessionState.Paused);
        }
    });

    public Task SetPacing(double factor) => Enqueue(h =>
    {
        Volatile.Write(ref h._pacing, factor);
        h._anchorSim = h.Session.Now;
        h._anchorWallS = h._wall.Elapsed.TotalSeconds;
    });

    /// <summary>Applies a control now or later (on the session's thread); returns when it applies.</summary>
    public Task<SimTime> Apply(ControlRequest request) => Enqueue(h =>
    {
        h.RequireLive();
        var control = ProtoMap.Control(request);
        var at = request.AtNow || request.AtS < 0 ? h.Session.Now : SimTime.FromSeconds(request.AtS);
        if (at > h.Session.Horizon)
        {
            throw new ArgumentException($"at_s: {request.AtS} s is past the horizon, {h.Session.Horizon.TotalSeconds} s");
        }

        h.Session.Apply(control, at);
        h._calls.Add(new RecordedCall { CalledAtUs = h.Session.Now.Ticks, Control = request.Clone() });
        return at;
    });

    /// <summary>Injects an event now or later (on the session's thread); returns when it starts.</summary>
    public Task<SimTime> Inject(EventRequest request) => Enqueue(h =>
    {
        h.RequireLive();
        var start = request.AtNow ? h.Session.Now : SimTime.FromSeconds(request.StartS);
        if (!double.IsFinite(request.StartS) || (!request.AtNow && request.StartS < 0))
        {
            throw new ArgumentException($"start_s: {request.StartS} s is not a time since the start");
        }

        if (start > h.Session.Horizon)
        {
            throw new ArgumentException($"start_s: {start.TotalSeconds} s is past the horizon, {h.Session.Horizon.TotalSeconds} s");
        }

        h.Session.Inject(ProtoMap.Event(request, start));
        h._calls.Add(new RecordedCall { CalledAtUs = h.Session.Now.Ticks, Event = request.Clone() });
        return start;
    });

    /// <summary>The latest snapshot: the published one, or one taken on the session's thread before the first step.</summary>
    public async Task<TwinSnapshot> Snapshot()
    {
        var s = Session.NewSnapshot();
        if (Session.CopySnapshot(s))
        {
            return s;
        }

        return await Enqueue(h => h.Session.Snapshot()).ConfigureAwait(false);
    }

    /// <summary>
    /// The checkpoint at the session's time now: how it was made, its whole state (the session API's
    /// TwinCheckpoint blob, taken on the session's thread between run calls) and every call it took.
    /// </summary>
    public Task<CheckpointData> Checkpoint() => Enqueue(h =>
    {
        var data = new CheckpointData
        {
            Create = h.Create.Clone(),
            SimTimeUs = h.Session.Now.Ticks,
            ScenarioHash = h.Session.Spec.Hash,
            TwinCheckpoint = UnsafeByteOperations.UnsafeWrap(h.Session.SaveCheckpoint()),
        };
        data.Calls.AddRange(h._calls.Select(c => c.Clone()));
        return data;
    });

    /// <summary>A copy by the session API's replay (on the session's thread), with this host's call log.</summary>
    public Task<(TwinSession Fork, List<RecordedCall> Calls)> Fork() => Enqueue(h => (h.Session.Fork(), h._calls.Select(c => c.Clone()).ToList()));

    /// <summary>Stops the thread, finishes the outputs and ends the streams.</summary>
    public void Close()
    {
        if (_closing)
        {
            return;
        }

        var done = Enqueue(h => h._closing = true);
        done.Wait(TimeSpan.FromSeconds(30));
        _thread.Join(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        Close();
        DisposeFrames();
        _signal.Dispose();
    }

    // Paced runs: simulated time allowed = anchor + pacing × wall seconds since the anchor.
    private SimTime _anchorSim;
    private double _anchorWallS;

    private void StartRunning()
    {
        if (Session.Now >= _target)
        {
            if (Session.Now >= Session.Horizon)
            {
                FinishOutputs(null);
            }

            SetStopped(Session.Now >= Session.Horizon ? SessionState.Finished : StoppedState());
            return;
        }

        _anchorSim = Session.Now;
        _anchorWallS = _wall.Elapsed.TotalSeconds;
        _state = SessionState.Running;
    }

    private SessionState StoppedState() => Session.Now.Ticks == 0 && _state == SessionState.Created ? SessionState.Created : SessionState.Paused;

    private void RequireLive()
    {
        if (_state is SessionState.Finished or SessionState.Failed)
        {
            throw new InvalidOperationException($"session {Id} is {(_state == SessionState.Finished ? "finished" : "failed")}: it takes no more run calls or controls");
        }
    }

    private void SetStopped(SessionState state)
    {
        _state = state;
        var info = Info();
        foreach (var w in _waiters)
        {
            w.TrySetResult(info);
        }

        _waiters.Clear();
    }

    private void Loop()
    {
        while (true)
        {
            while (_commands.TryDequeue(out var c))
            {
                try
                {
                    c.Run(this);
                    c.Done.TrySetResult(null);
                }
                catch (Exception ex)
                {
                    c.Done.TrySetException(ex);
                }
            }

            if (_closing)
            {
                break;
            }

            if (_state != SessionState.Running)
            {
                _signal.WaitOne();
                continue;
            }

            try
            {
                RunChunk();
            }
            catch (Exception ex)
            {
                // The simulation threw: the session is failed, its outputs finished, the server serves on.
                _wall.Stop();
                _error = $"the simulation failed at {Session.Now.TotalSeconds} s: {ex.GetType().Name}: {ex.Message}";
                FinishOutputs(_error);
                SetStopped(SessionState.Failed);
            }
        }

        if (_state is not (SessionState.Finished or SessionState.Failed))
        {
            SetStopped(SessionState.Paused);
            FinishOutputs(null);
        }

        _hub.Complete();
        while (_commands.TryDequeue(out var c))
        {
            c.Done.TrySetException(new InvalidOperationException($"session {Id} is closed"));
        }
    }

    private void RunChunk()
    {
        var now = Session.Now;
        var next = _target;
        if (_outputs is { } o)
        {
            var checkpoint = new SimTime((now.Ticks / o.CheckpointEvery.Ticks + 1) * o.CheckpointEvery.Ticks);
            next = checkpoint < next ? checkpoint : next;
        }

        double pacing = Volatile.Read(ref _pacing);
        if (pacing > 0)
        {
            // Run only as far as the wall clock allows, in whole control steps, and sleep until the next is due.
            long step = Session.ControlStep.Ticks;
            double allowedS = _anchorSim.TotalSeconds + pacing * (_wall.Elapsed.TotalSeconds - _anchorWallS);
            var allowed = new SimTime((long)(allowedS * SimTime.TicksPerSecond) / step * step);
            if (allowed <= now)
            {
                double dueWallS = _anchorWallS + ((now.Ticks + step) / (double)SimTime.TicksPerSecond - _anchorSim.TotalSeconds) / pacing;
                int waitMs = (int)Math.Clamp(Math.Ceiling((dueWallS - _wall.Elapsed.TotalSeconds) * 1000), 1, 1000);
                _wall.Stop();
                _signal.WaitOne(waitMs);
                _wall.Start();
                return;
            }

            next = allowed < next ? allowed : next;
        }

        _wall.Start();
        var t = Session.RunUntil(next);
        _wall.Stop();
        if (_outputs is { } outputs && t == next && t < Session.Horizon && t.Ticks % outputs.CheckpointEvery.Ticks == 0
            && t.Ticks / outputs.CheckpointEvery.Ticks > _lastCompletedCheckpoint)
        {
            _lastCompletedCheckpoint = t.Ticks / outputs.CheckpointEvery.Ticks;
            outputs.CompleteAtCheckpoint();
        }

        if (t >= Session.Horizon)
        {
            // The run folder is complete before the reply says finished.
            FinishOutputs(null);
            SetStopped(SessionState.Finished);
        }
        else if (t >= _target)
        {
            SetStopped(SessionState.Paused);
        }
    }

    private void FinishOutputs(string? error)
    {
        if (_outputs is null)
        {
            return;
        }

        try
        {
            _outputs.Finish(error);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _error = (_error.Length > 0 ? _error + "; " : "") + $"finishing the run folder failed: {ex.Message}";
        }
        finally
        {
            _outputs.Dispose();
            _outputs = null;
        }
    }

    private sealed class StreamLease(SessionHost host) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref host._streams);
                host.Touch();
            }
        }
    }
}
