using System.Text.Json;
using System.Text.Json.Nodes;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Runs;

/// <summary>One headline figure of a run: its key in summary.json, value (null when undefined) and unit.</summary>
/// <param name="Key">The snake_case key.</param>
/// <param name="Value">The value, rounded as written; null when it is not defined (no requests, no grid cap).</param>
/// <param name="Unit">Its unit ("kWh", "s", "1").</param>
public readonly record struct SummaryFigure(string Key, double? Value, string Unit);

/// <summary>How one site event went, as summary.json lists it.</summary>
/// <param name="Kind">The event's kind.</param>
/// <param name="Description">The event in words.</param>
/// <param name="StartS">When it started, s since the start.</param>
/// <param name="Survived">Whether the hall came through it within its limits.</param>
/// <param name="Detail">What happened, in words.</param>
public sealed record SummaryEvent(string Kind, string Description, double StartS, bool Survived, string Detail);

/// <summary>
/// A run's results: what summary.json holds, built in one place from a session whatever its
/// fidelity, written by the CLI, read back by <c>compare</c> (and stored by sweeps).
/// </summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="ScenarioHash">The resolved scenario's SHA-256.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Fidelity">"fluid" or "request".</param>
/// <param name="Partial">Whether the run stopped before its horizon.</param>
/// <param name="Version">The dctwin version that made it.</param>
/// <param name="Figures">Every headline figure, in the order written.</param>
/// <param name="Events">How each site event went.</param>
public sealed record RunSummary(string Scenario, string ScenarioHash, ulong Seed, string Fidelity, bool Partial, string Version,
    IReadOnlyList<SummaryFigure> Figures, IReadOnlyList<SummaryEvent> Events)
{
    private const double KWh = 3.6e6;

    /// <summary>Nested results by key (per pool, per class, what the cost catalog could not price), written as they are.</summary>
    public IReadOnlyDictionary<string, JsonNode> Details { get; init; } = new Dictionary<string, JsonNode>(StringComparer.Ordinal);

    /// <summary>Rows written to each trace dataset (the run folder adds them).</summary>
    public IReadOnlyDictionary<string, long>? TraceRows { get; init; }

    /// <summary>The checkpoint a resumed run went on from, s.</summary>
    public double? ResumedFromS { get; init; }

    /// <summary>The figure <paramref name="key"/> (null when undefined or absent).</summary>
    public double? this[string key]
    {
        get
        {
            foreach (var f in Figures)
            {
                if (f.Key == key)
                {
                    return f.Value;
                }
            }

            return null;
        }
    }

    /// <summary>The unit of figure <paramref name="key"/>, or "".</summary>
    public string UnitOf(string key) => Figures.FirstOrDefault(f => f.Key == key).Unit ?? "";

    /// <summary>The summary of <paramref name="session"/> as it stands.</summary>
    public static RunSummary Of(TwinSession session, double wallS, bool partial)
    {
        var spec = session.Spec;
        var built = session.Built;
        var twin = built.Twin;
        var ledger = twin.Ledger;
        var cooling = twin.Parts.Cooling;
        var figures = new List<SummaryFigure>();
        void Put(string key, double value, string unit) => figures.Add(new SummaryFigure(key, double.IsFinite(value) ? Math.Round(value, 6) : null, unit));

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
        PutBusy(Put, twin.Parts.It.Busy, twin.Parts.Simulator.Now.TotalSeconds);
        var (pueTrough, puePeak) = session.Days.Compute(ledger.Seconds);
        Put("pue_daily_trough", pueTrough, "1");
        Put("pue_daily_peak", puePeak, "1");
        var service = session.Service();
        figures.Add(new SummaryFigure("slo_attainment", service.Completed + service.Rejected > 0 ? Math.Round(service.SloMet / (service.Completed + service.Rejected), 6) : null, "1"));
        figures.Add(new SummaryFigure("requests_completed", Math.Round(service.Completed, 1), "1"));
        figures.Add(new SummaryFigure("requests_rejected", Math.Round(service.Rejected, 1), "1"));
        string[] names = ["ttft_p50_s", "ttft_p99_s", "tpot_p50_s", "tpot_p99_s", "e2e_p50_s", "e2e_p99_s"];
        for (int i = 0; i < names.Length; i++)
        {
            Put(names[i], service.Quantiles[i], "s");
        }

        var extra = new JsonObject();
        var extraUnits = new JsonObject();
        EconomicsSummary.Add(extra, extraUnits, spec, built, session.Years);
        TrafficSummary.Add(extra, extraUnits, spec, built);
        FailureSummary.Add(extra, extraUnits, built);
        PlantSummary.Add(extra, extraUnits, twin);
        var details = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (key, node) in extra)
        {
            if (node is JsonObject or JsonArray)
            {
                details[key] = node.DeepClone();
            }
            else
            {
                figures.Add(new SummaryFigure(key, node is JsonValue v && v.TryGetValue(out double d) ? d : null, extraUnits[key]?.GetValue<string>() ?? ""));
            }
        }

        foreach (var (key, unit) in extraUnits)
        {
            // Units of nested figures ("pools.energy_it_kwh") travel as details of the units object.
            if (!extra.ContainsKey(key))
            {
                details["units:" + key] = unit!.DeepClone();
            }
        }

        Put("events", twin.Outcomes.Count, "1");
        Put("events_survived", twin.Outcomes.Count(e => e.Survived), "1");
        Put("events_logged", twin.EventsLogged, "1");
        if (twin.UpsDepletedAtS is { } depleted)
        {
            Put("ups_depleted_at_s", depleted, "s");
        }

        return new RunSummary(spec.Name, spec.Hash, spec.Run.Seed, built.Fidelity.ToString().ToLowerInvariant(), partial,
            typeof(RunSummary).Assembly.GetName().Version?.ToString() ?? "0", figures,
            [.. twin.Outcomes.Select(e => new SummaryEvent(e.Kind, e.Description, e.StartS, e.Survived, e.Detail))])
        {
            Details = details,
        };
    }

    // Plant physics (issue 16): PUE over every carrier, generator diesel, the meter's step peak
    // beside the billed 15-minute peak, engine heat recovered, firm freed capacity.
    // What the accelerators were busy with over the run, in place of a single utilisation: the
    // running batch over the largest, and the shares of accelerator time computing and streaming memory.
    private static void PutBusy(Action<string, double, string> put, Model.Compute.ItBusy busy, double seconds)
    {
        put("mean_batch_occupancy", busy.BatchOccupancy(default, seconds), "1");
        put("mean_compute_busy", busy.ComputeBusy(default, seconds), "1");
        put("mean_memory_busy", busy.MemoryBusy(default, seconds), "1");
    }

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
        put("water_m3", twin.Parts.Cooling.WaterUseM3, "m3");
        put("chillerless_hours", twin.Parts.Cooling.ChillerlessSeconds / 3600, "h");
        put("server_fan_extra_kwh", twin.Parts.Cooling.ServerFanExtraJ / KWh, "kWh");
        put("dry_cooler_fan_kwh", twin.Parts.Cooling.DryCoolerFanJ / KWh, "kWh");
        put("dry_cooler_heat_kwh", twin.Parts.Cooling.DryCoolerHeatJ / KWh, "kWh");
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

    /// <summary>summary.json's object: header, figures, event outcomes, units, then what the run folder adds.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["scenario"] = Scenario,
            ["scenario_hash"] = ScenarioHash,
            ["seed"] = Seed,
            ["fidelity"] = Fidelity,
            ["partial"] = Partial,
            ["version"] = Version,
        };
        var units = new JsonObject();
        foreach (var f in Figures)
        {
            o[f.Key] = f.Value;
            units[f.Key] = f.Unit;
        }

        foreach (var (key, node) in Details)
        {
            if (key.StartsWith("units:", StringComparison.Ordinal))
            {
                units[key["units:".Length..]] = node.DeepClone();
            }
            else
            {
                o[key] = node.DeepClone();
            }
        }

        o["event_outcomes"] = new JsonArray([.. Events.Select(e => (JsonNode)new JsonObject
        {
            ["kind"] = e.Kind,
            ["description"] = e.Description,
            ["start_s"] = e.StartS,
            ["survived"] = e.Survived,
            ["detail"] = e.Detail,
        })]);
        o["units"] = units;
        if (TraceRows is { } rows)
        {
            o["trace_rows"] = new JsonObject([.. rows.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
        }

        if (ResumedFromS is { } from)
        {
            o["resumed_from_s"] = from;
        }

        return o;
    }

    /// <summary>summary.json's text, as the run folder holds it.</summary>
    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>Reads summary.json back; throws <see cref="JsonException"/> when it is not one.</summary>
    public static RunSummary Parse(string json)
    {
        var o = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("the top level is not an object");
        var units = o["units"] as JsonObject ?? new JsonObject();
        string[] header = ["scenario", "scenario_hash", "seed", "fidelity", "partial", "version", "event_outcomes", "units", "trace_rows", "resumed_from_s"];
        var figures = new List<SummaryFigure>();
        var details = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (key, node) in o)
        {
            if (Array.IndexOf(header, key) >= 0)
            {
                continue;
            }

            if (node is JsonObject or JsonArray)
            {
                details[key] = node.DeepClone();
            }
            else
            {
                figures.Add(new SummaryFigure(key, node is JsonValue v && v.TryGetValue(out double d) ? d : null, units[key]?.GetValue<string>() ?? ""));
            }
        }

        foreach (var (key, unit) in units)
        {
            if (unit is not null && !o.ContainsKey(key))
            {
                details["units:" + key] = unit.DeepClone();
            }
        }

        var events = (o["event_outcomes"] as JsonArray ?? []).OfType<JsonObject>().Select(e => new SummaryEvent(
            e["kind"]?.GetValue<string>() ?? "", e["description"]?.GetValue<string>() ?? "", e["start_s"]?.GetValue<double>() ?? 0,
            e["survived"]?.GetValue<bool>() ?? false, e["detail"]?.GetValue<string>() ?? "")).ToList();
        return new RunSummary(o["scenario"]?.GetValue<string>() ?? "", o["scenario_hash"]?.GetValue<string>() ?? "", o["seed"]?.GetValue<ulong>() ?? 0,
            o["fidelity"]?.GetValue<string>() ?? "", o["partial"]?.GetValue<bool>() ?? false, o["version"]?.GetValue<string>() ?? "", figures, events)
        {
            Details = details,
            TraceRows = (o["trace_rows"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<long>()),
            ResumedFromS = o["resumed_from_s"]?.GetValue<double>(),
        };
    }
}

