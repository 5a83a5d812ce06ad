using System.Text.Json.Nodes;

namespace DataCenterTwin.Runs;

/// <summary>The plant's figures that are not single numbers: PUE by calendar month.</summary>
internal static class PlantSummary
{
    /// <summary>Adds <c>pue_by_month</c> (12 values, January first; null for a month the run did not reach).</summary>
    public static void Add(JsonObject extra, JsonObject units, Model.Twin.HallTwin twin)
    {
        var months = new JsonArray();
        for (int m = 1; m <= 12; m++)
        {
            double pue = twin.Ledger.PueInMonth(m);
            months.Add(double.IsFinite(pue) ? JsonValue.Create(Math.Round(pue, 6)) : null);
        }

        extra["pue_by_month"] = months;
        units["pue_by_month"] = "1";
    }
}
