using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Service.V1;
using Grpc.Core;
using ControlKind = DataCenterTwin.Service.V1.ControlKind;

namespace DataCenterTwin.Service.Tests;

public sealed class RunControlTests
{
    [Fact]
    public async Task StepAndRunUntil_ReplyWithTimeAndState()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        var a = await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, ControlSteps = 10 });
        Assert.Equal((SessionState.Paused, 600.0), (a.State, a.SimTimeS));
        var b = await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 1800 });
        Assert.Equal((SessionState.Paused, 2400.0), (b.State, b.SimTimeS));
        var c = await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 7200 });
        Assert.Equal((SessionState.Paused, 7200.0), (c.State, c.SimTimeS));
        var d = await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 86_400 });
        Assert.Equal((SessionState.Finished, 86_400.0), (d.State, d.SimTimeS));
        Assert.True(d.WallTimeS > 0);
    }

    [Fact]
    public async Task StartPaced_ThenPause_StopsBetweenControlSteps()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.Sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioName = "quick", PacingFactor = 600 });
        var started = await server.Run.StartAsync(new SessionRef { SessionId = s.SessionId });
        Assert.Equal(SessionState.Running, started.State);
        Assert.Equal(600, started.PacingFactor);
        await Task.Delay(300);
        var paused = await server.Run.PauseAsync(new SessionRef { SessionId = s.SessionId });
        Assert.Equal(SessionState.Paused, paused.State);
        Assert.True(paused.SimTimeS < 86_400, $"600× real time cannot have run a day in a fraction of a second ({paused.SimTimeS} s)");
        Assert.Equal(0, paused.SimTimeS % 60);
        var later = await server.Sessions.GetSessionAsync(new SessionRef { SessionId = s.SessionId });
        Assert.Equal(paused.SimTimeS, later.SimTimeS);

        var fast = await server.Run.SetPacingAsync(new SetPacingRequest { SessionId = s.SessionId, PacingFactor = 0 });
        Assert.Equal(0, fast.PacingFactor);
        var done = await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 86_400 });
        Assert.Equal(SessionState.Finished, done.State);
    }

    [Theory]
    [InlineData(-60.0, 0)]
    [InlineData(0.0, -3)]
    [InlineData(0.0, 0)]
    [InlineData(double.NaN, 0)]
    public async Task Step_BadDuration_InvalidArgumentAndTimeUnchanged(double durationS, int steps)
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 600 });
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = durationS, ControlSteps = steps }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(600, (await server.Sessions.GetSessionAsync(new SessionRef { SessionId = s.SessionId })).SimTimeS);
    }

    [Theory]
    [InlineData(60.0)]
    [InlineData(90_000.0)]
    public async Task RunUntil_PastOrBeyondHorizon_InvalidArgument(double t)
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 600 });
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = t }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(10_001)]
    [InlineData(-1)]
    public async Task Pacing_OutOfRange_InvalidArgument(double k)
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Run.SetPacingAsync(new SetPacingRequest { SessionId = s.SessionId, PacingFactor = k }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task FinishedSession_RefusesControls_FailedPrecondition()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 86_400 });
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Controls.ApplyControlAsync(
            new ControlRequest { SessionId = s.SessionId, Kind = ControlKind.ShedFraction, Value = 0.5, AtNow = true }));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("finished", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulationThrows_SessionFailed_ServerServesOn()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        var host = server.Registry.Get(s.SessionId);
        using var bomb = host.Session.Subscribe(new ThrowAfter(SimTime.FromHours(2)));
        var failed = await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 86_400 });
        Assert.Equal(SessionState.Failed, failed.State);
        Assert.Contains("a broken part", failed.Error, StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 60 }));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);

        var other = await server.CreateQuickAsync();
        var ran = await server.Run.StepAsync(new StepRequest { SessionId = other.SessionId, DurationS = 3600 });
        Assert.Equal((SessionState.Paused, 3600.0), (ran.State, ran.SimTimeS));
    }

    private sealed class ThrowAfter(SimTime at) : IControlStepObserver
    {
        public void OnControlStep(HallTwin twin)
        {
            if (twin.LastStep.StartS >= at.TotalSeconds)
            {
                throw new InvalidOperationException("a broken part");
            }
        }
    }
}
