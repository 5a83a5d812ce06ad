using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DataCenterTwin.Runs.Report;

/// <summary>The report's per-pool and per-class tables, from the summary's <c>pools</c> and <c>classes</c>.</summary>
internal static class TrafficReport
{
    public static string Render(JsonObject summary)
    {
        var html = new StringBuilder();
        var units = summary["units"] as JsonObject;
        foreach (var (group, heading) in new[] { ("pools", "Pools: what each served"), ("classes", "Request classes") })
        {
            if (summary[group] is not JsonObject rows || rows.Count == 0)
            {
                continue;
            }

            var fields = rows.Select(r => r.Value as JsonObject ?? []).SelectMany(r => r.Select(kv => kv.Key)).Distinct().ToList();
            html.Append("<h2>").Append(Esc(heading)).Append("</h2><table><tr><th>").Append(group == "pools" ? "pool" : "class").Append("</th>");
            foreach (string f in fields)
            {
                string unit = units?[$"{group}.{f}"] is JsonValue u ? u.GetValue<string>() : "";
                html.Append("<th>").Append(Esc(f.Replace('_', ' '))).Append(unit is "" or "1" ? "" : $" ({Esc(unit)})").Append("</th>");
            }

            html.Append("</tr>");
            foreach (var (name, value) in rows)
            {
                html.Append("<tr><td>").Append(Esc(name)).Append("</td>");
                foreach (string f in fields)
                {
                    html.Append("<td>").Append(Esc(Format((value as JsonObject)?[f]))).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
        }

        return html.ToString();
    }

    private static string Format(JsonNode? node) => node switch
    {
        null => "–",
        JsonValue v when v.TryGetValue(out double d) =>
            Math.Abs(d) >= 100 ? d.ToString("N0", CultureInfo.InvariantCulture) : d.ToString("0.####", CultureInfo.InvariantCulture),
        JsonObject o => string.Join(", ", o.Select(kv => $"{kv.Key} {Format(kv.Value)}")),
        _ => node.ToString(),
    };

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
