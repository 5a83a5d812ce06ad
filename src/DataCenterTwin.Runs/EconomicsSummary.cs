using System.Text.Json.Nodes;
using DataCenterTwin.Model.Economics;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Economics;

namespace DataCenterTwin.Runs;

/// <summary>
/// The summary's figures per token and over the hall's life: tokens served, energy, cost and CO2 per
/// output token, revenue given a price, capital cost from the cost catalog and the net present cost
/// over the study period (the run's bills and tokens taken as a typical year, scaled to 365 days).
/// </summary>
internal static class EconomicsSummary
{
    private const double SecondsPerYear = 365 * 86400.0;

    public static void Add(JsonObject o, JsonObject units, ScenarioSpec spec, BuiltTwin built, YearBooks? years = null)
    {
        void Put(string key, double value, string unit)
        {
            // Money to the cent: a resolved scenario rereads its values from text, and a sum of
            // millions must not differ in its last binary digits.
            o[key] = double.IsFinite(value) ? Math.Round(value, unit.StartsWith("USD", StringComparison.Ordinal) ? 2 : 6) : null;
            units[key] = unit;
        }

        var ledger = built.Twin.Ledger;
        var (prompt, output, sloMissedOutput) = Tokens(built);
        Put("tokens_prompt", prompt, "1");
        Put("tokens_output", output, "1");
        double perToken = output > 0 ? 1 / output : double.NaN;
        Put("energy_per_output_token_j", ledger.TotalJ * perToken, "J");
        Put("energy_it_per_output_token_j", ledger.ItJ * perToken, "J");
        Put("cost_per_million_tokens", ledger.CostUsd * perToken * 1e6, "USD");
        Put("co2_per_million_tokens_kg", ledger.Co2Kg * perToken * 1e6, "kg");
        double price = spec.Economics.PricePerOutputTokenUsd;
        if (double.IsFinite(price))
        {
            Put("revenue", price * output, "USD");
            Put("revenue_at_risk", price * sloMissedOutput, "USD");
        }

        var capital = CapitalCostEstimator.Estimate(spec, spec.Economics.Catalog);
        Put("capex", capital.TotalUsd, "USD");
        Put("capex_facility", capital.CostUsd(CostCategory.Facility), "USD");
        Put("capex_cooling", capital.CostUsd(CostCategory.Cooling), "USD");
        Put("capex_it", capital.CostUsd(CostCategory.It), "USD");
        o["capex_unpriced"] = new JsonArray([.. capital.Unpriced.Select(u => (JsonNode)u)]);
        if (ledger.Seconds <= 0)
        {
            return;
        }

        double yearScale = SecondsPerYear / ledger.Seconds;
        var e = spec.Economics;
        if (years is not null)
        {
            // A run of several years: each simulated year's bill and tokens (a partial last year
            // scaled to a whole one), the last repeating to the end of the study period.
            var booked = years.Years().Where(y => y.Seconds > 0).ToList();
            double[] bills = [.. booked.Select(y => y.CostUsd * SecondsPerYear / y.Seconds)];
            double[] tokens = [.. booked.Select(y => y.Output * SecondsPerYear / y.Seconds)];
            var multi = LifeCycleCost.Evaluate(capital.Items, bills, e.EnergyEscalation, e.DiscountRate, e.StudyYears);
            Put("study_years", e.StudyYears, "y");
            Put("simulated_years", ledger.Seconds / SecondsPerYear, "y");
            Put("tco_npv", multi.NetPresentCostUsd, "USD");
            Put("tco_annualised", multi.AnnualisedUsdPerYear, "USD/y");
            double present = LifeCycleCost.PresentUnits(tokens, e.DiscountRate, e.StudyYears);
            Put("tco_per_million_tokens", present > 0 ? multi.NetPresentCostUsd / present * 1e6 : double.NaN, "USD");
            o["years"] = years.ToJson();
            foreach (var (key, unit) in YearBooks.Units)
            {
                units["years." + key] = unit;
            }

            return;
        }

        var lcc = LifeCycleCost.Evaluate(capital.Items, ledger.CostUsd * yearScale, e.EnergyEscalation, e.DiscountRate, e.StudyYears);
        Put("study_years", e.StudyYears, "y");
        Put("tco_npv", lcc.NetPresentCostUsd, "USD");
        Put("tco_annualised", lcc.AnnualisedUsdPerYear, "USD/y");
        Put("tco_per_million_tokens", lcc.LevelisedCostPerUnit(output * yearScale) * 1e6, "USD");
    }

    // Both halls count in a fluid run with request-level windows. Tokens of requests that missed
    // their SLO are taken at the class's miss rate (the sketches do not keep tokens per request).
    private static (double Prompt, double Output, double SloMissedOutput) Tokens(BuiltTwin built)
    {
        double prompt = 0, output = 0, missed = 0;
        if (built.FluidHall is { } fluid)
        {
            foreach (var m in fluid.Metrics)
            {
                prompt += m.PromptTokensServed;
                output += m.OutputTokensServed;
                missed += m.OutputTokensServed * (1 - m.SloAttainment);
            }
        }

        if (built.RequestHall is { } hall)
        {
            foreach (var m in hall.Metrics)
            {
                prompt += m.PromptTokensServed;
                output += m.OutputTokensServed;
                missed += m.OutputTokensServed * (1 - m.SloAttainment);
            }
        }

        return (prompt, output, missed);
    }
}
