using DataCenterTwin.Model.Topology;

namespace DataCenterTwin.Render.Tests;

/// <summary>Cameras by name and by position, and the projection the pixel tests rely on.</summary>
public sealed class CameraTests(RendererFixture fixture) : IClassFixture<RendererFixture>
{
    [Fact]
    public void Target_ProjectsToTheImageCentre()
    {
        var camera = new Camera(new PointM(0, -10, 5), new PointM(3, 4, 1));
        var (x, y) = camera.Project(new PointM(3, 4, 1), 1280, 720)!.Value;
        Assert.Equal(640, x, 3);
        Assert.Equal(360, y, 3);
    }

    [Fact]
    public void PointAboveTheTarget_IsHigherInTheImage_AndBehindTheEyeIsNull()
    {
        var camera = new Camera(new PointM(0, -10, 1), new PointM(0, 0, 1));
        Assert.True(camera.Project(new PointM(0, 0, 2), 100, 100)!.Value.Y < 50);
        Assert.True(camera.Project(new PointM(1, 0, 1), 100, 100)!.Value.X > 50);
        Assert.Null(camera.Project(new PointM(0, -20, 1), 100, 100));
    }

    [Fact]
    public void NamedCameras_KeepTheWholeHallInView()
    {
        var t = fixture.Topology;
        foreach (string name in new[] { "overview", "orbit" })
        {
            var camera = Camera.Named(name, t)!;
            foreach (var rack in t.Racks)
            {
                var (x, y) = camera.Project(rack.Box.Centre, 1280, 720)!.Value;
                Assert.InRange(x, 0, 1280);
                Assert.InRange(y, 0, 720);
            }
        }

        Assert.Null(Camera.Named("drone", t));
    }

    [Theory]
    [InlineData("1,2,3:4,5,6", true)]
    [InlineData("1,2,3:1,2,3", false)]
    [InlineData("1,2:4,5,6", false)]
    [InlineData("a,b,c:4,5,6", false)]
    [InlineData("overview", false)]
    public void Parse_PositionAndTarget(string text, bool valid) => Assert.Equal(valid, Camera.Parse(text) is not null);
}
