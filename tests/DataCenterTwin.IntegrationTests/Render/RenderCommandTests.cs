using DataCenterTwin.Cli;
using DataCenterTwin.Cli.Commands;

namespace DataCenterTwin.IntegrationTests.Render;

/// <summary><c>dctwin render</c>: bad input is one clear line and exit code 2; a good frame is a PNG of the size asked.</summary>
public class RenderCommandTests
{
    private static RenderCommand.Options Options(string? at = "2026-07-15T15:00", string camera = "overview", string colorBy = "inlet", string size = "320x180",
        string? every = null, string? outPath = null) =>
        new(Repository.Path("scenarios/quick.yaml"), at, every, null, outPath ?? Path.Combine(Path.GetTempPath(), $"dctwin-render-{Guid.NewGuid():N}.png"),
            camera, 30, colorBy, size, null);

    [Theory]
    [InlineData("camera", "drone", "unknown --camera \"drone\"; known: overview, orbit, aisle, chiller-yard")]
    [InlineData("color-by", "humidity", "unknown --color-by \"humidity\"; known: inlet, power, utilisation, clock")]
    [InlineData("size", "0x720", "--size \"0x720\" is not a frame size: expected WIDTHxHEIGHT with each side 16 to 8192 px")]
    [InlineData("size", "100000x720", "--size \"100000x720\" is not a frame size")]
    [InlineData("size", "big", "--size \"big\" is not a frame size")]
    [InlineData("at", "2025-07-15T15:00", "--at 2025-07-15T15:00 is outside the run: frames can be drawn from 2026-07-15T00:15 to 2026-07-16T00:00 (site time)")]
    [InlineData("at", "2026-07-17T15:00", "is outside the run")]
    [InlineData("at", "tomorrow", "--at \"tomorrow\" is not a time such as 2026-07-15T15:00")]
    [InlineData("every", "-1 h", "--every \"-1 h\" is not a positive duration")]
    public void BadInput_IsOneClearLine_ExitCode2(string option, string value, string message)
    {
        var o = option switch
        {
            "camera" => Options(camera: value),
            "color-by" => Options(colorBy: value),
            "size" => Options(size: value),
            "every" => Options(every: value),
            _ => Options(at: value),
        };
        var error = new StringWriter();
        int code = RenderCommand.Run(o, TextWriter.Null, error);
        Assert.Equal(Program.ExitInvalidInput, code);
        string text = error.ToString().TrimEnd();
        Assert.DoesNotContain('\n', text);
        Assert.StartsWith("error: ", text, StringComparison.Ordinal);
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.False(File.Exists(o.Out));
    }

    [Fact]
    public void OneFrame_IsAPngOfTheSizeAsked()
    {
        var o = Options(size: "320x180", camera: "chiller-yard", colorBy: "power");
        var error = new StringWriter();
        int code = RenderCommand.Run(o, TextWriter.Null, error);
        Assert.True(code == Program.ExitOk, error.ToString());
        byte[] png = File.ReadAllBytes(o.Out);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

        // IHDR: width and height, big-endian, at bytes 16 and 20.
        Assert.Equal(320, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
        Assert.Equal(180, (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);
    }

    [Fact]
    public void Sequence_WritesAFrameEveryStep()
    {
        string folder = Directory.CreateTempSubdirectory("dctwin-frames").FullName;
        var o = Options(at: "2026-07-15T12:00", every: "2 h", size: "64x48", outPath: folder) with { Until = "2026-07-15T18:00" };
        var error = new StringWriter();
        int code = RenderCommand.Run(o, TextWriter.Null, error);
        Assert.True(code == Program.ExitOk, error.ToString());
        Assert.Equal(["frame-00001.png", "frame-00002.png", "frame-00003.png", "frame-00004.png"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
