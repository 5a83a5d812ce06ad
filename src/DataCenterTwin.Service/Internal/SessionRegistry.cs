using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using DataCenterTwin.Kernel;
using DataCenterTwin.Runs;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using Fidelity = DataCenterTwin.Scenarios.Sections.Fidelity;
using DataCenterTwin.Service.V1;
using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// Every session on the server: creation from a scenario (text or a reference name), lookup, removal,
/// and the idle reaper that closes sessions nobody has touched for the configured time.
/// </summary>
internal sealed partial class SessionRegistry : BackgroundService
{
    private readonly ConcurrentDictionary<string, SessionHost> _sessions = new(StringComparer.Ordinal);
    private readonly ServerOptions _options;
    private long _created;

    /// <summary>How the server was started.</summary>
    public ServerOptions Options => _options;

    public SessionRegistry(ServerOptions options)
    {
        _options = options;
        AssetsDirectory = options.AssetsDirectory ?? AssetPaths.FindAssetsDirectory() ?? AssetPaths.FindAssetsDirectory(Directory.GetCurrentDirectory());
        ScenariosDirectory = options.ScenariosDirectory ?? (AssetsDirectory is null ? null : Path.Combine(Path.GetDirectoryName(AssetsDirectory)!, "scenarios"));
    }

    public string? AssetsDirectory { get; }

    public string? ScenariosDirectory { get; }

    /// <summary>Whether sessions can be created (the assets are there).</summary>
    public bool Ready => AssetsDirectory is not null;

    public int Count => _sessions.Count;

    public IEnumerable<SessionHost> All => _sessions.Values.OrderBy(s => s.Sequence);

