using DataCenterTwin.Service.V1;
using Grpc.Core;

namespace DataCenterTwin.Service.Tests;

/// <summary>The hall view over gRPC: formats, drawing only on change, streams that never hold the simulation back, bad views.</summary>
public sealed class FramesTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task GetFrame_PngAndJpeg_ShowTheLatestStep()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });

        var png = await server.Frames.GetFrameAsync(new FrameRequest { SessionId = s.SessionId, Width = 320, Height = 180 });
        Assert.Equal("image/png", png.ContentType);
        Assert.Equal(PngSignature, png.Data.Span[..8].ToArray());
        Assert.Equal((320, 180), (png.Width, png.Height));
        Assert.Equal(3600, png.SimTimeS);
        // The IHDR chunk holds the size the client asked for.
        Assert.Equal(320, (png.Data[16] << 24) | (png.Data[17] << 16) | (png.Data[18] << 8) | png.Data[19]);

        var jpeg = await server.Frames.GetFrameAsync(new FrameRequest { SessionId = s.SessionId, Width = 320, Height = 180, Format = FrameFormat.Jpeg, JpegQuality = 70 });
        Assert.Equal("image/jpeg", jpeg.ContentType);
        Assert.Equal([0xFF, 0xD8, 0xFF], jpeg.Data.Span[..3].ToArray());
        Assert.True(jpeg.Data.Length < png.Data.Length, $"JPEG {jpeg.Data.Length} B is not smaller than PNG {png.Data.Length} B");
    }

    [Fact]
    public async Task GetFrame_DrawnOnlyWhenTheStepOrTheViewChanges()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        var host = server.Registry.Get(s.SessionId);
        var ask = new FrameRequest { SessionId = s.SessionId, Width = 160, Height = 90 };

        var a = await server.Frames.GetFrameAsync(ask);
        var b = await server.Frames.GetFrameAsync(ask);
        Assert.Equal(a.Version, b.Version);
        Assert.Equal(a.Data, b.Data);
        Assert.Equal(1, host.FramesDrawn);

        var other = await server.Frames.GetFrameAsync(new FrameRequest(ask) { Camera = "chiller-yard" });
        Assert.NotEqual(a.Version, other.Version);
        Assert.NotEqual(a.Data, other.Data);
        Assert.Equal(2, host.FramesDrawn);

        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        var later = await server.Frames.GetFrameAsync(ask);
        Assert.Equal(7200, later.SimTimeS);
        Assert.Equal(3, host.FramesDrawn);
    }

    [Fact]
    public async Task StreamFrames_NewFrameOnNewStepAndOnNewCamera_NoneWhilePaused()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        var host = server.Registry.Get(s.SessionId);
        using var call = server.Frames.StreamFrames();
        await call.RequestStream.WriteAsync(new FrameRequest { SessionId = s.SessionId, Width = 160, Height = 90, MaxFps = 50 });

        Assert.True(await call.ResponseStream.MoveNext());
        var first = call.ResponseStream.Current;
        Assert.Equal(3600, first.SimTimeS);

        // Paused: the stream polls fifty times a second but draws nothing new.
        await Task.Delay(300);
        Assert.Equal(1, host.FramesDrawn);

        // While the step runs the renderer may draw the control steps in between; the stream then
        // ends on the state the step left, and draws nothing more.
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        Frame latest;
        do
        {
            Assert.True(await call.ResponseStream.MoveNext());
            latest = call.ResponseStream.Current;
        }
        while (latest.SimTimeS < 7200);
        Assert.Equal(7200, latest.SimTimeS);
        var drawn = host.FramesDrawn;
        Assert.True(drawn >= 2, $"{drawn} frames drawn");

        // A new camera on the same state: exactly one more frame.
        await call.RequestStream.WriteAsync(new FrameRequest { Width = 160, Height = 90, Camera = "aisle", MaxFps = 50 });
        Assert.True(await call.ResponseStream.MoveNext());
        var aisle = call.ResponseStream.Current;
        Assert.Equal(7200, aisle.SimTimeS);
        Assert.Equal(drawn + 1, host.FramesDrawn);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task StreamFrames_ClientThatNeverReads_SimulationRunsToTheHorizon()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var call = server.Frames.StreamFrames();
        await call.RequestStream.WriteAsync(new FrameRequest { SessionId = s.SessionId, Width = 64, Height = 36, MaxFps = 60 });

        // Nobody reads the frames; the session runs its whole day all the same.
        var done = await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = s.HorizonS });
        Assert.Equal(SessionState.Finished, done.State);
        Assert.Equal(s.HorizonS, done.SimTimeS);

        // And the frame it then gets is the latest state, not a backlog.
        Frame last;
        do
        {
            Assert.True(await call.ResponseStream.MoveNext());
            last = call.ResponseStream.Current;
        }
        while (last.SimTimeS < s.HorizonS);
        long steps = (long)(s.HorizonS / s.ControlStepS);
        Assert.True(server.Registry.Get(s.SessionId).FramesDrawn < steps, $"{server.Registry.Get(s.SessionId).FramesDrawn} frames drawn for {steps} steps");
    }

    [Theory]
    [InlineData(0, 720, "", "", 0, 0.0, "width × height: 0 × 720 px is not a frame size; each side must be 16 to 8192 px")]
    [InlineData(100_000, 100_000, "", "", 0, 0.0, "width × height: 100000 × 100000 px is not a frame size")]
    [InlineData(-5, 90, "", "", 0, 0.0, "not a frame size")]
    [InlineData(160, 90, "sideways", "", 0, 0.0, "camera: unknown camera \"sideways\"; known: overview, orbit, aisle, chiller-yard")]
    [InlineData(160, 90, "1,2,3:1,2,3", "", 0, 0.0, "unknown camera")]
    [InlineData(160, 90, "", "heat", 0, 0.0, "color_by: unknown colouring \"heat\"; known: inlet, power, utilisation, clock")]
    [InlineData(160, 90, "", "", 101, 0.0, "jpeg_quality: 101 is outside 1 to 100")]
    [InlineData(160, 90, "", "", 0, 1000.0, "max_fps: 1000 is outside 0 to 60")]
    public async Task BadView_InvalidArgumentNamingTheField(int width, int height, string camera, string colorBy, int quality, double fps, string message)
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        var r = new FrameRequest { SessionId = s.SessionId, Width = width, Height = height, Camera = camera, ColorBy = colorBy, JpegQuality = quality, MaxFps = fps, Format = FrameFormat.Jpeg };
        if (fps == 0)
        {
            var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Frames.GetFrameAsync(r));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains(message, e.Status.Detail, StringComparison.Ordinal);
        }

        // The server may end the call before the write completes, and then the write throws the
        // call's status, so the write belongs inside the assertion too.
        using var call = server.Frames.StreamFrames();
        var streamed = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(r);
            await call.ResponseStream.MoveNext();
        });
        Assert.Equal(StatusCode.InvalidArgument, streamed.StatusCode);
        Assert.Contains(message, streamed.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamFrames_BadChangeMidStream_EndsWithInvalidArgument()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var call = server.Frames.StreamFrames();
        await call.RequestStream.WriteAsync(new FrameRequest { SessionId = s.SessionId, Width = 64, Height = 36 });
        Assert.True(await call.ResponseStream.MoveNext());
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new FrameRequest { Width = 64, Height = 36, ColorBy = "rainbow" });
            while (await call.ResponseStream.MoveNext())
            {
            }
        });
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("rainbow", e.Status.Detail, StringComparison.Ordinal);
    }
}
