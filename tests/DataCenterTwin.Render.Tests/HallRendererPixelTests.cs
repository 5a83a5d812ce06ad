using DataCenterTwin.Model.Topology;

namespace DataCenterTwin.Render.Tests;

/// <summary>
/// Pixel tests on whatever OpenGL the machine has (Mesa's llvmpipe here): colours land where the
/// topology and the camera put them. Expected colours are worked by hand from the legend colour and
/// the Lambert light of the box shader (ambient 0.55 plus 0.45 × cos of the light angle).
/// </summary>
public sealed class HallRendererPixelTests(RendererFixture fixture) : IClassFixture<RendererFixture>
{
    private const int Width = 640, Height = 360;

    // The light direction of HallRenderer, normalised: (0.35, -0.55, 0.85) / 1.0712.
    private const double SouthFaceLight = 0.55 + (0.45 * 0.55 / 1.0712); // a face whose normal is −y: 0.781

    [Fact]
    public void OneHotRack_ShowsTheHotColourAtItsImagePosition_AndTheColdColourAtTheOthers()
    {
        var t = fixture.Topology;
        var state = fixture.State(inletC: 22, hot: new Dictionary<int, double> { [2] = 40 });
        var camera = FrontOfRow(t);
        var frame = fixture.Renderer.Render(state, camera, ColorBy.Inlet, Width, Height, title: null);

        foreach (var rack in t.Racks)
        {
            Assert.Equal(-1, rack.FrontY); // the row faces south, toward the camera
            var front = new PointM(rack.Box.Centre.X, rack.Box.Centre.Y - (rack.Box.SizeYM / 2), rack.Box.HeightM / 2);
            var (x, y) = camera.Project(front, Width, Height)!.Value;
            var expected = rack.Index == 2 ? ColourScale.TooHot : ColourScale.Recommended;
            AssertColour(Lit(expected, SouthFaceLight), frame.Pixel((int)x, (int)y), $"rack {rack.Name} at ({x:F0}, {y:F0})");
        }
    }

    [Fact]
    public void HotRack_MovesWithTheState_NotWithThePosition()
    {
        // The same scene with rack 0 hot instead: rack 2's pixel turns back to the cold colour.
        var t = fixture.Topology;
        var camera = FrontOfRow(t);
        var frame = fixture.Renderer.Render(fixture.State(hot: new Dictionary<int, double> { [0] = 33 }), camera, ColorBy.Inlet, Width, Height, title: null);
        var r0 = t.Racks[0].Box;
        var r2 = t.Racks[2].Box;
        var (x0, y0) = camera.Project(new PointM(r0.Centre.X, r0.Centre.Y - (r0.SizeYM / 2), r0.HeightM / 2), Width, Height)!.Value;
        var (x2, y2) = camera.Project(new PointM(r2.Centre.X, r2.Centre.Y - (r2.SizeYM / 2), r2.HeightM / 2), Width, Height)!.Value;
        AssertColour(Lit(ColourScale.Hot, SouthFaceLight), frame.Pixel((int)x0, (int)y0), "rack 0 at 33 °C (A2 band)");
        AssertColour(Lit(ColourScale.Recommended, SouthFaceLight), frame.Pixel((int)x2, (int)y2), "rack 2 at 22 °C");
    }

    [Theory]
    [InlineData(ChillerMode.Gas)]
    [InlineData(ChillerMode.Electric)]
    [InlineData(ChillerMode.Tripped)]
    public void Chiller_ShowsItsModeColour(ChillerMode mode)
    {
        var t = fixture.Topology;
        var chiller = t.Chillers[0];
        Assert.Equal(ChillerDrive.Hybrid, chiller.Drive);
        var b = chiller.Box;

        // From due south, level with the package: its south face fills the middle of the image.
        var camera = new Camera(new PointM(b.Centre.X, b.Centre.Y - 10, b.HeightM / 2), new PointM(b.Centre.X, b.Centre.Y, b.HeightM / 2));
        var frame = fixture.Renderer.Render(fixture.State(modes: [mode, ChillerMode.Off]), camera, ColorBy.Inlet, Width, Height, title: null);
        var (x, y) = camera.Project(new PointM(b.Centre.X, b.Centre.Y - (b.SizeYM / 2), b.HeightM / 2), Width, Height)!.Value;
        Assert.Equal((Width / 2.0, Height / 2.0), (Math.Round(x, 3), Math.Round(y, 3)));
        AssertColour(Lit(ColourScale.Mode(mode), SouthFaceLight), frame.Pixel((int)x, (int)y), $"chiller in {mode}");
    }

