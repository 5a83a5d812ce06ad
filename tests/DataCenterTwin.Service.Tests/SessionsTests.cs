using DataCenterTwin.Service.V1;
using Grpc.Core;

namespace DataCenterTwin.Service.Tests;

public sealed class SessionsTests
{
    [Fact]
    public async Task CreateGetListDelete_RoundTrip()
    {
        await using var server = await TestServerHost.StartAsync();
        var created = await server.CreateQuickAsync();
        Assert.Equal(SessionState.Created, created.State);
        Assert.Equal("quick", created.Scenario);
        Assert.Equal(0, created.SimTimeS);
        Assert.Equal(86_400, created.HorizonS);
        Assert.Equal(60, created.ControlStepS);
        Assert.Equal(42UL, created.Seed);
        Assert.Equal(Fidelity.Fluid, created.Fidelity);

        var got = await server.Sessions.GetSessionAsync(new SessionRef { SessionId = created.SessionId });
        Assert.Equal(created.SessionId, got.SessionId);
        var list = await server.Sessions.ListSessionsAsync(new ListSessionsRequest());
        Assert.Contains(list.Sessions, s => s.SessionId == created.SessionId);

        await server.Sessions.DeleteSessionAsync(new SessionRef { SessionId = created.SessionId });
        var gone = await Assert.ThrowsAsync<RpcException>(async () => await server.Sessions.GetSessionAsync(new SessionRef { SessionId = created.SessionId }));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Create_FromYamlText_WithSeedAndFidelity()
    {
        await using var server = await TestServerHost.StartAsync();
        string yaml = File.ReadAllText(Repo.Path("scenarios/quick.yaml"));
        var s = await server.Sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioYaml = yaml, Seed = 7, Fidelity = Fidelity.Request });
        Assert.Equal(7UL, s.Seed);
        Assert.Equal(Fidelity.Request, s.Fidelity);
        var stepped = await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, ControlSteps = 2 });
        Assert.Equal(120, stepped.SimTimeS);
    }

    [Fact]
    public async Task Create_InvalidScenario_InvalidArgumentWithPathAndLine()
    {
        await using var server = await TestServerHost.StartAsync();
        string yaml = File.ReadAllText(Repo.Path("scenarios/quick.yaml")).Replace("horizon: 1 d", "horizon: one day", StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioYaml = yaml }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("run.horizon", e.Status.Detail, StringComparison.Ordinal);
        Assert.Matches(@"session\.yaml:\d+:\d+", e.Status.Detail);
        Assert.Empty((await server.Sessions.ListSessionsAsync(new ListSessionsRequest())).Sessions);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("x", "quick")]
    public async Task Create_NotExactlyOneScenario_InvalidArgument(string yaml, string name)
    {
        await using var server = await TestServerHost.StartAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioYaml = yaml, ScenarioName = name }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Theory]
    [InlineData("no-such-scenario", StatusCode.NotFound)]
    [InlineData("../assets/hardware/catalog", StatusCode.InvalidArgument)]
    public async Task Create_BadScenarioName_Refused(string name, StatusCode code)
    {
        await using var server = await TestServerHost.StartAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioName = name }));
        Assert.Equal(code, e.StatusCode);
    }

    [Fact]
    public async Task Create_HundredMegabyteScenario_RefusedAndServerServesOn()
    {
        await using var server = await TestServerHost.StartAsync();
        string huge = "# " + new string('x', 100 * 1024 * 1024) + "\n";
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioYaml = huge }));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        var s = await server.CreateQuickAsync();
        Assert.Equal(SessionState.Created, s.State);
    }

    [Fact]
    public async Task UnknownSession_NotFoundOnEveryKindOfCall()
    {
        await using var server = await TestServerHost.StartAsync();
        const string id = "s-000000000000";
        var calls = new Func<Task>[]
        {
            async () => await server.Sessions.GetSessionAsync(new SessionRef { SessionId = id }),
            async () => await server.Sessions.DeleteSessionAsync(new SessionRef { SessionId = id }),
            async () => await server.Run.StartAsync(new SessionRef { SessionId = id }),
            async () => await server.Run.PauseAsync(new SessionRef { SessionId = id }),
            async () => await server.Run.StepAsync(new StepRequest { SessionId = id, DurationS = 60 }),
            async () => await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = id, SimTimeS = 60 }),
            async () => await server.Run.SetPacingAsync(new SetPacingRequest { SessionId = id, PacingFactor = 1 }),
            async () => await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = id }),
            async () => await server.State.GetTopologyAsync(new SessionRef { SessionId = id }),
            async () => await server.Controls.ApplyControlAsync(new ControlRequest { SessionId = id, Kind = ControlKind.ShedFraction, Value = 0.1, AtNow = true }),
            async () => await server.Controls.InjectEventAsync(new EventRequest { SessionId = id, Kind = EventKind.Outage, AtNow = true, DurationS = 60 }),
            async () => await server.Checkpoints.ForkAsync(new ForkRequest { SessionId = id }),
            async () =>
            {
                using var call = server.Streams.StreamTelemetry(new TelemetryRequest { SessionId = id, EverySimS = 60 });
                await call.ResponseStream.MoveNext();
            },
            async () =>
            {
                using var call = server.Checkpoints.Checkpoint(new CheckpointRequest { SessionId = id });
                await call.ResponseStream.MoveNext();
            },
        };
        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
            Assert.Contains(id, e.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task IdleSession_ClosedWithOutputsFinished()
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("dctwin-idle").FullName, "run");
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync(folder);
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        await Task.Delay(50);
        server.Registry.ReapIdle(TimeSpan.FromMilliseconds(10));
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Sessions.GetSessionAsync(new SessionRef { SessionId = s.SessionId }));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        string summary = File.ReadAllText(Path.Combine(folder, "summary.json"));
        Assert.Contains("\"partial\": true", summary, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(Path.Combine(folder, "facility"), "*.parquet", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task IdleRunningSession_ClosedWithOutputsFinished()
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("dctwin-idle-run").FullName, "run");
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync(folder);
        await server.Run.SetPacingAsync(new SetPacingRequest { SessionId = s.SessionId, PacingFactor = 600 });
        await server.Run.StartAsync(new SessionRef { SessionId = s.SessionId });
        var info = await server.Sessions.GetSessionAsync(new SessionRef { SessionId = s.SessionId });
        Assert.Equal(SessionState.Running, info.State);
        await Task.Delay(50);
        server.Registry.ReapIdle(TimeSpan.FromMilliseconds(10));
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Sessions.GetSessionAsync(new SessionRef { SessionId = s.SessionId }));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        string summary = File.ReadAllText(Path.Combine(folder, "summary.json"));
        Assert.Contains("\"partial\": true", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputFolder_NotEmpty_FailedPrecondition()
    {
        string folder = Directory.CreateTempSubdirectory("dctwin-full").FullName;
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "mine");
        await using var server = await TestServerHost.StartAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.CreateQuickAsync(folder));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "keep.txt")));
    }
}
