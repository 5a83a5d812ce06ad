using System.Globalization;
using System.Net;
using System.Text;
using DataCenterTwin.Sweeps;
using ScottPlot;

namespace DataCenterTwin.Cli.Commands;

/// <summary>
/// A sweep's report: report.html with every variant side by side and two Pareto fronts drawn with
/// ScottPlot (cost against CO2, both to be small; PUE against accelerators carried, PUE small and
/// accelerators large), each also a PNG beside the page.
/// </summary>
internal static class SweepReport
{
    private const int Width = 800;
    private const int Height = 500;

    // The figures a design team reads first, in the table's order.
    private static readonly (string Key, string Header, string Format)[] s_columns =
    [
        ("pue", "PUE", "F3"), ("cost", "cost, USD", "N0"), ("co2_kg", "CO2, t", "t"), ("accelerators", "accelerators", "N0"),
        ("accelerators_supported_at_cap", "accelerators carried at the cap", "N0"), ("slo_attainment", "SLO attainment", "P2"),
        ("seconds_over_grid_cap", "s over the grid cap", "N0"), ("it_capped_hours", "IT capped, h", "F1"), ("energy_total_kwh", "energy, MWh", "m"),
    ];

    /// <summary>Writes the report of the rows in <paramref name="resultsFolder"/> into <paramref name="outFolder"/>; returns the page's path.</summary>
    public static string Write(string name, string resultsFolder, string outFolder)
    {
        var rows = SweepResults.Read(resultsFolder);
        var parameters = rows.SelectMany(r => r.Parameters.Keys).Distinct(StringComparer.Ordinal).ToList();
        string carried = rows.Any(r => double.IsFinite(r["accelerators_supported_at_cap"])) ? "accelerators_supported_at_cap" : "accelerators";
        var costCo2 = Front(rows, "cost", "co2_kg", true, true, "cost, USD", "CO2, t", y => y / 1000, $"{name}: cost against CO2",
            Path.Combine(outFolder, "pareto-cost-co2.png"));
        var pueAcc = Front(rows, "pue", carried, true, false, "PUE", carried == "accelerators" ? "accelerators" : "accelerators carried at the grid cap", y => y,
            $"{name}: PUE against accelerators carried", Path.Combine(outFolder, "pareto-pue-accelerators.png"));

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(name)}: sweep report</title>\n")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}")
            .Append("th{background:#f3f3f3}td.p{text-align:left}tr.front td{background:#eef6ee}</style></head><body>\n")
            .Append(CultureInfo.InvariantCulture, $"<h1>{E(name)}</h1>\n<p>{rows.Count} variants, one row each, keyed by (scenario hash, seed). ")
            .Append("Rows shaded green lie on a Pareto front; a front joins the variants that no other beats on both axes.</p>\n")
            .Append("<h2>Pareto fronts</h2>\n<img src=\"pareto-cost-co2.png\" alt=\"cost against CO2\"> <img src=\"pareto-pue-accelerators.png\" alt=\"PUE against accelerators\">\n")
            .Append(CultureInfo.InvariantCulture, $"<p>Cost against CO2: variants {string.Join(", ", costCo2.Select(i => rows[i].Variant))}. ")
            .Append(CultureInfo.InvariantCulture, $"PUE against accelerators carried: variants {string.Join(", ", pueAcc.Select(i => rows[i].Variant))}.</p>\n")
            .Append("<h2>Variants side by side</h2>\n<table><tr><th>variant</th><th>seed</th>");
        foreach (string p in parameters)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(p)}</th>");
        }

        foreach (var c in s_columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(c.Header)}</th>");
        }

        html.Append("<th>scenario hash</th></tr>\n");
        var onFront = new HashSet<int>(costCo2.Concat(pueAcc));
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            html.Append(onFront.Contains(i) ? "<tr class=\"front\">" : "<tr>")
                .Append(CultureInfo.InvariantCulture, $"<td>{r.Variant}</td><td>{r.Seed}</td>");
            foreach (string p in parameters)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"p\">{E(r.Parameters.GetValueOrDefault(p, ""))}</td>");
            }

            foreach (var c in s_columns)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{Format(r[c.Key], c.Format)}</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td class=\"p\"><code>{E(r.ScenarioHash[..Math.Min(16, r.ScenarioHash.Length)])}</code></td></tr>\n");
        }

        html.Append("</table>\n</body></html>\n");
        string page = Path.Combine(outFolder, "report.html");
        File.WriteAllText(page, html.ToString());
        return page;
    }

    // A scatter of every variant, its front joined by a line and labelled by variant; written as a PNG.
    private static IReadOnlyList<int> Front(IReadOnlyList<SweepRow> rows, string xKey, string yKey, bool minX, bool minY, string xLabel, string yLabel,
        Func<double, double> yScale, string title, string png)
    {
        var points = rows.Select(r => (X: r[xKey], Y: yScale(r[yKey]))).ToList();
        var front = SweepResults.ParetoFront(points, minX, minY);
        var plot = new Plot();
        plot.Title(title, 14);
        plot.XLabel(xLabel, 12);
        plot.YLabel(yLabel, 12);
        var finite = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var all = plot.Add.ScatterPoints(finite.Select(p => p.X).ToArray(), finite.Select(p => p.Y).ToArray(), Color.FromHex("#7f7f7f"));
        all.MarkerSize = 7;
        all.LegendText = "variants";
        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(i => points[i].X).ToArray(), front.Select(i => points[i].Y).ToArray(), Color.FromHex("#2ca02c"));
            line.MarkerSize = 9;
            line.LineWidth = 2;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = "Pareto front";
            foreach (int i in front)
            {
                var label = plot.Add.Text(rows[i].Variant.ToString(CultureInfo.InvariantCulture), points[i].X, points[i].Y);
                label.LabelFontSize = 11;
            }
        }

        plot.ShowLegend(Edge.Right);
        plot.SavePng(png, Width, Height);
        return front;
    }

    private static string Format(double v, string format) => !double.IsFinite(v) ? "–" : format switch
    {
        "t" => (v / 1000).ToString("N1", CultureInfo.InvariantCulture),
        "m" => (v / 1000).ToString("N1", CultureInfo.InvariantCulture),
        _ => v.ToString(format, CultureInfo.InvariantCulture),
    };

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
