using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DataCenterTwin.Kernel;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench traffic</c>: a scenario's day at fluid level twice, its pools as the file has them
/// and every pool SLO-driven (the defaults of assets/hardware/fleet-scaling.md), and how far IT power
/// follows the traffic in each: hourly IT power, its trough and peak, per-pool utilisation.
/// </summary>
internal static class TrafficBench
{
    public static Command CreateCommand()
    {
        var scenario = new Option<string>("--scenario") { Description = "The scenario (default scenarios/metro-inference.yaml).", DefaultValueFactory = _ => "scenarios/metro-inference.yaml" };
        var png = new Option<string?>("--png") { Description = "Write the two days' hourly IT power as a PNG here." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("traffic", "IT power over a day with always-on and SLO-driven pools.") { scenario, png, json };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(png), parse.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string scenarioPath, string? png, bool json, TextWriter output, TextWriter error)
    {
        var (spec, errors) = ScenarioLoader.Load(scenarioPath, AssetPaths.FindAssetsDirectory(), new Dictionary<string, string> { ["run.horizon"] = "1 d" });
        if (spec is null)
        {
            Commands.ValidateCommand.PrintErrors(errors, scenarioPath, error);
            return Program.ExitInvalidInput;
        }

        var scaled = spec with { Hall = spec.Hall with { Pools = [.. spec.Hall.Pools.Select(p => p with { Scaling = ScalingDefaults.SloDriven })] } };
        var result = new JsonObject { ["scenario"] = spec.Name };
        var hourly = new List<(string Name, double[] Kw)>();
        foreach (var (name, s) in new[] { ("as-given", spec), ("slo-driven", scaled) })
        {
            var built = TwinBuilder.Build(s, Fidelity.Fluid);
            built.Twin.RunUntil(SimTime.FromDays(1));
            built.Twin.Flush();
            var days = built.Twin.Ledger.ItPower;
            var kw = Enumerable.Range(0, days.Hours).Select(h => days.HourlyW(h) / 1e3).ToArray();
            hourly.Add((name, kw));
            var pools = new JsonObject();
            var totals = built.FluidHall!.PoolTotals();
            foreach (var t in totals)
            {
                pools[t.Name] = Math.Round(t.Utilisation(86_400), 4);
            }

            result[name] = new JsonObject
            {
                ["it_energy_kwh"] = Math.Round(built.Twin.Ledger.ItJ / 3.6e6, 1),
                ["trough_kw"] = Math.Round(days.DailyTroughW / 1e3, 1),
                ["peak_kw"] = Math.Round(days.DailyPeakW / 1e3, 1),
                ["trough_to_peak"] = Math.Round(days.TroughToPeak, 4),
                ["hours_below_30pct_of_peak"] = days.HoursBelow(0.3),
                ["pool_utilisation"] = pools,
                ["hourly_it_kw"] = new JsonArray([.. kw.Select(v => (JsonNode)Math.Round(v, 1))]),
            };
        }

        if (png is not null)
        {
            double[] hour = [.. Enumerable.Range(0, hourly[0].Kw.Length).Select(h => (double)h)];
            PlantDayPng.Write(png, hour,
            [
                ($"{spec.Name}: hourly IT power over a day (fluid)", "kW",
                    [.. hourly.Select(x => (x.Name == "as-given" ? "pools as given" : "every pool SLO-driven", x.Kw, true, false))], null),
            ]);
        }

        if (json)
        {
            output.WriteLine(result.ToJsonString());
            return Program.ExitOk;
        }

        foreach (var name in new[] { "as-given", "slo-driven" })
        {
            var r = result[name]!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-11} IT {r["it_energy_kwh"]} kWh/day, trough {r["trough_kw"]} kW, peak {r["peak_kw"]} kW, trough/peak {r["trough_to_peak"]}, hours below 30 % of peak {r["hours_below_30pct_of_peak"]}; utilisation {r["pool_utilisation"]!.ToJsonString()}"));
        }

        return Program.ExitOk;
    }
}
