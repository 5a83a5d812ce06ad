using System.Net;
using DataCenterTwin.Service.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace DataCenterTwin.Service.Tests;

public sealed class SecurityTests
{
    private const string ViewerToken = "viewer-token-0123456789";
    private const string OperatorToken = "operator-token-0123456789";

    private static ServerOptions WithTokens() => new()
    {
        Tokens = TokenFile.Parse($"# roles\n{ViewerToken} viewer\n{OperatorToken} operator\n", "tokens.txt"),
    };

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    [Fact]
    public async Task Tokens_NoneOrUnknown_Unauthenticated()
    {
        await using var server = await TestServerHost.StartAsync(WithTokens());
        var none = await Assert.ThrowsAsync<RpcException>(async () => await server.Sessions.ListSessionsAsync(new ListSessionsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        var wrong = await Assert.ThrowsAsync<RpcException>(async () => await server.Sessions.ListSessionsAsync(new ListSessionsRequest(), Bearer("not-a-token-at-all-000")));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        using var stream = server.Streams.StreamEvents(new EventsRequest { SessionId = "s-1" });
        var streamed = await Assert.ThrowsAsync<RpcException>(async () => await stream.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Unauthenticated, streamed.StatusCode);
    }

    [Fact]
    public async Task Viewer_ReadsAndStreams_ControlsPermissionDenied_OperatorDoesAll()
    {
        await using var server = await TestServerHost.StartAsync(WithTokens());
        var viewer = Bearer(ViewerToken);
        var op = Bearer(OperatorToken);
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await server.CreateQuickAsync(headers: viewer));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        var s = await server.CreateQuickAsync(headers: op);
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 600 }, op);
        Assert.Single((await server.Sessions.ListSessionsAsync(new ListSessionsRequest(), viewer)).Sessions);
        Assert.Equal(600, (await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = s.SessionId }, viewer)).SimTimeS);
        using (var stream = server.Streams.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EveryWallMs = 10 }, viewer))
        {
            Assert.True(await stream.ResponseStream.MoveNext());
        }

        foreach (var call in new Func<Task>[]
        {
            async () => await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 60 }, viewer),
            async () => await server.Controls.ApplyControlAsync(new ControlRequest { SessionId = s.SessionId, Kind = ControlKind.ShedFraction, Value = 0.2, AtNow = true }, viewer),
            async () => await server.Controls.InjectEventAsync(new EventRequest { SessionId = s.SessionId, Kind = EventKind.Outage, AtNow = true, DurationS = 60 }, viewer),
            async () => await server.Checkpoints.ForkAsync(new ForkRequest { SessionId = s.SessionId }, viewer),
            async () => await server.Sessions.DeleteSessionAsync(new SessionRef { SessionId = s.SessionId }, viewer),
        })
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        }

        Assert.Equal(600, (await server.Sessions.GetSessionAsync(new SessionRef { SessionId = s.SessionId }, viewer)).SimTimeS);
        await server.Sessions.DeleteSessionAsync(new SessionRef { SessionId = s.SessionId }, op);
    }

    [Fact]
    public async Task HealthServing_AndReflectionListsTheServices_WithoutToken()
    {
        await using var server = await TestServerHost.StartAsync(WithTokens());
        var health = new Health.HealthClient(server.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "datacentertwin.v1.Sessions" })).Status);

        var reflection = new ServerReflection.ServerReflectionClient(server.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.All(TwinServer.ServiceNames, n => Assert.Contains(n, names));
    }

    [Fact]
    public void Exposure_NonLoopbackRefusedWithoutAllowAndTokens()
    {
        var any = IPAddress.Any;
        Assert.Contains("loopback", Assert.Throws<InvalidOperationException>(() => TwinServer.CheckExposure(new ServerOptions { Address = any })).Message, StringComparison.Ordinal);
        Assert.Contains("without tokens", Assert.Throws<InvalidOperationException>(() => TwinServer.CheckExposure(new ServerOptions { Address = any, AllowRemote = true })).Message,
            StringComparison.Ordinal);
        TwinServer.CheckExposure(WithTokens() with { Address = any, AllowRemote = true });
        TwinServer.CheckExposure(new ServerOptions { Address = IPAddress.IPv6Loopback });
    }

    [Theory]
    [InlineData("short viewer", "too short")]
    [InlineData("0123456789abcdefgh admin", "neither viewer nor operator")]
    [InlineData("0123456789abcdefgh", "TOKEN ROLE")]
    public void TokenFile_BadEntries_SayWhich(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => TokenFile.Parse(text, "t")).Message, StringComparison.Ordinal);
}
