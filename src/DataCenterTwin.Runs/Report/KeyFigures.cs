using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DataCenterTwin.Runs.Report;

/// <summary>
/// The report's opening table: the few figures a reader wants first, in words and units (PUE, peak
/// draw against the cap, freed capacity, cost, CO₂, SLO), read from the summary's own keys. A figure
/// the run did not produce (no cap, no requests) is left out rather than shown as zero.
/// </summary>
internal static class KeyFigures
{
    public static string Render(JsonObject summary)
    {
        double? Get(string key) => summary[key] is JsonValue v && v.TryGetValue(out double d) && double.IsFinite(d) ? d : null;
        var rows = new List<(string What, string Value)>();

        if (Get("pue") is { } pue)
        {
            rows.Add(("Power usage effectiveness (facility ÷ IT energy)", Inv($"{pue:F3}")));
        }

        if (Get("peak_grid_kw") is { } peak)
        {
            rows.Add(Get("grid_cap_kw") is { } cap && cap > 0
                ? ("Peak grid draw against the interconnect cap", Inv($"{Kw(peak)} of {Kw(cap)} ({peak / cap * 100:F1} %)")
                    + (Get("seconds_over_grid_cap") is { } over && over > 0 ? Inv($"; over the cap for {over / 3600:F1} h") : ", never over"))
                : ("Peak grid draw", Kw(peak)));
        }

        if (Get("freed_capacity_peak_kw") is { } freed && freed > 0)
        {
            rows.Add(("Electrical capacity freed by gas-driven cooling", Inv($"{Kw(freed)} at peak, {Kw(Get("freed_capacity_p50_kw") ?? 0)} median")
                + (Get("freed_capacity_firm_kw") is { } firm ? Inv($", {Kw(firm)} firm") : "")));
        }

        if (Get("cost") is { } cost)
        {
            var parts = new List<string>();
            foreach (var (key, label) in new[] { ("cost_energy", "energy"), ("cost_demand", "demand charges"), ("cost_gas", "gas") })
            {
                if (Get(key) is { } c && c != 0)
                {
                    parts.Add($"{Usd(c)} {label}");
                }
            }

            rows.Add(("Operating cost over the run", Usd(cost) + (parts.Count > 0 ? $" ({string.Join(", ", parts)})" : "")));
        }

        if (Get("co2_kg") is { } co2)
        {
            rows.Add(("CO₂ emitted (grid and gas)", co2 >= 1000 ? Inv($"{co2 / 1000:N1} t") : Inv($"{co2:N0} kg")));
        }

        if (Get("slo_attainment") is { } slo)
        {
            string requests = Get("requests_completed") is { } done ? Inv($" of {done + (Get("requests_rejected") ?? 0):N0} requests") : "";
            rows.Add(("Requests meeting their latency objective (SLO)", Inv($"{slo * 100:F2} %{requests}")));
        }

        if (Get("energy_total_kwh") is { } total)
        {
            rows.Add(("Facility energy", total >= 1000 ? Inv($"{total / 1000:N1} MWh") : Inv($"{total:N1} kWh")));
        }

        if (rows.Count == 0)
        {
            return "";
        }

        var html = new StringBuilder("<h2>At a glance</h2><table class=\"glance\">");
        foreach (var (what, value) in rows)
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(what)).Append("</td><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string Kw(double kw) => Math.Abs(kw) >= 10_000 ? Inv($"{kw / 1000:N2} MW") : Inv($"{kw:N0} kW");

    private static string Usd(double usd) => Inv($"${usd:N0}");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
