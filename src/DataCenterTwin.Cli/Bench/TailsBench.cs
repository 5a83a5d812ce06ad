using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench tails</c>: each scenario's horizon (default a day) at fluid and at request level, and
/// the latency figures of every request class side by side (TTFT and TPOT p50 and p99, end-to-end p99,
/// SLO attainment), with the classes merged as the summary reports them. A request-level day of a
/// large hall takes many minutes, so <c>--reference</c> takes the request-level figures from an earlier
/// <c>--json</c> output and only the fluid runs are repeated.
/// </summary>
internal static class TailsBench
{
    private static readonly string[] s_figures = ["ttft_p50_s", "ttft_p99_s", "tpot_p50_s", "tpot_p99_s", "e2e_p99_s", "slo_attainment"];

    public static Command CreateCommand()
    {
        var scenarios = new Argument<string[]>("scenarios") { Description = "Scenario files.", Arity = ArgumentArity.OneOrMore };
        var horizon = new Option<string>("--horizon") { Description = "Simulated time of each run.", DefaultValueFactory = _ => "1 d" };
        var fidelity = new Option<string>("--fidelity") { Description = "both, fluid or request.", DefaultValueFactory = _ => "both" };
        var reference = new Option<string?>("--reference") { Description = "A previous --json output: its request-level figures are used and not run again." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var markdown = new Option<bool>("--markdown") { Description = "Print a Markdown table." };
        var command = new Command("tails", "Latency percentiles per request class, fluid against request level.") { scenarios, horizon, fidelity, reference, json, markdown };
        command.SetAction(parse => Run(parse.GetValue(scenarios)!, parse.GetValue(horizon)!, parse.GetValue(fidelity)!, parse.GetValue(reference), parse.GetValue(json), parse.GetValue(markdown), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string[] scenarioPaths, string horizon, string fidelity, string? referencePath, bool json, bool markdown, TextWriter output, TextWriter error)
    {
        if (fidelity is not ("both" or "fluid" or "request"))
        {
            error.WriteLine($"--fidelity: expected both, fluid or request, got \"{fidelity}\"");
            return Program.ExitInvalidInput;
        }

        var reference = referencePath is null ? null : JsonNode.Parse(File.ReadAllText(referencePath))?.AsObject();
        var result = new JsonObject { ["horizon"] = horizon };
        foreach (string path in scenarioPaths)
        {
            var (spec, errors) = ScenarioLoader.Load(path, AssetPaths.FindAssetsDirectory(), new Dictionary<string, string> { ["run.horizon"] = horizon });
            if (spec is null)
            {
                Commands.ValidateCommand.PrintErrors(errors, path, error);
                return Program.ExitInvalidInput;
            }

            var entry = new JsonObject();
            if (fidelity is "both" or "fluid")
            {
                entry["fluid"] = Measure(spec, Fidelity.Fluid);
            }

            if (reference?[spec.Name]?["request"] is { } known)
            {
                entry["request"] = known.DeepClone();
            }
            else if (fidelity is "both" or "request")
            {
                entry["request"] = Measure(spec, Fidelity.Request);
            }

            result[spec.Name] = entry;
        }

        output.WriteLine(json ? result.ToJsonString() : markdown ? Markdown(result) : Text(result));
        return Program.ExitOk;
    }

    // One run: per class and for every class merged, the figures in s_figures, plus requests and wall time.
    private static JsonObject Measure(ScenarioSpec spec, Fidelity fidelity)
    {
        var built = TwinBuilder.Build(spec, fidelity);
        var clock = Stopwatch.StartNew();
        built.Twin.RunUntil(spec.Run.Horizon);
        built.Twin.Flush();
        var classes = new JsonObject();
        if (built.FluidHall is { } fluid)
        {
            var all = (Ttft: new WeightedQuantiles(), Tpot: new WeightedQuantiles(), E2e: new WeightedQuantiles());
            double completed = 0, rejected = 0, met = 0;
            foreach (var m in fluid.Metrics)
            {
                classes[m.ClassName] = Figures(m.Completed, m.Ttft.Quantile, m.Tpot.Quantile, m.E2e.Quantile, m.SloAttainment);
                all.Ttft.Merge(m.Ttft);
                all.Tpot.Merge(m.Tpot);
                all.E2e.Merge(m.E2e);
                (completed, rejected, met) = (completed + m.Completed, rejected + m.Rejected, met + m.SloMet);
            }

            classes["all"] = Figures(completed, all.Ttft.Quantile, all.Tpot.Quantile, all.E2e.Quantile, completed + rejected > 0 ? met / (completed + rejected) : 1);
        }
        else if (built.RequestHall is { } hall)
        {
            var all = (Ttft: new QuantileSketch(), Tpot: new QuantileSketch(), E2e: new QuantileSketch());
            long completed = 0, rejected = 0, met = 0;
            foreach (var m in hall.Metrics)
            {
                classes[m.ClassName] = Figures(m.Completed, m.Ttft.Quantile, m.Tpot.Quantile, m.E2e.Quantile, m.SloAttainment);
                all.Ttft.Merge(m.Ttft);
                all.Tpot.Merge(m.Tpot);
                all.E2e.Merge(m.E2e);
                (completed, rejected, met) = (completed + m.Completed, rejected + m.Rejected, met + m.SloMet);
            }

            classes["all"] = Figures(completed, all.Ttft.Quantile, all.Tpot.Quantile, all.E2e.Quantile, completed + rejected > 0 ? met / (double)(completed + rejected) : 1);
        }

        return new JsonObject
        {
            ["wall_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["it_energy_kwh"] = Math.Round(built.Twin.Ledger.ItJ / 3.6e6, 1),
            ["classes"] = classes,
        };
    }

    private static JsonObject Figures(double completed, Func<double, double> ttft, Func<double, double> tpot, Func<double, double> e2e, double slo)
    {
        var o = new JsonObject { ["requests"] = Math.Round(completed) };
        double[] values = completed > 0 ? [ttft(0.5), ttft(0.99), tpot(0.5), tpot(0.99), e2e(0.99), slo] : [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, slo];
        for (int i = 0; i < s_figures.Length; i++)
        {
            o[s_figures[i]] = double.IsFinite(values[i]) ? Math.Round(values[i], 6) : null;
        }

        return o;
    }

    private static IEnumerable<(string Scenario, string Class, JsonNode? Fluid, JsonNode? Request)> Rows(JsonObject result)
    {
        foreach (var (scenario, node) in result)
        {
            if (node is not JsonObject entry)
            {
                continue;
            }

            var names = new List<string>();
            foreach (var side in new[] { entry["fluid"], entry["request"] })
            {
                if (side?["classes"] is JsonObject cs)
                {
                    names.AddRange(cs.Select(kv => kv.Key).Where(n => !names.Contains(n)));
                }
            }

            foreach (string name in names)
            {
                yield return (scenario, name, entry["fluid"]?["classes"]?[name], entry["request"]?["classes"]?[name]);
            }
        }
    }

    // "0.123 / 0.456 (+3 %)": fluid, request, and the fluid's difference (points for SLO attainment).
    private static string Cell(JsonNode? fluid, JsonNode? request, string figure)
    {
        double f = fluid?[figure]?.GetValue<double>() ?? double.NaN;
        double r = request?[figure]?.GetValue<double>() ?? double.NaN;
        var inv = CultureInfo.InvariantCulture;
        if (figure == "slo_attainment")
        {
            string diffPt = double.IsFinite(f) && double.IsFinite(r) ? string.Format(inv, " ({0:+0.00;-0.00} pt)", (f - r) * 100) : "";
            return string.Format(inv, "{0} / {1}{2}", Pct(f), Pct(r), diffPt);
        }

        // Rounded before formatting: a difference of −0.4 % is "+0 %", not "-+0 %" (the custom format's sign of a negative zero).
        string diff = double.IsFinite(f) && double.IsFinite(r) && r > 0 ? string.Format(inv, " ({0:+0;-0;+0} %)", Math.Round(((f / r) - 1) * 100) + 0.0) : "";
        return string.Format(inv, "{0} / {1}{2}", Num(f), Num(r), diff);

        static string Num(double v) => double.IsFinite(v) ? v.ToString(v < 1 ? "F3" : "F2", CultureInfo.InvariantCulture) : "-";
        static string Pct(double v) => double.IsFinite(v) ? (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %" : "-";
    }

    private static string Markdown(JsonObject result)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Fluid / request level over {result["horizon"]} (fluid's difference):").AppendLine();
        sb.AppendLine("| scenario | class | requests | TTFT p50, s | TTFT p99, s | TPOT p50, s | TPOT p99, s | E2E p99, s | SLO attainment |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (scenario, name, f, r) in Rows(result))
        {
            double n = (r ?? f)?["requests"]?.GetValue<double>() ?? 0;
            sb.Append(CultureInfo.InvariantCulture, $"| {scenario} | {name} | {n:N0} |");
            foreach (string figure in s_figures)
            {
                sb.Append(' ').Append(Cell(f, r, figure)).Append(" |");
            }

            sb.AppendLine();
        }

        return sb.ToString().TrimEnd();
    }

    private static string Text(JsonObject result)
    {
        var sb = new StringBuilder();
        foreach (var (scenario, name, f, r) in Rows(result))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{scenario} {name}:");
            foreach (string figure in s_figures)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {figure} {Cell(f, r, figure)};");
            }

            sb.AppendLine();
        }

        foreach (var (scenario, node) in result)
        {
            if (node is JsonObject entry)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{scenario}: wall fluid {entry["fluid"]?["wall_s"]} s, request {entry["request"]?["wall_s"]} s; IT energy fluid {entry["fluid"]?["it_energy_kwh"]} kWh, request {entry["request"]?["it_energy_kwh"]} kWh");
            }
        }

        return sb.ToString().TrimEnd();
    }
}
