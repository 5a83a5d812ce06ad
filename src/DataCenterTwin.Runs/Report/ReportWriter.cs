using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DataCenterTwin.Runs.Report;

/// <summary>
/// Writes report.html: a self-contained page (inline SVG and CSS, no script, no network) with the
/// summary table and the plots a design team looks at first.
/// </summary>
internal static class ReportWriter
{
    public static string Render(JsonObject summary, RunRecording r)
    {
        var html = new StringBuilder();
        string title = $"DataCenterTwin run — {summary["scenario"]?.GetValue<string>() ?? "scenario"}";
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Esc(title)).Append("</title>");
        html.Append("<style>body{font-family:sans-serif;max-width:960px;margin:24px auto;color:#222}h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
            .Append("table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append(".note{color:#666;font-size:12px}.partial{background:#fee;border:1px solid #c00;padding:6px}table.glance td{font-size:15px;padding:5px 14px}table.glance td:last-child{text-align:left;font-weight:bold}details{margin-top:14px}svg{max-width:100%;height:auto}.views{display:flex;gap:12px;flex-wrap:wrap}.views figure{margin:0}.views img{max-width:460px;border:1px solid #ccc}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:middle}</style></head><body>");
        html.Append("<h1>").Append(Esc(title)).Append("</h1>");
        if (summary["partial"]?.GetValue<bool>() == true)
        {
            html.Append("<p class=\"partial\">This run was stopped before its horizon: the figures cover what was simulated.</p>");
        }

        html.Append("<p class=\"note\">").Append(Esc(Inv($"seed {summary["seed"]}, fidelity {summary["fidelity"]}, simulated {summary["sim_s"]?.GetValue<double>() / 86400:F2} d in {summary["wall_s"]?.GetValue<double>():F1} s of wall time"))).Append("</p>");
        html.Append(KeyFigures.Render(summary));
        html.Append("<details><summary>Every figure of summary.json</summary>").Append(SummaryTable(summary)).Append("</details>");
        html.Append(TrafficReport.Render(summary));
        html.Append(YearsReport.Render(summary));
        html.Append(TopView.Render(r));

        var x = r.TimeH.ToArray();
        bool days = x.Length > 0 && x[^1] > 72;
        if (x.Length > 0 && x[^1] >= YearCharts.MinHours)
        {
            // A long run: heat maps and monthly bars say more than a line of tens of thousands of points.
            html.Append(YearCharts.Render(r));
        }
        else
        {
            LineCharts(html, summary, r, x, days);
        }

        foreach (var (name, labels, counts) in r.Histograms)
        {
            Section(html, $"Latency distribution: {name}", SvgChart.Bars(name, "seconds", labels, counts));
        }

        html.Append("<p class=\"note\">Made by dctwin. Every figure is an interval average (energy-exact); peaks are interval maxima.</p></body></html>");
        return html.ToString();
    }

    private static void LineCharts(StringBuilder html, JsonObject summary, RunRecording r, double[] x, bool days)
    {
        string xLabel = days ? "days since start" : "hours since start";
        double[] X(double[] hours) => days ? hours.Select(h => h / 24).ToArray() : hours;

        if (r.Has("it_kw"))
        {
            var (px, it) = r.Downsampled("it_kw");
            var chart = new SvgChart("Facility power by use", xLabel, "kW", X(px))
                .Area("IT", it, "#1f77b4")
                .Area("cooling (electric)", r.Downsampled("cooling_kw").Y, "#17becf")
                .Area("distribution losses", r.Downsampled("losses_kw").Y, "#ff7f0e")
                .Area("other", r.Downsampled("other_kw").Y, "#7f7f7f");
            if (summary["grid_cap_kw"]?.GetValue<double>() is double cap && double.IsFinite(cap))
            {
                chart.Reference("grid cap", cap);
            }

            Section(html, "Facility power", chart.Render());
        }

        if (r.Has("pue"))
        {
            var (px, pue) = r.Downsampled("pue");
            Section(html, "PUE", new SvgChart("Power usage effectiveness", xLabel, "PUE", X(px)) { YMin = 1 }.Line("PUE", pue).Render());
        }

        if (r.Has("freed_kw"))
        {
            var (px, freed) = r.Downsampled("freed_kw");
            var chart = new SvgChart("Freed electrical capacity and chiller drive", xLabel, "kW", X(px))
                .Line("freed capacity", freed, "#2ca02c")
                .Line("gas engine fuel", r.Downsampled("gas_kw").Y, "#d62728")
                .Line("chiller electric", r.Downsampled("chiller_electric_kw").Y, "#1f77b4");
            Section(html, "Chiller modes and freed capacity", chart.Render());
            if (r.Has("gas_share"))
            {
                var share = new SvgChart("Share of chiller load driven by gas", xLabel, "fraction", X(px)) { YMin = 0, YMax = 1 }
                    .Line("gas share", r.Downsampled("gas_share").Y, "#d62728", step: true);
                html.Append(share.Render());
            }
        }

        if (r.Has("inlet_max_c"))
        {
            var (px, max) = r.Downsampled("inlet_max_c", maxima: true);
            var chart = new SvgChart("Rack inlet air temperature", xLabel, "°C", X(px))
                .Line("hottest rack", max, "#d62728")
                .Line("mean of racks", r.Downsampled("inlet_mean_c").Y, "#ff7f0e")
                .Line("coolest rack", r.Downsampled("inlet_min_c").Y, "#1f77b4")
                .Reference("ASHRAE A1 allowable 32 °C", 32, "#d62728")
                .Reference("A1 recommended 27 °C", 27, "#ff7f0e");
            Section(html, "Rack inlet temperatures", chart.Render());
        }

        if (r.Has("grid_kw"))
        {
            var (px, grid) = r.Downsampled("grid_kw", maxima: true);
            var chart = new SvgChart("Grid draw against the interconnect limit", xLabel, "kW", X(px))
                .Line("grid draw", grid, "#1f77b4")
                .Line("limit in force", r.Downsampled("grid_cap_kw").Y, "#d62728", step: true);
            foreach (var (t, label) in r.Events)
            {
                chart.Marker(days ? t / 24 : t, label);
            }

            Section(html, "Grid draw and events", chart.Render());
        }

    }

    private static void Section(StringBuilder html, string heading, string svg) =>
        html.Append("<h2>").Append(Esc(heading)).Append("</h2>").Append(svg);

    private static string SummaryTable(JsonObject summary)
    {
        var units = summary["units"] as JsonObject;
        var table = new StringBuilder("<table><tr><th>metric</th><th>value</th><th>unit</th></tr>");
        foreach (var (key, value) in summary)
        {
            if (key == "pue_by_month" && value is JsonArray months)
            {
                // Twelve calendar months, January first; a month the run did not reach shows as "–".
                string row = string.Join(" ", months.Select(m => m is JsonValue mv && mv.TryGetValue(out double pue)
                    ? pue.ToString("0.000", CultureInfo.InvariantCulture) : "–"));
                table.Append("<tr><td>").Append(Esc(key)).Append("</td><td>").Append(Esc(row)).Append("</td><td>Jan → Dec</td></tr>");
                continue;
            }

            if (key is "units" or "scenario" or "seed" or "fidelity" or "partial" || value is not JsonValue v)
            {
                continue;
            }

            string text = v.TryGetValue(out double d)
                ? (Math.Abs(d) >= 100 ? d.ToString("N0", CultureInfo.InvariantCulture) : d.ToString("0.####", CultureInfo.InvariantCulture))
                : v.ToString();
            table.Append("<tr><td>").Append(Esc(key)).Append("</td><td>").Append(Esc(text)).Append("</td><td>")
                .Append(Esc(units?[key]?.GetValue<string>() ?? "")).Append("</td></tr>");
        }

        return table.Append("</table>").ToString();
    }

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
