using System.Globalization;
using System.Net;
using System.Text;
using DataCenterTwin.Model.Topology;
using DataCenterTwin.Render;

namespace DataCenterTwin.Runs.Report;

/// <summary>
/// The report's top views of the hall, drawn by the renderer of <c>dctwin render</c>: racks coloured by
/// their peak inlet temperature and by their mean power over the run, as PNG data URIs inside the
/// page. Where there is no OpenGL (no EGL, no Mesa) the report says so and the run is not failed.
/// </summary>
internal static class TopView
{
    private const int Width = 900;

    public static string Render(RunRecording r)
    {
        if (r.Topology is not { } topology || r.RackPeakInletC.Length == 0 || r.RackSeconds <= 0)
        {
            return "";
        }

        var html = new StringBuilder("<h2>The hall from above</h2>");
        try
        {
            using var renderer = new HallRenderer(topology);
            var hall = topology.Hall;
            double spanX = Math.Max(hall.MaxX - hall.MinX, 1), spanY = Math.Max(hall.MaxY - hall.MinY, 1);
            int height = (int)Math.Clamp(Math.Round(Width * spanY / spanX), 240, Width);
            var camera = Above(topology, (double)Width / height);
            var peak = State(topology, r, usePeakInlet: true);
            var mean = State(topology, r, usePeakInlet: false);
            html.Append("<div class=\"views\">");
            Figure(html, renderer.Render(peak, camera, ColorBy.Inlet, Width, height, title: null), ColorBy.Inlet, "Peak inlet temperature of each rack over the run");
            Figure(html, renderer.Render(mean, camera, ColorBy.Power, Width, height, title: null), ColorBy.Power, "Mean IT power of each rack over the run");
            html.Append("</div>");
        }
        catch (RenderException ex)
        {
            html.Append("<p class=\"note\">No top view: this machine cannot draw the hall (").Append(WebUtility.HtmlEncode(ex.Message))
                .Append("). Install EGL and Mesa (Debian: libegl1 libegl-mesa0 libgl1-mesa-dri) to have it.</p>");
        }

        return html.ToString();
    }

    // Straight down on the hall's middle, from as high as keeps all of it in view.
    private static Camera Above(HallTopology topology, double aspect)
    {
        var hall = topology.Hall;
        double cx = (hall.MinX + hall.MaxX) / 2, cy = (hall.MinY + hall.MaxY) / 2;
        double half = Math.Tan(45.0 / 2 * Math.PI / 180);
        double fit = Math.Max((hall.MaxY - hall.MinY) / 2, (hall.MaxX - hall.MinX) / 2 / aspect) * 1.08;
        double tallest = topology.Racks.Max(rack => rack.Box.HeightM);
        return new Camera(new PointM(cx, cy, tallest + (fit / half)), new PointM(cx, cy, 0));
    }

    private static HallViewState State(HallTopology topology, RunRecording r, bool usePeakInlet)
    {
        var racks = new RackView[topology.Racks.Count];
        for (int i = 0; i < racks.Length; i++)
        {
            double inlet = i < r.RackPeakInletC.Length ? r.RackPeakInletC[i] : double.NaN;
            double power = i < r.RackEnergyJ.Length ? r.RackEnergyJ[i] / r.RackSeconds : 0;
            var rack = topology.Racks[i];
            double range = rack.DesignPowerW - rack.IdlePowerW;
            double utilisation = range > 0 ? Math.Clamp((power - rack.IdlePowerW) / range, 0, 1) : 0;
            racks[i] = new RackView(usePeakInlet ? inlet : double.NaN, power, utilisation, 1, 0);
        }

        var chillers = topology.Chillers.Select(_ => new ChillerView(ChillerMode.Off, 0));
        var cdus = topology.Cdus.Select(_ => new CduView(double.NaN, double.NaN));
        return new HallViewState(r.RackSeconds, r.Start.AddSeconds(r.RackSeconds), racks, chillers, cdus, double.NaN, double.NaN, default);
    }

    private static void Figure(StringBuilder html, HallFrame frame, ColorBy by, string caption)
    {
        var (title, entries) = ColourScale.Legend(by);
        html.Append("<figure><img alt=\"").Append(WebUtility.HtmlEncode(caption)).Append("\" src=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(frame.EncodePng())).Append("\"><figcaption>").Append(WebUtility.HtmlEncode(caption))
            .Append("<div class=\"legend\">").Append(WebUtility.HtmlEncode(title)).Append(':');
        foreach (var e in entries)
        {
            var (red, green, blue) = e.Colour.Bytes;
            html.Append(CultureInfo.InvariantCulture, $"<span style=\"background:#{red:x2}{green:x2}{blue:x2}\"></span>").Append(WebUtility.HtmlEncode(e.Label));
        }

        html.Append("</div></figcaption></figure>");
    }
}