    [Fact]
    public void SameState_RendersByteIdentical_WithOverlayAndPng()
    {
        var state = fixture.State(hot: new Dictionary<int, double> { [1] = 30 }, modes: [ChillerMode.Split, ChillerMode.Electric]);
        var camera = Camera.Named("overview", fixture.Topology)!;
        var a = fixture.Renderer.Render(state, camera, ColorBy.Inlet, Width, Height, "quick");
        var other = fixture.Renderer.Render(fixture.State(), camera, ColorBy.Power, 320, 200, "between");
        var b = fixture.Renderer.Render(state, camera, ColorBy.Inlet, Width, Height, "quick");
        Assert.Equal(a.Rgba, b.Rgba);
        Assert.Equal(a.EncodePng(), b.EncodePng());
        Assert.NotEqual(a.Rgba.Length, other.Rgba.Length);
    }

    [Fact]
    public void Overlay_DrawsTextOverTheImage()
    {
        var state = fixture.State();
        var camera = Camera.Named("overview", fixture.Topology)!;
        var plain = fixture.Renderer.Render(state, camera, ColorBy.Inlet, Width, Height, title: null);
        var withOverlay = fixture.Renderer.Render(state, camera, ColorBy.Inlet, Width, Height, "quick");

        // The figures panel is top left: light text pixels there that the plain image lacks.
        int changed = 0, light = 0;
        for (int y = 0; y < 60; y++)
        {
            for (int x = 0; x < 200; x++)
            {
                var p = withOverlay.Pixel(x, y);
                changed += p != plain.Pixel(x, y) ? 1 : 0;
                light += p.R > 200 && p.G > 200 && p.B > 200 ? 1 : 0;
            }
        }

        Assert.True(changed > 2000, $"{changed} pixels changed");
        Assert.True(light > 100, $"{light} text pixels");
    }

    [Fact]
    public void Png_DecodesToTheSamePixels()
    {
        var frame = fixture.Renderer.Render(fixture.State(), Camera.Named("orbit", fixture.Topology)!, ColorBy.Clock, 64, 48, title: null);
        byte[] png = frame.EncodePng();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        using var decoded = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
        var c = decoded.GetPixel(32, 24);
        Assert.Equal(frame.Pixel(32, 24), (c.Red, c.Green, c.Blue));
    }

    [Fact]
    public void Instancing_OneDrawCallPerKind_WhateverTheRackCount()
    {
        Assert.Equal(6, fixture.Renderer.DrawCallsPerFrame);
        Assert.Contains("", fixture.Renderer.Device, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 360)]
    [InlineData(100_000, 360)]
    [InlineData(640, 15)]
    public void FrameSizeOutOfRange_Throws(int width, int height) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Renderer.Render(fixture.State(), Camera.Named("overview", fixture.Topology)!, ColorBy.Inlet, width, height));

    [Fact]
    public void StateOfAnotherHall_IsRefused()
    {
        var wrong = new HallViewState(0, default, [new RackView(22, 1, 0, 1, 0)], [], [], 14, 20, default);
        var ex = Assert.Throws<RenderException>(() => fixture.Renderer.Render(wrong, Camera.Named("overview", fixture.Topology)!, ColorBy.Inlet, 64, 48));
        Assert.Contains("1 racks", ex.Message, StringComparison.Ordinal);
    }

    private static Camera FrontOfRow(HallTopology t)
    {
        var row = t.Rows[0];
        double midX = row.StartX + (row.RackCount * t.Layout.RackPitchM / 2);
        return new Camera(new PointM(midX, row.CentreY - 6, 1.2), new PointM(midX, row.CentreY, 1.0));
    }

    private static (byte R, byte G, byte B) Lit(Rgb c, double light) =>
        ((byte)Math.Round(c.R * light * 255), (byte)Math.Round(c.G * light * 255), (byte)Math.Round(c.B * light * 255));

    private static void AssertColour((byte R, byte G, byte B) expected, (byte R, byte G, byte B) actual, string what)
    {
        const int Tolerance = 6;
        bool close = Math.Abs(expected.R - actual.R) <= Tolerance && Math.Abs(expected.G - actual.G) <= Tolerance && Math.Abs(expected.B - actual.B) <= Tolerance;
        Assert.True(close, $"{what}: expected about {expected}, got {actual}");
    }
}
