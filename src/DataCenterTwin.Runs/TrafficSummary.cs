using System.Text.Json.Nodes;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Runs;

/// <summary>
/// The summary's traffic figures: per pool and per class what was served and what it cost
/// (<c>pools</c>, <c>classes</c>), and how far IT power follows the day (<c>it_power_*</c>).
/// Units of the nested figures are in <c>units</c> under <c>pools.FIELD</c> and <c>classes.FIELD</c>.
/// </summary>
internal static class TrafficSummary
{
    private const double KWh = 3.6e6;

    public static void Add(JsonObject o, JsonObject units, ScenarioSpec spec, BuiltTwin built)
    {
        void Put(string key, double value, string unit)
        {
            o[key] = double.IsFinite(value) ? Math.Round(value, 6) : null;
            units[key] = unit;
        }

        var days = built.Twin.Ledger.ItPower;
        Put("it_power_daily_trough_kw", days.DailyTroughW / 1e3, "kW");
        Put("it_power_daily_peak_kw", days.DailyPeakW / 1e3, "kW");
        Put("it_power_trough_to_peak", days.TroughToPeak, "1");
        Put("it_hours_below_30pct_of_peak", days.HoursBelow(0.3), "h");

        var hall = spec.Hall;
        if (hall.Pools.Count == 0)
        {
            return;
        }

        double seconds = built.Twin.Ledger.Seconds;
        var it = built.Twin.Parts.It;
        var totals = Totals(built, hall.Pools.Count);
        if (built.FluidHall is not null && built.RequestHall is not null)
        {
            // Requests in flight when a request-level window closes finish on the request model while
            // the fluid model already carries the racks (WindowedItLoad): the two halls' busy times
            // overlap there. The IT load's account, rack by rack, counts whichever model ran once.
            var utilisation = new double[it.RackCount];
            it.RackUtilisation(utilisation);
            for (int p = 0; p < hall.Pools.Count; p++)
            {
                var ps = hall.Pools[p];
                double busyS = 0;
                for (int k = ps.FirstRack; k < ps.FirstRack + ps.RackCount; k++)
                {
                    busyS += utilisation[k] * it.RackAccelerators(k) * seconds;
                }

                totals[p] = totals[p] with { BusyAcceleratorSeconds = busyS };
            }
        }

        var pools = new JsonObject();
        var poolEnergyJ = new double[hall.Pools.Count];
        for (int p = 0; p < hall.Pools.Count; p++)
        {
            var ps = hall.Pools[p];
            for (int k = ps.FirstRack; k < ps.FirstRack + ps.RackCount; k++)
            {
                // The facility's account of the racks: exact across fluid spans and request windows.
                poolEnergyJ[p] += it.RackEnergyJ(k);
            }

            var t = totals[p];
            pools[ps.Name] = new JsonObject
            {
                ["accelerators"] = t.Accelerators,
                ["requests"] = Math.Round(t.Requests, 1),
                ["prompt_tokens"] = Math.Round(t.PromptTokens),
                ["output_tokens"] = Math.Round(t.OutputTokens),
                ["utilisation"] = Math.Round(t.Utilisation(seconds), 6),
                ["energy_it_kwh"] = Math.Round(poolEnergyJ[p] / KWh, 3),
                ["mean_power_kw"] = seconds > 0 ? Math.Round(poolEnergyJ[p] / seconds / 1e3, 3) : null,
            };
        }

        o["pools"] = pools;
        (string Key, string Unit)[] poolUnits =
            [("accelerators", "1"), ("requests", "1"), ("prompt_tokens", "1"), ("output_tokens", "1"), ("utilisation", "1"), ("energy_it_kwh", "kWh"), ("mean_power_kw", "kW")];
        foreach (var (key, unit) in poolUnits)
        {
            units["pools." + key] = unit;
        }

        var classSpecs = spec.Workload.Classes.Select(c => c.Class).ToList();
        if (classSpecs.Count == 0)
        {
            return;
        }

        var shares = PoolRouting.Shares(new ComputeHallSpec(hall.Racks.Count, hall.Pools, classSpecs));
        var c = ClassCounts(built, classSpecs.Count);

        // A pool's rack energy goes to its classes in proportion to the requests of each it served
        // (the class's completions times its share of them routed to the pool).
        var weight = new double[classSpecs.Count, hall.Pools.Count];
        var poolWeight = new double[hall.Pools.Count];
        for (int ci = 0; ci < classSpecs.Count; ci++)
        {
            for (int p = 0; p < hall.Pools.Count; p++)
            {
                weight[ci, p] = c[ci].Completed * shares[ci][p];
                poolWeight[p] += weight[ci, p];
            }
        }

        var classes = new JsonObject();
        for (int ci = 0; ci < classSpecs.Count; ci++)
        {
            double energy = 0;
            var routed = new JsonObject();
            for (int p = 0; p < hall.Pools.Count; p++)
            {
                if (shares[ci][p] > 0)
                {
                    routed[hall.Pools[p].Name] = Math.Round(shares[ci][p], 6);
                }

                energy += poolWeight[p] > 0 ? poolEnergyJ[p] * weight[ci, p] / poolWeight[p] : 0;
            }

            classes[classSpecs[ci].Name] = new JsonObject
            {
                ["requests_arrived"] = Math.Round(c[ci].Arrived, 1),
                ["requests_completed"] = Math.Round(c[ci].Completed, 1),
                ["requests_rejected"] = Math.Round(c[ci].Rejected, 1),
                ["prompt_tokens"] = Math.Round(c[ci].Prompt),
                ["output_tokens"] = Math.Round(c[ci].Output),
                ["energy_it_kwh"] = Math.Round(energy / KWh, 3),
                ["energy_per_output_token_j"] = c[ci].Output > 0 ? Math.Round(energy / c[ci].Output, 4) : null,
                ["pool_shares"] = routed,
            };
            ClassEconomics.Add((JsonObject)classes[classSpecs[ci].Name]!, ci, energy, c[ci].Output, spec, built);
        }

        o["classes"] = classes;
        (string Key, string Unit)[] classUnits =
            [("requests_arrived", "1"), ("requests_completed", "1"), ("requests_rejected", "1"), ("prompt_tokens", "1"), ("output_tokens", "1"),
             ("energy_it_kwh", "kWh"), ("energy_per_output_token_j", "J"), ("pool_shares", "1")];
        foreach (var (key, unit) in classUnits.Concat(ClassEconomics.Units))
        {
            units["classes." + key] = unit;
        }
    }

