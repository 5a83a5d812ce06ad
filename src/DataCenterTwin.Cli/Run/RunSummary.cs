using System.Text.Json.Nodes;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Cli.Run;

/// <summary>The run's summary.json: every headline figure with its unit in a <c>units</c> object.</summary>
internal static class RunSummary
{
    private const double KWh = 3.6e6;

    public static JsonObject Build(ScenarioSpec spec, BuiltTwin built, double wallS, bool partial)
    {
        var twin = built.Twin;
        var ledger = twin.Ledger;
        var cooling = twin.Parts.Cooling;
        var o = new JsonObject();
        var units = new JsonObject();
        void Put(string key, double value, string unit)
        {
            o[key] = double.IsFinite(value) ? Math.Round(value, 6) : null;
            units[key] = unit;
        }

        o["scenario"] = spec.Name;
        o["scenario_hash"] = spec.Hash;
        o["seed"] = spec.Run.Seed;
        o["fidelity"] = built.Fidelity.ToString().ToLowerInvariant();
        o["partial"] = partial;
        o["version"] = typeof(RunSummary).Assembly.GetName().Version?.ToString() ?? "0";
        Put("sim_s", ledger.Seconds, "s");
        Put("wall_s", wallS, "s");
        Put("pue", ledger.ItJ > 0 ? ledger.TotalJ / ledger.ItJ : double.NaN, "1");
        Put("energy_it_kwh", ledger.ItJ / KWh, "kWh");
        Put("energy_cooling_kwh", ledger.CoolingJ / KWh, "kWh");
        Put("energy_losses_kwh", ledger.LossesJ / KWh, "kWh");
        Put("energy_other_kwh", ledger.OtherJ / KWh, "kWh");
        Put("energy_total_kwh", ledger.TotalJ / KWh, "kWh");
        Put("energy_grid_kwh", ledger.GridJ / KWh, "kWh");
        Put("energy_generator_kwh", ledger.GeneratorJ / KWh, "kWh");
        Put("energy_ups_kwh", ledger.UpsJ / KWh, "kWh");
        Put("gas_kwh", ledger.GasJ / KWh, "kWh");
        Put("peak_grid_kw", ledger.PeakGridW / 1e3, "kW");
        Put("grid_cap_kw", twin.Parts.Grid.ContractedCapacityW / 1e3, "kW");
        Put("seconds_over_grid_cap", twin.SecondsOverGridLimit, "s");
        Put("cooling_share_of_capacity_peak", ledger.PeakCoolingShareOfCapacity, "1");
        Put("cooling_share_of_capacity_mean", ledger.MeanCoolingShareOfCapacity, "1");
        Put("freed_capacity_peak_kw", ledger.FreedPeakW / 1e3, "kW");
        Put("freed_capacity_p50_kw", ledger.FreedQuantileW(0.5) / 1e3, "kW");
        Put("freed_capacity_kwh", ledger.FreedJ / KWh, "kWh");
        var above = ledger.FreedHoursAbove;
        Put("freed_hours_above_100kw", above[0], "h");
        Put("freed_hours_above_500kw", above[1], "h");
        Put("freed_hours_above_1mw", above[2], "h");
        Put("cost", ledger.CostUsd, "USD");
        Put("cost_energy", ledger.EnergyCostUsd, "USD");
        Put("cost_demand", ledger.DemandChargeUsd, "USD");
        Put("cost_gas", ledger.GasCostUsd, "USD");
        Put("co2_kg", ledger.Co2Kg, "kg");
        Put("co2_grid_kg", ledger.GridCo2Kg, "kg");
        Put("co2_gas_kg", ledger.GasCo2Kg, "kg");
        Put("throttled_accel_hours", cooling.ThrottledAcceleratorHours, "h");
        Put("it_capped_hours", twin.CappedSeconds / 3600, "h");
        Put("peak_demand_draw_kw", twin.PeakDemandDrawW / 1e3, "kW");
        int accelerators = spec.Hall.Racks.Sum(r => r.Accelerators);
        double capW = twin.Parts.Grid.ContractedCapacityW;
        Put("accelerators", accelerators, "1");
        if (double.IsFinite(capW) && twin.PeakDemandDrawW > 0)
        {
            // Accelerators whose uncapped peak draw fills the interconnect, scaling the hall as it is.
            double supported = Math.Floor(accelerators * capW / twin.PeakDemandDrawW);
            Put("accelerators_supported_at_cap", supported, "1");
            Put("extra_accelerators_at_cap", supported - accelerators, "1");
        }

        PlantBooks(Put, twin);
        Put("inlet_outside_allowable_rack_hours", cooling.InletOutsideAllowableRackHours, "h");
        Put("energy_balance_relative_residual", cooling.EnergyBalanceRelativeResidual, "1");
        Put("mean_utilisation", built.Twin.Parts.It.MeanUtilisation, "1");
        Latency(o, units, built);
        EconomicsSummary.Add(o, units, spec, built);
        TrafficSummary.Add(o, units, spec, built);
        Put("events", twin.Outcomes.Count, "1");
        Put("events_survived", twin.Outcomes.Count(e => e.Survived), "1");
        Put("events_logged", twin.EventsLogged, "1");
        if (twin.UpsDepletedAtS is { } depleted)
        {
            Put("ups_depleted_at_s", depleted, "s");
        }

        o["event_outcomes"] = new JsonArray([.. twin.Outcomes.Select(e => (JsonNode)new JsonObject
        {
            ["kind"] = e.Kind,
            ["description"] = e.Description,
            ["start_s"] = e.StartS,
            ["survived"] = e.Survived,
            ["detail"] = e.Detail,
        })]);
        o["units"] = units;
        return o;
    }

