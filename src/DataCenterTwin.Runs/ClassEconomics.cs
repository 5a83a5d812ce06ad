using System.Text.Json.Nodes;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Runs;

/// <summary>
/// A request class's share of the hall's bills, per token: its IT energy (the racks it ran on, split
/// by requests served) scaled to the facility meter, cost and CO2 in proportion to its IT energy, and
/// its revenue at the scenario's price with the part earned by requests that missed their SLO.
/// </summary>
/// <remarks>
/// Cooling, distribution losses, the demand charge and gas follow the IT energy that caused them:
/// a class that drew 30 % of the IT energy carries 30 % of the facility's energy, cost and CO2. Over
/// the classes these add up to the hall's figures when every rack serves a class (no training blocks).
/// </remarks>
internal static class ClassEconomics
{
    /// <summary>Units of the figures under <c>classes</c> that this adds.</summary>
    public static readonly (string Key, string Unit)[] Units =
    [
        ("energy_facility_kwh", "kWh"), ("energy_facility_per_output_token_j", "J"), ("cost", "USD"), ("cost_per_million_tokens", "USD"),
        ("co2_kg", "kg"), ("co2_per_million_tokens_kg", "kg"), ("slo_attainment", "1"), ("revenue", "USD"), ("revenue_at_risk", "USD"),
    ];

    private const double KWh = 3.6e6;

    /// <summary>Adds the per-token figures of class <paramref name="index"/> to its object <paramref name="row"/>.</summary>
    public static void Add(JsonObject row, int index, double itEnergyJ, double outputTokens, ScenarioSpec spec, BuiltTwin built)
    {
        var ledger = built.Twin.Ledger;
        double share = ledger.ItJ > 0 ? itEnergyJ / ledger.ItJ : 0;
        double facilityJ = share * ledger.TotalJ;
        double costUsd = share * ledger.CostUsd;
        double co2Kg = share * ledger.Co2Kg;
        double perMillion = outputTokens > 0 ? 1e6 / outputTokens : double.NaN;
        double attainment = SloAttainment(built, index);
        row["energy_facility_kwh"] = Round(facilityJ / KWh, 3);
        row["energy_facility_per_output_token_j"] = Round(facilityJ / outputTokens, 4);
        row["cost"] = Round(costUsd, 2);
        row["cost_per_million_tokens"] = Round(costUsd * perMillion, 6);
        row["co2_kg"] = Round(co2Kg, 3);
        row["co2_per_million_tokens_kg"] = Round(co2Kg * perMillion, 6);
        row["slo_attainment"] = Round(attainment, 6);
        double price = spec.Economics.PricePerOutputTokenUsd;
        if (double.IsFinite(price))
        {
            // Tokens of requests that missed their SLO are taken at the class's miss rate: the
            // sketches keep latency per request, not tokens per request.
            row["revenue"] = Round(price * outputTokens, 2);
            row["revenue_at_risk"] = Round(price * outputTokens * (double.IsFinite(attainment) ? 1 - attainment : 0), 2);
        }
    }

    // Met over finished (completed or rejected), across the fluid spans and the request windows.
    private static double SloAttainment(BuiltTwin built, int index)
    {
        double met = 0, finished = 0;
        if (built.FluidHall is { } fluid)
        {
            var m = fluid.Metrics[index];
            met += m.SloMet;
            finished += m.Completed + m.Rejected;
        }

        if (built.RequestHall is { } hall)
        {
            var m = hall.Metrics[index];
            met += m.SloMet;
            finished += m.Completed + m.Rejected;
        }

        return finished > 0 ? met / finished : double.NaN;
    }

    private static JsonNode? Round(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : null;
}