    // A fluid run with request-level windows: each model counts its own spans.
    private static PoolTotals[] Totals(BuiltTwin built, int pools)
    {
        PoolTotals[]? sum = null;
        // A pool's dispatch groups are pools of their own in the request hall: reported as the pool.
        var request = built.RequestHall is { } rh ? DispatchGroups.Merge(rh.PoolTotals(), [.. rh.Pools.Select(p => p.Spec)]) : null;
        foreach (var part in new[] { built.FluidHall?.PoolTotals(), request })
        {
            if (part is null)
            {
                continue;
            }

            sum = sum is null ? [.. part] : [.. sum.Zip(part, (a, b) => a + b)];
        }

        return sum ?? new PoolTotals[pools];
    }

    private static (double Arrived, double Completed, double Rejected, double Prompt, double Output)[] ClassCounts(BuiltTwin built, int classes)
    {
        var result = new (double Arrived, double Completed, double Rejected, double Prompt, double Output)[classes];
        if (built.FluidHall is { } fluid)
        {
            for (int i = 0; i < classes; i++)
            {
                var m = fluid.Metrics[i];
                result[i] = (m.Arrived, m.Completed, m.Rejected, m.PromptTokensServed, m.OutputTokensServed);
            }
        }

        if (built.RequestHall is { } hall)
        {
            for (int i = 0; i < classes; i++)
            {
                var m = hall.Metrics[i];
                var r = result[i];
                result[i] = (r.Arrived + m.Arrived, r.Completed + m.Completed, r.Rejected + m.Rejected, r.Prompt + m.PromptTokensServed, r.Output + m.OutputTokensServed);
            }
        }

        return result;
    }
}
