using DataCenterTwin.Model.Topology;
using DataCenterTwin.Render;
using DataCenterTwin.Service.V1;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// What a client asked to see, checked: size, format, camera and colouring. Equal views of the same
/// control step give the same image, so the frame cache is keyed by it.
/// </summary>
internal sealed record FrameView(int Width, int Height, FrameFormat Format, int JpegQuality, string CameraText, double OrbitDeg, ColorBy ColorBy, Camera Camera)
{
    public const int DefaultWidth = 1280, DefaultHeight = 720, DefaultJpegQuality = 80;

    public const double DefaultFps = 10, MaxFps = 60;

    public string ContentType => Format == FrameFormat.Jpeg ? "image/jpeg" : "image/png";

    /// <summary>Checks <paramref name="r"/> against the hall; every mistake is an <see cref="ArgumentException"/> naming the field and what is allowed.</summary>
    public static FrameView From(FrameRequest r, HallTopology topology)
    {
        ArgumentNullException.ThrowIfNull(r);
        int w = r.Width, h = r.Height;
        if (w == 0 && h == 0)
        {
            (w, h) = (DefaultWidth, DefaultHeight);
        }

        if (w < HallRenderer.MinSize || w > HallRenderer.MaxSize || h < HallRenderer.MinSize || h > HallRenderer.MaxSize)
        {
            throw new ArgumentException($"width × height: {r.Width} × {r.Height} px is not a frame size; each side must be {HallRenderer.MinSize} to {HallRenderer.MaxSize} px");
        }

        if (r.Format is not (FrameFormat.Unspecified or FrameFormat.Png or FrameFormat.Jpeg))
        {
            throw new ArgumentException($"format: {(int)r.Format} is not a frame format; use PNG or JPEG");
        }

        int quality = r.JpegQuality == 0 ? DefaultJpegQuality : r.JpegQuality;
        if (quality is < 1 or > 100)
        {
            throw new ArgumentException($"jpeg_quality: {r.JpegQuality} is outside 1 to 100");
        }

        if (!double.IsFinite(r.OrbitDeg))
        {
            throw new ArgumentException($"orbit_deg: {r.OrbitDeg} is not a finite number");
        }

        string cameraText = r.Camera.Length == 0 ? "overview" : r.Camera;
        var camera = Camera.Named(cameraText, topology, r.OrbitDeg, (double)w / h) ?? Camera.Parse(cameraText)
            ?? throw new ArgumentException($"camera: unknown camera \"{r.Camera}\"; known: {string.Join(", ", Camera.Names)}, or eye and target in metres as x,y,z:tx,ty,tz");
        string colorText = r.ColorBy.Length == 0 ? "inlet" : r.ColorBy;
        var colorBy = ColorByNames.Parse(colorText)
            ?? throw new ArgumentException($"color_by: unknown colouring \"{r.ColorBy}\"; known: {string.Join(", ", ColorByNames.All)}");
        return new FrameView(w, h, r.Format == FrameFormat.Jpeg ? FrameFormat.Jpeg : FrameFormat.Png, r.Format == FrameFormat.Jpeg ? quality : 0,
            cameraText, r.OrbitDeg, colorBy, camera);
    }

    /// <summary>The stream rate asked for, frames per wall second.</summary>
    public static double Fps(FrameRequest r)
    {
        if (!double.IsFinite(r.MaxFps) || r.MaxFps < 0 || r.MaxFps > MaxFps)
        {
            throw new ArgumentException($"max_fps: {r.MaxFps} is outside 0 to {MaxFps} (0: {DefaultFps})");
        }

        return r.MaxFps == 0 ? DefaultFps : r.MaxFps;
    }
}
