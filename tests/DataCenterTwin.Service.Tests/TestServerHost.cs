using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DataCenterTwin.Service.Tests;

/// <summary>The server in process (TestHost), with a channel to it and the generated clients.</summary>
internal sealed class TestServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServerHost(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        Channel = channel;
        Sessions = new Sessions.SessionsClient(channel);
        Run = new RunControl.RunControlClient(channel);
        State = new State.StateClient(channel);
        Controls = new Controls.ControlsClient(channel);
        Streams = new Streams.StreamsClient(channel);
        Checkpoints = new Checkpoints.CheckpointsClient(channel);
    }

    public GrpcChannel Channel { get; }

    public Sessions.SessionsClient Sessions { get; }

    public RunControl.RunControlClient Run { get; }

    public State.StateClient State { get; }

    public Controls.ControlsClient Controls { get; }

    public Streams.StreamsClient Streams { get; }

    public Checkpoints.CheckpointsClient Checkpoints { get; }

    public SessionRegistry Registry => _app.Services.GetRequiredService<SessionRegistry>();

    /// <summary>An HTTP client of the web page and its JSON API, in process.</summary>
    public HttpClient Http() => _app.GetTestServer().CreateClient();

    public Frames.FramesClient Frames => new(Channel);

    public static async Task<TestServerHost> StartAsync(ServerOptions? options = null)
    {
        var app = TwinServer.Build(options ?? new ServerOptions(), b => b.WebHost.UseTestServer());
        await app.StartAsync();
        var handler = app.GetTestServer().CreateHandler();
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxSendMessageSize = null,
            MaxReceiveMessageSize = null,
        });
        return new TestServerHost(app, channel);
    }

    public async Task<SessionInfo> CreateQuickAsync(string outputFolder = "", Metadata? headers = null) =>
        await Sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioName = "quick", OutputFolder = outputFolder }, headers);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DataCenterTwin.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no DataCenterTwin.sln above " + AppContext.BaseDirectory);
    }
}
