using ScottPlot;

namespace DataCenterTwin.Runs.Report;

/// <summary>
/// The report's charts as inline SVG, drawn by ScottPlot (the library the PNG plots use): lines,
/// stacked areas, steps, reference lines, event markers, bars and day-by-hour heat maps. The SVG
/// is text inside the page: no script, no network, no image files beside it.
/// </summary>
internal sealed class SvgChart
{
    private const int Width = 900;
    private const int Height = 300;

    private static readonly string[] s_palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private readonly List<(string Name, double[] Y, bool Stacked, bool Step, string? Color)> _series = [];
    private readonly List<(string Name, double Y, string Color)> _references = [];
    private readonly List<(double X, string Label)> _markers = [];

    public SvgChart(string title, string xLabel, string yLabel, double[] x)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
        X = x;
    }

    public string Title { get; }

    public string XLabel { get; }

    public string YLabel { get; }

    public double[] X { get; }

    public double? YMin { get; set; }

    public double? YMax { get; set; }

    public SvgChart Line(string name, double[] y, string? color = null, bool step = false)
    {
        _series.Add((name, y, false, step, color));
        return this;
    }

    public SvgChart Area(string name, double[] y, string? color = null)
    {
        _series.Add((name, y, true, false, color));
        return this;
    }

    public SvgChart Reference(string name, double y, string color = "#d62728")
    {
        _references.Add((name, y, color));
        return this;
    }

    public SvgChart Marker(double x, string label)
    {
        _markers.Add((x, label));
        return this;
    }

    public string Render()
    {
        var plot = NewPlot(Title, XLabel, YLabel);
        int n = X.Length, k = 0;
        var top = new double[n];
        foreach (var s in _series)
        {
            var colour = Color.FromHex(s.Color ?? s_palette[k++ % s_palette.Length]);
            if (s.Stacked)
            {
                // Stacked areas: each between the sum of those below it and that sum plus itself.
                var under = (double[])top.Clone();
                for (int i = 0; i < n; i++)
                {
                    top[i] += double.IsFinite(s.Y[i]) ? s.Y[i] : 0;
                }

                var fill = plot.Add.FillY(X, under, (double[])top.Clone());
                fill.FillColor = colour.WithAlpha(0.75);
                fill.LineWidth = 0;
                fill.LegendText = s.Name;
                continue;
            }

            // Gaps (NaN) are left out rather than drawn as zero.
            var xs = new List<double>(n);
            var ys = new List<double>(n);
            for (int i = 0; i < n; i++)
            {
                if (double.IsFinite(s.Y[i]))
                {
                    xs.Add(X[i]);
                    ys.Add(s.Y[i]);
                }
            }

            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), colour);
            line.MarkerSize = 0;
            line.LineWidth = 1.5f;
            line.LegendText = s.Name;
            if (s.Step)
            {
                line.ConnectStyle = ConnectStyle.StepHorizontal;
            }
        }

        foreach (var (name, y, color) in _references)
        {
            var h = plot.Add.HorizontalLine(y, 1, Color.FromHex(color), LinePattern.Dashed);
            h.LegendText = name;
        }

        foreach (var (x, label) in _markers)
        {
            var v = plot.Add.VerticalLine(x, 1, Colors.Gray, LinePattern.Dotted);
            v.LabelText = label;
        }

        if (YMin is not null || YMax is not null)
        {
            plot.Axes.AutoScale();
            var limits = plot.Axes.GetLimits();
            plot.Axes.SetLimitsY(YMin ?? limits.Bottom, YMax ?? limits.Top);
        }

        plot.ShowLegend(Edge.Right);
        return Svg(plot, Width, Height);
    }

    /// <summary>Bars with a label under each.</summary>
    public static string Bars(string title, string xLabel, IReadOnlyList<string> labels, IReadOnlyList<double> values, string color = "#1f77b4") =>
        StackedBars(title, xLabel, "", labels, [(title, values.ToArray(), color)]);

    /// <summary>Bars of several series stacked on each other, one bar per label (a month, a latency bin).</summary>
    public static string StackedBars(string title, string xLabel, string yLabel, IReadOnlyList<string> labels, IReadOnlyList<(string Name, double[] Values, string Color)> series)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        var bottom = new double[labels.Count];
        foreach (var (name, values, color) in series)
        {
            var bars = new List<Bar>(labels.Count);
            for (int i = 0; i < labels.Count; i++)
            {
                double v = double.IsFinite(values[i]) ? values[i] : 0;
                bars.Add(new Bar { Position = i, ValueBase = bottom[i], Value = bottom[i] + v, FillColor = Color.FromHex(color), LineWidth = 0 });
                bottom[i] += v;
            }

            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = name;
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. labels]);
        plot.Axes.Margins(bottom: 0);
        if (series.Count > 1)
        {
            plot.ShowLegend(Edge.Right);
        }

        return Svg(plot, Width, Height);
    }

    /// <summary>
    /// A day-by-hour heat map: <paramref name="values"/>[day, hour], one column a day and one row an
    /// hour, coloured on <paramref name="unit"/>'s scale (NaN cells, hours not simulated, left blank).
    /// </summary>
    public static string DayHourHeatmap(string title, double[,] values, string unit)
    {
        int days = values.GetLength(0);
        var plot = NewPlot(title, "day of the run", "hour of the day");
        var cells = new double[24, days];
        for (int d = 0; d < days; d++)
        {
            for (int h = 0; h < 24; h++)
            {
                cells[23 - h, d] = values[d, h];
            }
        }

        var map = plot.Add.Heatmap(cells);
        map.Colormap = new ScottPlot.Colormaps.Turbo();
        map.Extent = new CoordinateRect(0, days, 0, 24);
        map.NaNCellColor = Colors.White;
        var bar = plot.Add.ColorBar(map);
        bar.Label = unit;
        plot.Axes.Left.SetTicks([0, 6, 12, 18, 24], ["0", "6", "12", "18", "24"]);
        plot.Axes.SetLimits(0, days, 0, 24);
        return Svg(plot, Width, Height);
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, 14);
        plot.XLabel(xLabel, 12);
        plot.YLabel(yLabel, 12);
        return plot;
    }

    // ScottPlot's SVG without the XML declaration, to sit inline in the page.
    private static string Svg(Plot plot, int width, int height)
    {
        string svg = plot.GetSvgXml(width, height);
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }
}
