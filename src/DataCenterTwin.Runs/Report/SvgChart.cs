using System.Globalization;
using System.Net;
using System.Text;

namespace DataCenterTwin.Runs.Report;

/// <summary>
/// Small self-contained SVG charts for the run report: lines, stacked areas, steps, reference
/// lines, event markers and bars. No script and no network: the page opens anywhere.
/// </summary>
internal sealed class SvgChart
{
    private const int Width = 900;
    private const int Height = 300;
    private const int Left = 70;
    private const int Right = 170;
    private const int Top = 30;
    private const int Bottom = 40;

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
        int n = X.Length;
        var stackedTop = new double[n];
        var stackedBase = new List<double[]>();
        foreach (var s in _series.Where(s => s.Stacked))
        {
            stackedBase.Add((double[])stackedTop.Clone());
            for (int i = 0; i < n; i++)
            {
                stackedTop[i] += Finite(s.Y[i]);
            }
        }

        double xMin = n > 0 ? X[0] : 0, xMax = n > 0 ? X[^1] : 1;
        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }

        var values = _series.Where(s => !s.Stacked).SelectMany(s => s.Y).Concat(stackedTop).Concat(_references.Select(r => r.Y)).Where(double.IsFinite).ToList();
        double yMin = YMin ?? (values.Count > 0 ? Math.Min(0, values.Min()) : 0);
        double yMax = YMax ?? (values.Count > 0 ? values.Max() : 1);
        if (yMax <= yMin)
        {
            yMax = yMin + 1;
        }

        var ticks = NiceTicks(yMin, yMax, 5);
        yMin = Math.Min(yMin, ticks[0]);
        yMax = Math.Max(yMax, ticks[^1]);

        double Px(double x) => Left + (x - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - (y - yMin) / (yMax - yMin) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">"));
        svg.Append(Inv($"<text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{Esc(Title)}</text>"));
        foreach (double t in ticks)
        {
            double y = Py(t);
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#e5e5e5\"/>"));
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Format(t)}</text>"));
        }

        foreach (double t in NiceTicks(xMin, xMax, 8).Where(t => t >= xMin && t <= xMax))
        {
            double x = Px(t);
            svg.Append(Inv($"<line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#f0f0f0\"/>"));
            svg.Append(Inv($"<text x=\"{x:F1}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{Format(t)}</text>"));
        }

        svg.Append(Inv($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Esc(XLabel)}</text>"));
        svg.Append(Inv($"<text transform=\"translate(14,{(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Esc(YLabel)}</text>"));

        int colorIndex = 0, stackIndex = 0, legendRow = 0;
        foreach (var s in _series)
        {
            string color = s.Color ?? s_palette[colorIndex++ % s_palette.Length];
            var path = new StringBuilder();
            if (s.Stacked)
            {
                var under = stackedBase[stackIndex++];
                for (int i = 0; i < n; i++)
                {
                    path.Append(Inv($"{(i == 0 ? 'M' : 'L')}{Px(X[i]):F1},{Py(under[i] + Finite(s.Y[i])):F1}"));
                }

                for (int i = n - 1; i >= 0; i--)
                {
                    path.Append(Inv($"L{Px(X[i]):F1},{Py(under[i]):F1}"));
                }

                svg.Append(Inv($"<path d=\"{path}Z\" fill=\"{color}\" fill-opacity=\"0.75\" stroke=\"none\"/>"));
            }
            else
            {
                bool pen = false;
                for (int i = 0; i < n; i++)
                {
                    if (!double.IsFinite(s.Y[i]))
                    {
                        pen = false;
                        continue;
                    }

                    if (s.Step && pen && i > 0)
                    {
                        path.Append(Inv($"L{Px(X[i]):F1},{Py(s.Y[i - 1]):F1}"));
                    }

                    path.Append(Inv($"{(pen ? 'L' : 'M')}{Px(X[i]):F1},{Py(s.Y[i]):F1}"));
                    pen = true;
                }

                svg.Append(Inv($"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"/>"));
            }

            Legend(svg, legendRow++, s.Name, color, s.Stacked);
        }

        foreach (var r in _references)
        {
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Py(r.Y):F1}\" y2=\"{Py(r.Y):F1}\" stroke=\"{r.Color}\" stroke-dasharray=\"6,4\" stroke-width=\"1.5\"/>"));
            Legend(svg, legendRow++, r.Name, r.Color, false);
        }

        foreach (var m in _markers.Where(m => m.X >= xMin && m.X <= xMax))
        {
            double x = Px(m.X);
            svg.Append(Inv($"<line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#444\" stroke-dasharray=\"2,3\"><title>{Esc(m.Label)}</title></line>"));
            svg.Append(Inv($"<text x=\"{x + 2:F1}\" y=\"{Top + 10}\" font-size=\"9\" fill=\"#444\">{Esc(Shorten(m.Label))}</text>"));
        }

        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>"));
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A bar chart of counts over bins (a histogram).</summary>
    public static string Bars(string title, string xLabel, IReadOnlyList<string> labels, IReadOnlyList<double> values, string color = "#1f77b4")
    {
        double max = values.Count > 0 ? Math.Max(values.Max(), 1e-12) : 1;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">"));
        svg.Append(Inv($"<text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{Esc(title)}</text>"));
        double plotWidth = Width - Left - Right;
        double barWidth = values.Count == 0 ? 0 : plotWidth / values.Count;
        for (int i = 0; i < values.Count; i++)
        {
            double h = values[i] / max * (Height - Top - Bottom);
            double x = Left + i * barWidth;
            svg.Append(Inv($"<rect x=\"{x + 1:F1}\" y=\"{Height - Bottom - h:F1}\" width=\"{Math.Max(1, barWidth - 2):F1}\" height=\"{h:F1}\" fill=\"{color}\"><title>{Esc(labels[i])}: {values[i]:G4}</title></rect>"));
            if (values.Count <= 24 || i % (values.Count / 12 + 1) == 0)
            {
                svg.Append(Inv($"<text x=\"{x + barWidth / 2:F1}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\" font-size=\"9\">{Esc(labels[i])}</text>"));
            }
        }

        svg.Append(Inv($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Esc(xLabel)}</text>"));
        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>"));
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Legend(StringBuilder svg, int row, string name, string color, bool filled)
    {
        double y = Top + 8 + row * 16;
        double x = Width - Right + 10;
        svg.Append(filled
            ? Inv($"<rect x=\"{x}\" y=\"{y - 7}\" width=\"14\" height=\"10\" fill=\"{color}\" fill-opacity=\"0.75\"/>")
            : Inv($"<line x1=\"{x}\" x2=\"{x + 14}\" y1=\"{y - 2}\" y2=\"{y - 2}\" stroke=\"{color}\" stroke-width=\"2\"/>"));
        svg.Append(Inv($"<text x=\"{x + 18}\" y=\"{y + 2}\">{Esc(name)}</text>"));
    }

    internal static double[] NiceTicks(double min, double max, int count)
    {
        double range = max - min;
        double rough = range / Math.Max(1, count);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double step = new[] { 1.0, 2, 2.5, 5, 10 }.Select(f => f * magnitude).First(s => s >= rough);
        double start = Math.Floor(min / step) * step;
        var ticks = new List<double>();
        for (double t = start; t <= max + step * 0.5 && ticks.Count < 50; t += step)
        {
            ticks.Add(Math.Round(t / step) * step);
        }

        return [.. ticks];
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;

    private static string Format(double v) =>
        Math.Abs(v) >= 1e4 || (Math.Abs(v) < 1e-2 && v != 0)
            ? v.ToString("G3", CultureInfo.InvariantCulture)
            : v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Shorten(string s) => s.Length > 18 ? s[..17] + "…" : s;

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