    public SessionHost Get(string id)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "session_id: empty; give the id CreateSession returned"));
        }

        if (!_sessions.TryGetValue(id, out var host))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no session \"{id}\" (it was deleted, closed after being idle, or never created)"));
        }

        host.Touch();
        return host;
    }

    /// <summary>Builds a session from a create request, and with <paramref name="calls"/> replays them to <paramref name="until"/>.</summary>
    public SessionHost Create(CreateSessionRequest request, IReadOnlyList<RecordedCall>? calls = null, SimTime? until = null, string? expectHash = null)
    {
        if (_sessions.Count >= _options.MaxSessions)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the server holds {_options.MaxSessions} sessions, its limit; delete one first"));
        }

        var session = Build(request);
        if (expectHash is not null && expectHash.Length > 0 && expectHash != session.Spec.Hash)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"the checkpoint was made from another scenario (hash {expectHash[..Math.Min(12, expectHash.Length)]}…, this server builds {session.Spec.Hash[..12]}…)"));
        }

        SessionOutputs? outputs = null;
        if (request.OutputFolder.Length > 0)
        {
            string folder = Path.GetFullPath(request.OutputFolder);
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"output_folder: {folder} is not empty; give a new or empty folder"));
            }

            try
            {
                outputs = new SessionOutputs(session, folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"output_folder: {folder}: {ex.Message}"));
            }
        }

        if (calls is not null)
        {
            Replay(session, calls, until ?? session.Now, outputs);
        }

        string id = NewId();
        var host = new SessionHost(id, request, session, outputs, calls);
        _sessions[id] = host;
        Interlocked.Increment(ref _created);
        return host;
    }

    /// <summary>
    /// A session of <paramref name="request"/>'s scenario with <paramref name="twinCheckpoint"/> (a
    /// TwinCheckpoint blob) restored into it: no replay, it continues bit-identically. It writes no run folder.
    /// </summary>
    public SessionHost Restore(CreateSessionRequest request, ReadOnlySpan<byte> twinCheckpoint, IEnumerable<RecordedCall> calls)
    {
        if (_sessions.Count >= _options.MaxSessions)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the server holds {_options.MaxSessions} sessions, its limit; delete one first"));
        }

        var session = Build(request);
        try
        {
            session.RestoreCheckpoint(twinCheckpoint);
        }
        catch (CheckpointException ex)
        {
            // Another scenario, seed, fidelity or format version, or damaged state: nothing was registered.
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"twin_checkpoint: {ex.Message}"));
        }

        var host = Add(request, session, calls);
        Interlocked.Increment(ref _created);
        return host;
    }

    /// <summary>Adds a session built elsewhere (a fork by the session API).</summary>
    public SessionHost Add(CreateSessionRequest request, TwinSession session, IEnumerable<RecordedCall> calls)
    {
        string id = NewId();
        var host = new SessionHost(id, request, session, null, calls);
        _sessions[id] = host;
        return host;
    }

    public SessionHost Remove(string id)
    {
        if (!_sessions.TryRemove(id, out var host))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no session \"{id}\""));
        }

        host.Dispose();
        return host;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_options.IdleTimeout.TotalMilliseconds / 4, 50, 10_000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                ReapIdle();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in _sessions.Keys.ToList())
        {
            if (_sessions.TryRemove(id, out var host))
            {
                host.Dispose();
            }
        }
    }

    /// <summary>
    /// Closes every session nobody has called or streamed from for the idle time (or <paramref name="idle"/>),
    /// running ones included: a run nobody watches or steers would otherwise hold its thread and memory for good.
    /// </summary>
    internal void ReapIdle(TimeSpan? idle = null)
    {
        long now = Environment.TickCount64;
        double idleMs = (idle ?? _options.IdleTimeout).TotalMilliseconds;
        foreach (var host in _sessions.Values)
        {
            if (host.OpenStreams == 0 && now - host.LastTouchMs > idleMs
                && _sessions.TryRemove(host.Id, out _))
            {
                host.Dispose();
            }
        }
    }

    private TwinSession Build(CreateSessionRequest r)
    {
        if (AssetsDirectory is null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "the server found no assets/ folder (hardware/catalog.json): it cannot build scenarios"));
        }

        bool hasText = r.ScenarioYaml.Length > 0, hasName = r.ScenarioName.Length > 0;
        if (hasText == hasName)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "give exactly one of scenario_yaml and scenario_name"));
        }

        if (r.PacingFactor != 0 && !(r.PacingFactor >= 0.1 && r.PacingFactor <= 10_000))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"pacing_factor: {r.PacingFactor} is outside 0.1 to 10000 (0: as fast as possible)"));
        }

        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Seed != 0)
        {
            overrides["run.seed"] = r.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        (ScenarioSpec? spec, IReadOnlyList<Scenarios.Yaml.ScenarioError> errors) loaded;
        string file;
        if (hasName)
        {
            if (!ScenarioName().IsMatch(r.ScenarioName))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"scenario_name: \"{r.ScenarioName}\" is not a reference scenario's name (letters, digits and dashes)"));
            }

            file = Path.Combine(ScenariosDirectory ?? "scenarios", r.ScenarioName + ".yaml");
            if (!File.Exists(file))
            {
                var known = ScenariosDirectory is not null && Directory.Exists(ScenariosDirectory)
                    ? string.Join(", ", Directory.EnumerateFiles(ScenariosDirectory, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
                    : "none";
                throw new RpcException(new Status(StatusCode.NotFound, $"scenario_name: no reference scenario \"{r.ScenarioName}\"; known: {known}"));
            }

            loaded = ScenarioLoader.Load(file, AssetsDirectory, overrides);
        }
        else
        {
            // Scenario text is read as a file in the scenarios folder, so its relative asset paths resolve as a reference scenario's do.
            file = Path.Combine(ScenariosDirectory ?? ".", "session.yaml");
            loaded = ScenarioLoader.LoadText(r.ScenarioYaml, file, AssetsDirectory);
            if (loaded.spec is not null && r.Seed != 0)
            {
                loaded.spec = loaded.spec with { Run = loaded.spec.Run with { Seed = r.Seed } };
            }
        }

        if (loaded.spec is null)
        {
            var shown = loaded.errors.Take(20).Select(e => e.ToString());
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"the scenario is invalid: {loaded.errors.Count} error(s): " + string.Join("; ", shown) + (loaded.errors.Count > 20 ? "; …" : "")));
        }

        Fidelity? fidelity = r.Fidelity switch
        {
            V1.Fidelity.Fluid => Fidelity.Fluid,
            V1.Fidelity.Request => Fidelity.Request,
            V1.Fidelity.Unspecified => null,
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"fidelity: {r.Fidelity} is not a fidelity")),
        };
        try
        {
            return new TwinSession(loaded.spec, fidelity);
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the scenario is valid but cannot be built: {ex.Message}"));
        }
    }

    // A checkpoint's calls, each at the simulated time it was made, as TwinSession.Fork replays its own.
    private static void Replay(TwinSession session, IReadOnlyList<RecordedCall> calls, SimTime until, SessionOutputs? outputs)
    {
        if (until > session.Horizon)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the checkpoint is at {until.TotalSeconds} s, past the horizon {session.Horizon.TotalSeconds} s"));
        }

        foreach (var call in calls)
        {
            var at = new SimTime(call.CalledAtUs);
            if (at < session.Now || at > until)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"the checkpoint's calls are out of order at {at.TotalSeconds} s"));
            }

            RunTo(session, at, outputs);
            try
            {
                if (call.Control is { } c)
                {
                    var control = ProtoMap.Control(c);
                    session.Apply(control, c.AtNow || c.AtS < 0 ? session.Now : SimTime.FromSeconds(c.AtS));
                }
                else if (call.Event is { } e)
                {
                    session.Inject(ProtoMap.Event(e, e.AtNow ? session.Now : SimTime.FromSeconds(e.StartS)));
                }
            }
            catch (ArgumentException ex)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"the checkpoint's call at {at.TotalSeconds} s does not apply: {ex.Message}"));
            }
        }

        RunTo(session, until, outputs);
    }

    // Runs to a time, completing the trace files at each checkpoint time on the way as dctwin run does.
    private static void RunTo(TwinSession session, SimTime until, SessionOutputs? outputs)
    {
        while (session.Now < until)
        {
            var next = until;
            if (outputs is not null)
            {
                long every = outputs.CheckpointEvery.Ticks;
                var checkpoint = new SimTime((session.Now.Ticks / every + 1) * every);
                next = checkpoint < until ? checkpoint : until;
            }

            var t = session.RunUntil(next);
            if (outputs is not null && t < session.Horizon && t.Ticks % outputs.CheckpointEvery.Ticks == 0)
            {
                outputs.CompleteAtCheckpoint();
            }
        }
    }

    private static string NewId() => "s-" + Guid.NewGuid().ToString("N")[..12];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex ScenarioName();
}
