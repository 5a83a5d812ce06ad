using DataCenterTwin.Service;
using DataCenterTwin.Service.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DataCenterTwin.Cli.Bench.Fuzz;

/// <summary>
/// The real gRPC server on a loopback port in this process, sent raw protobuf bytes (mutated from
/// valid request messages) as the request of each unary method: the bytes reach the service's own
/// deserialiser and handlers exactly as a client's would. A reply, or a status that says what was
/// wrong, passes; Unknown or Internal (a handler threw), a deadline passed (a hang) or a dead server
/// is a crash. Every session a fuzzed call creates is deleted again.
/// </summary>
internal sealed class GrpcFuzz : IAsyncDisposable
{
    /// <summary>A call that has not answered by then counts as hung.</summary>
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(60);

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly Sessions.SessionsClient _sessions;
    private readonly string _quickYaml;
    private string _sessionId = "";

    private GrpcFuzz(WebApplication app, GrpcChannel channel, string quickYaml)
    {
        _app = app;
        _channel = channel;
        _sessions = new Sessions.SessionsClient(channel);
        _quickYaml = quickYaml;
    }

    /// <summary>The unary methods and a valid request for each, as (service, method, message).</summary>
    public IReadOnlyList<(string Service, string Method, byte[] Seed)> Seeds { get; private set; } = [];

    /// <summary>Starts the server and the session the seeds name.</summary>
    public static async Task<GrpcFuzz> StartAsync(string quickYaml)
    {
        var app = TwinServer.Build(new ServerOptions { Port = 0, MaxSessions = 64 });
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var fuzz = new GrpcFuzz(app, GrpcChannel.ForAddress(address), quickYaml);
        await fuzz.RenewSessionAsync().ConfigureAwait(false);
        return fuzz;
    }

    /// <summary>Replaces the session the seeds name with a fresh one (a fuzzed call may have run it to its end).</summary>
    public async Task RenewSessionAsync()
    {
        if (_sessionId.Length > 0)
        {
            try
            {
                await _sessions.DeleteSessionAsync(new SessionRef { SessionId = _sessionId });
            }
            catch (RpcException)
            {
                // Already gone.
            }
        }

        var session = await _sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioName = "quick" });
        string id = _sessionId = session.SessionId;
        Seeds =
        [
            ("Sessions", "CreateSession", new CreateSessionRequest { ScenarioName = "quick", Seed = 7, Fidelity = Service.V1.Fidelity.Fluid }.ToByteArray()),
            ("Sessions", "CreateSession", new CreateSessionRequest { ScenarioYaml = _quickYaml, PacingFactor = 0 }.ToByteArray()),
            ("Sessions", "GetSession", new SessionRef { SessionId = id }.ToByteArray()),
            ("Sessions", "ListSessions", new ListSessionsRequest().ToByteArray()),
            ("RunControl", "Step", new StepRequest { SessionId = id, ControlSteps = 3 }.ToByteArray()),
            ("RunControl", "Step", new StepRequest { SessionId = id, DurationS = 600 }.ToByteArray()),
            ("RunControl", "RunUntil", new RunUntilRequest { SessionId = id, SimTimeS = 7200 }.ToByteArray()),
            ("RunControl", "SetPacing", new SetPacingRequest { SessionId = id, PacingFactor = 0 }.ToByteArray()),
            ("RunControl", "Pause", new SessionRef { SessionId = id }.ToByteArray()),
            ("State", "GetSnapshot", new SnapshotRequest { SessionId = id, FieldMask = new() { Paths = { "facility", "racks" } } }.ToByteArray()),
            ("State", "GetTopology", new SessionRef { SessionId = id }.ToByteArray()),
            ("Controls", "ApplyControl", new ControlRequest { SessionId = id, Kind = ControlKind.FacilityWaterSetpoint, Value = 15, AtNow = true }.ToByteArray()),
            ("Controls", "ApplyControl", new ControlRequest { SessionId = id, Kind = ControlKind.ChillerMode, Target = "hybrid-1", Mode = ChillerMode.Gas, AtNow = true }.ToByteArray()),
            ("Controls", "ApplyControl", new ControlRequest { SessionId = id, Kind = ControlKind.ItCap, Value = 100_000, AtS = 3600 }.ToByteArray()),
            ("Controls", "InjectEvent", new EventRequest { SessionId = id, Kind = EventKind.Outage, AtNow = true, DurationS = 600 }.ToByteArray()),
            ("Controls", "InjectEvent", new EventRequest { SessionId = id, Kind = EventKind.DemandResponse, StartS = 3600, DurationS = 1800, MagnitudeW = 20_000 }.ToByteArray()),
            ("Checkpoints", "Fork", new ForkRequest { SessionId = id }.ToByteArray()),
        ];
    }

    /// <summary>Sends <paramref name="request"/> to the method and judges the answer.</summary>
    public async Task<FuzzOutcome> CallAsync(string service, string method, byte[] request)
    {
        var m = new Method<byte[], byte[]>(MethodType.Unary, "datacentertwin.v1." + service, method, Raw, Raw);
        byte[] reply;
        try
        {
            reply = await _channel.CreateCallInvoker().AsyncUnaryCall(m, null, new CallOptions(deadline: DateTime.UtcNow + CallLimit), request).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unknown or StatusCode.Internal)
        {
            return FuzzOutcome.Crashed($"{service}.{method}: {ex.StatusCode}: {ex.Status.Detail}");
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.DeadlineExceeded)
        {
            return FuzzOutcome.Crashed($"{service}.{method}: hang: no answer within {CallLimit.TotalSeconds:F0} s");
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable)
        {
            return FuzzOutcome.Crashed($"{service}.{method}: the server is gone: {ex.Status.Detail}");
        }
        catch (RpcException ex)
        {
            return string.IsNullOrWhiteSpace(ex.Status.Detail)
                ? FuzzOutcome.Crashed($"{service}.{method}: {ex.StatusCode} without a message")
                : FuzzOutcome.Refused($"{service}.{method}: {ex.StatusCode}: {ex.Status.Detail}");
        }

        // Sessions the fuzzed call made go again, so the server's session limit is not what refuses the next.
        if (method is "CreateSession" or "Fork")
        {
            string id = SessionInfo.Parser.ParseFrom(reply).SessionId;
            if (id != _sessionId)
            {
                await _sessions.DeleteSessionAsync(new SessionRef { SessionId = id });
            }
        }

        return FuzzOutcome.Accepted();
    }

    /// <summary>Whether the session the seeds name still exists (a fuzzed call may have deleted or finished it).</summary>
    public async Task<bool> SessionAliveAsync()
    {
        try
        {
            var info = await _sessions.GetSessionAsync(new SessionRef { SessionId = _sessionId });
            return info.State is not SessionState.Finished and not SessionState.Failed;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
