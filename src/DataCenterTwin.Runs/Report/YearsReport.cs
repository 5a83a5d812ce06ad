using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DataCenterTwin.Runs.Report;

/// <summary>The report's table of a run of several years, one row a year, from the summary's <c>years</c>.</summary>
internal static class YearsReport
{
    public static string Render(JsonObject summary)
    {
        if (summary["years"] is not JsonArray years || years.Count == 0)
        {
            return "";
        }

        var units = summary["units"] as JsonObject;
        var fields = years.OfType<JsonObject>().SelectMany(y => y.Select(kv => kv.Key)).Distinct().ToList();
        var html = new StringBuilder("<h2>Year by year</h2><table><tr>");
        foreach (string f in fields)
        {
            string unit = units?[$"years.{f}"] is JsonValue u ? u.GetValue<string>() : "";
            html.Append("<th>").Append(Esc(f.Replace('_', ' '))).Append(unit is "" or "1" ? "" : $" ({Esc(unit)})").Append("</th>");
        }

        html.Append("</tr>");
        foreach (var y in years.OfType<JsonObject>())
        {
            html.Append("<tr>");
            foreach (string f in fields)
            {
                string text = y[f] is JsonValue v && v.TryGetValue(out double d)
                    ? (Math.Abs(d) >= 100 ? d.ToString("N0", CultureInfo.InvariantCulture) : d.ToString("0.####", CultureInfo.InvariantCulture))
                    : "–";
                html.Append("<td>").Append(Esc(text)).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
