using System.Globalization;
using System.Text.Json.Nodes;

namespace DataCenterTwin.Cli.Run;

/// <summary>The summary as a table on the terminal: the figures a design team reads first.</summary>
internal static class SummaryTable
{
    private static readonly (string Key, string Label)[] Rows =
    [
        ("energy_it_kwh", "IT energy"), ("energy_cooling_kwh", "cooling energy"), ("energy_total_kwh", "facility energy"),
        ("gas_kwh", "gas burned (HHV)"), ("pue", "PUE"), ("peak_grid_kw", "peak grid draw"), ("grid_cap_kw", "grid capacity"),
        ("seconds_over_grid_cap", "time over the grid cap"), ("freed_capacity_peak_kw", "freed capacity, peak"),
        ("freed_capacity_p50_kw", "freed capacity, median"), ("freed_capacity_kwh", "freed energy"), ("cost", "cost"),
        ("co2_kg", "CO2"), ("throttled_accel_hours", "throttled accelerator-hours"), ("mean_batch_occupancy", "mean batch occupancy"), ("mean_compute_busy", "compute busy"), ("mean_memory_busy", "memory busy"),
        ("requests_completed", "requests completed"), ("requests_rejected", "requests rejected"), ("slo_attainment", "SLO attainment"),
        ("ttft_p50_s", "TTFT p50"), ("ttft_p99_s", "TTFT p99"), ("tpot_p50_s", "TPOT p50"), ("e2e_p50_s", "end-to-end p50"),
        ("e2e_p99_s", "end-to-end p99"), ("events", "site events"), ("events_survived", "events survived"),
        ("sim_s", "simulated"), ("wall_s", "wall time"),
    ];

    public static void Print(JsonObject summary, TextWriter output)
    {
        var units = summary["units"] as JsonObject;
        output.WriteLine();
        foreach (var (key, label) in Rows)
        {
            if (summary[key] is not JsonValue v || !v.TryGetValue(out double d))
            {
                continue;
            }

            string unit = units?[key]?.GetValue<string>() ?? "";
            string text = unit == "1" && key is "slo_attainment" or "mean_batch_occupancy" or "mean_compute_busy" or "mean_memory_busy"
                ? d.ToString("P2", CultureInfo.InvariantCulture)
                : Math.Abs(d) >= 1000 ? d.ToString("N0", CultureInfo.InvariantCulture) : d.ToString("G5", CultureInfo.InvariantCulture);
            output.WriteLine($"  {label,-30} {text,16} {(unit == "1" ? "" : unit)}");
        }

        output.WriteLine();
    }
}