    // Plant physics (issue 16): PUE over every carrier, generator diesel, the meter's step peak
    // beside the billed 15-minute peak, engine heat recovered, firm freed capacity.
    private static void PlantBooks(Action<string, double, string> put, Model.Twin.HallTwin twin)
    {
        var ledger = twin.Ledger;
        put("pue_all_carriers", ledger.PueAllCarriers, "1");
        put("peak_grid_step_kw", ledger.PeakGridStepW / 1e3, "kW");
        put("generator_fuel_kwh", ledger.GeneratorFuelJ / KWh, "kWh");
        put("cost_generator_fuel", ledger.GeneratorFuelCostUsd, "USD");
        put("co2_generator_kg", ledger.GeneratorCo2Kg, "kg");
        put("engine_heat_recovered_kwh", ledger.HeatRecoveredJ / KWh, "kWh");
        put("chiller_hours_outside_curve_data", twin.ChillerHoursOutsideCurveData, "h");
        var cooling = twin.Parts.Cooling;
        if (cooling.Plant.Chillers.Any(c => c.FuelW > 0 || c.Spec is Model.Cooling.HybridChillerSpec or Model.Cooling.EngineDrivenChillerSpec))
        {
            var firm = Model.Control.FirmFreedCapacity.Compute(cooling.Spec.Plant, twin.Parts.Weather, cooling.PeakHeatLoad15MinW, cooling.Spec.FacilitySupplySetpointC);
            put("freed_capacity_firm_kw", firm.FirmFreedW / 1e3, "kW");
        }
        else
        {
            put("freed_capacity_firm_kw", 0, "kW");
        }
    }

    private static void Latency(JsonObject o, JsonObject units, BuiltTwin built)
    {
        double completed = 0, rejected = 0, sloMet = 0;
        double[] q = [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN];
        // A fluid run with request-level windows counts both; its percentiles are the windows' (every request seen).
        if (built.FluidHall is { } fluid)
        {
            foreach (var m in fluid.Metrics)
            {
                completed += m.Completed;
                rejected += m.Rejected;
                sloMet += m.SloMet;
            }

            var main = fluid.Metrics.OrderByDescending(m => m.Completed).FirstOrDefault();
            if (main is not null && main.Completed > 0)
            {
                q = [main.Ttft.Quantile(0.5), main.Ttft.Quantile(0.99), main.Tpot.Quantile(0.5), main.Tpot.Quantile(0.99), main.E2e.Quantile(0.5), main.E2e.Quantile(0.99)];
            }
        }

        if (built.RequestHall is { } hall)
        {
            var merged = (Ttft: new Model.Metrics.QuantileSketch(), Tpot: new Model.Metrics.QuantileSketch(), E2e: new Model.Metrics.QuantileSketch());
            long served = 0;
            foreach (var m in hall.Metrics)
            {
                completed += m.Completed;
                rejected += m.Rejected;
                sloMet += m.SloMet;
                served += m.Completed;
                merged.Ttft.Merge(m.Ttft);
                merged.Tpot.Merge(m.Tpot);
                merged.E2e.Merge(m.E2e);
            }

            if (served > 0)
            {
                q = [merged.Ttft.Quantile(0.5), merged.Ttft.Quantile(0.99), merged.Tpot.Quantile(0.5), merged.Tpot.Quantile(0.99), merged.E2e.Quantile(0.5), merged.E2e.Quantile(0.99)];
            }
        }

        string[] names = ["ttft_p50_s", "ttft_p99_s", "tpot_p50_s", "tpot_p99_s", "e2e_p50_s", "e2e_p99_s"];
        o["slo_attainment"] = completed + rejected > 0 ? Math.Round(sloMet / (completed + rejected), 6) : null;
        units["slo_attainment"] = "1";
        o["requests_completed"] = Math.Round(completed, 1);
        units["requests_completed"] = "1";
        o["requests_rejected"] = Math.Round(rejected, 1);
        units["requests_rejected"] = "1";
        for (int i = 0; i < names.Length; i++)
        {
            o[names[i]] = double.IsFinite(q[i]) ? Math.Round(q[i], 6) : null;
            units[names[i]] = "s";
        }
    }
}
