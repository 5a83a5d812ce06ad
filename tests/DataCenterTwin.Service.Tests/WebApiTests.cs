using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DataCenterTwin.Service.V1;

namespace DataCenterTwin.Service.Tests;

/// <summary>The web page's HTTP API: the same calls as gRPC, the same tokens, HTTP 400 for a bad view.</summary>
public sealed class WebApiTests
{
    private const string ViewerToken = "viewer-token-0123456789";
    private const string OperatorToken = "operator-token-0123456789";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    // The error message of an HTTP error reply: {"code": …, "error": …}.
    private static async Task<string> ErrorOf(HttpResponseMessage reply)
    {
        using var body = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetString()!;
    }

    [Fact]
    public async Task Step_ThroughHttp_MovesTheSessionAsGrpcSees()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var http = server.Http();
        var reply = await http.PostAsync($"/api/sessions/{s.SessionId}/step", Json("{\"durationS\": 3600}"));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        using var body = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
        Assert.Equal(3600, body.RootElement.GetProperty("simTimeS").GetDouble());
        Assert.Equal("SESSION_STATE_PAUSED", body.RootElement.GetProperty("state").GetString());
        Assert.Equal(3600, (await server.Sessions.GetSessionAsync(new SessionRef { SessionId = s.SessionId })).SimTimeS);
    }

    [Fact]
    public async Task ChillerMode_ThroughHttp_ShowsInTheSnapshot()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var http = server.Http();
        var reply = await http.PostAsync($"/api/sessions/{s.SessionId}/control",
            Json("{\"kind\": \"CONTROL_KIND_CHILLER_MODE\", \"target\": \"hybrid-1\", \"mode\": \"CHILLER_MODE_GAS\", \"atNow\": true}"));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 900 });
        var snap = await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = s.SessionId });
        Assert.Equal("manual gas", snap.Plant.Chillers.Single(c => c.Name == "hybrid-1").Mode);

        var bad = await http.PostAsync($"/api/sessions/{s.SessionId}/control",
            Json("{\"kind\": \"CONTROL_KIND_CHILLER_MODE\", \"target\": \"chiller-9\", \"mode\": \"CHILLER_MODE_GAS\", \"atNow\": true}"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("no chiller named \"chiller-9\"", await ErrorOf(bad), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("width=0&height=720", "0 × 720 px is not a frame size")]
    [InlineData("width=100000&height=100000", "100000 × 100000 px is not a frame size")]
    [InlineData("camera=sideways", "unknown camera \"sideways\"")]
    [InlineData("colorBy=heat", "unknown colouring \"heat\"")]
    [InlineData("format=gif", "format: \"gif\" is not png or jpeg")]
    [InlineData("width=wide&height=90", "width: \"wide\" is not a whole number")]
    public async Task Frame_BadView_Http400(string query, string message)
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var http = server.Http();
        var reply = await http.GetAsync($"/api/sessions/{s.SessionId}/frame?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Contains(message, await ErrorOf(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frame_Http_ImageWithItsVersion_AndUnknownSession404()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        using var http = server.Http();
        var reply = await http.GetAsync($"/api/sessions/{s.SessionId}/frame?width=160&height=90&format=jpeg");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal("image/jpeg", reply.Content.Headers.ContentType!.MediaType);
        Assert.Equal("1", reply.Headers.GetValues("X-Frame-Version").Single());
        Assert.Equal("3600", reply.Headers.GetValues("X-Sim-Time-S").Single());
        Assert.Equal([0xFF, 0xD8], (await reply.Content.ReadAsByteArrayAsync())[..2]);

        var missing = await http.GetAsync("/api/sessions/s-nobody/frame");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Tokens_SameRolesAsGrpc()
    {
        var options = new ServerOptions { Tokens = TokenFile.Parse($"{ViewerToken} viewer\n{OperatorToken} operator\n", "tokens.txt") };
        await using var server = await TestServerHost.StartAsync(options);
        var s = await server.CreateQuickAsync(headers: new Grpc.Core.Metadata { { "authorization", "Bearer " + OperatorToken } });
        using var http = server.Http();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/sessions/{s.SessionId}")).StatusCode);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ViewerToken);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/sessions/{s.SessionId}")).StatusCode);
        var denied = await http.PostAsync($"/api/sessions/{s.SessionId}/pause", Json(""));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("needs the operator role", await ErrorOf(denied), StringComparison.Ordinal);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/sessions/{s.SessionId}/step", Json("{\"controlSteps\": 1}"))).StatusCode);
    }

    [Fact]
    public async Task Page_ServedByTheProcess_NoReferenceOffTheServer()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var http = server.Http();
        string page = await http.GetStringAsync($"/sessions/{s.SessionId}");
        Assert.Contains("<canvas id=\"view\"", page, StringComparison.Ordinal);
        foreach (string file in new[] { "/", $"/sessions/{s.SessionId}", "/web/app.js", "/web/app.css" })
        {
            var reply = await http.GetAsync(file);
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            string text = await reply.Content.ReadAsStringAsync();
            Assert.DoesNotContain("http://", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("https://", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("//cdn", text, StringComparison.OrdinalIgnoreCase);
        }

        var font = await http.GetAsync("/web/DejaVuSans.ttf");
        Assert.Equal(HttpStatusCode.OK, font.StatusCode);
        Assert.True((await font.Content.ReadAsByteArrayAsync()).Length > 100_000);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/web/missing.js")).StatusCode);
    }
}