/// <summary>Request counts and latency quantiles over a run, from whichever compute level served them.</summary>
/// <param name="Completed">Requests completed.</param>
/// <param name="Rejected">Requests rejected or shed.</param>
/// <param name="SloMet">Requests that met their SLO.</param>
/// <param name="Quantiles">TTFT p50, p99, TPOT p50, p99, end-to-end p50, p99, s (NaN when none completed).</param>
/// <param name="E2eQuantile">End-to-end latency quantile function, null when nothing completed.</param>
/// <param name="E2eCount">Requests behind <paramref name="E2eQuantile"/>.</param>
public sealed record ServiceFigures(double Completed, double Rejected, double SloMet, double[] Quantiles, Func<double, double>? E2eQuantile, double E2eCount)
{
    /// <summary>
    /// The figures of a built twin: a fluid run with request-level windows counts both; its
    /// percentiles are the windows' (every request seen); otherwise every fluid class's, merged.
    /// </summary>
    public static ServiceFigures Of(BuiltTwin built)
    {
        double completed = 0, rejected = 0, sloMet = 0;
        double[] q = [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN];
        Func<double, double>? e2e = null;
        double e2eCount = 0;
        if (built.FluidHall is { } fluid)
        {
            foreach (var m in fluid.Metrics)
            {
                completed += m.Completed;
                rejected += m.Rejected;
                sloMet += m.SloMet;
            }

            // Every class merged, as the request level reports them: the busiest class alone left the
            // metro hall's code requests (a fifth of them, with the longest prompts) out of its TTFT p99.
            var main = (Ttft: new WeightedQuantiles(), Tpot: new WeightedQuantiles(), E2e: new WeightedQuantiles());
            foreach (var m in fluid.Metrics)
            {
                main.Ttft.Merge(m.Ttft);
                main.Tpot.Merge(m.Tpot);
                main.E2e.Merge(m.E2e);
            }

            if (completed > 0 && main.Ttft.Weight > 0)
            {
                q = [main.Ttft.Quantile(0.5), main.Ttft.Quantile(0.99), main.Tpot.Quantile(0.5), main.Tpot.Quantile(0.99), main.E2e.Quantile(0.5), main.E2e.Quantile(0.99)];
                e2e = main.E2e.Quantile;
                e2eCount = completed;
            }
        }

        if (built.RequestHall is { } hall)
        {
            var merged = (Ttft: new QuantileSketch(), Tpot: new QuantileSketch(), E2e: new QuantileSketch());
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

            if (hall.Metrics.Count > 0)
            {
                // The histogram of a run with requests: every class merged, as before.
                var all = new QuantileSketch();
                double n = 0;
                foreach (var m in hall.Metrics)
                {
                    all.Merge(m.E2e);
                    n += m.Completed;
                }

                e2e = all.Quantile;
                e2eCount = n;
            }
        }

        return new ServiceFigures(completed, rejected, sloMet, q, e2e, e2eCount);
    }
}
