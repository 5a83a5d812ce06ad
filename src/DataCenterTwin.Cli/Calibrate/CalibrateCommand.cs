using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DataCenterTwin.Calibration.Output;
using DataCenterTwin.Calibration.Twin;
using DataCenterTwin.Cli.Commands;
using DataCenterTwin.Runs.Folder;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Cli.Calibrate;

/// <summary>
/// <c>dctwin calibrate SCENARIO --calibration FILE --out DIR</c>: fits the parameters the calibration
/// file names to its telemetry and writes the fitted scenario (posterior means, uncertainty in
/// comments), the posterior draws (Parquet), the report page and calibration.json.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("SCENARIO") { Description = "The scenario file (YAML)." };
        var file = new Option<string>("--calibration") { Description = "The calibration file: parameters with priors, observed series with noise models.", Required = true };
        var outDir = new Option<string>("--out") { Description = "Folder for the outputs.", DefaultValueFactory = _ => "calibration" };
        var method = new Option<string>("--method") { Description = "mcmc (default) or laplace (the mode and its Laplace approximation only).", DefaultValueFactory = _ => "mcmc" };
        var chains = new Option<int?>("--chains") { Description = "Override sampling.chains." };
        var warmup = new Option<int?>("--warmup") { Description = "Override sampling.warmup." };
        var draws = new Option<int?>("--draws") { Description = "Override sampling.draws." };
        var seed = new Option<ulong?>("--seed") { Description = "Override sampling.seed." };
        var json = new Option<bool>("--json") { Description = "Print calibration.json instead of the table." };
        var command = new Command("calibrate", "Fit scenario parameters to telemetry (Bayesian: MAP, then MCMC) and write the fitted scenario, posterior draws and a report.")
        {
            scenario, file, outDir, method, chains, warmup, draws, seed, json,
        };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(file)!, parse.GetValue(outDir)!, parse.GetValue(method)!,
            parse.GetValue(chains), parse.GetValue(warmup), parse.GetValue(draws), parse.GetValue(seed), parse.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string scenarioPath, string calibrationPath, string outDir, string methodName, int? chains, int? warmup, int? draws, ulong? seed,
        bool json, TextWriter output, TextWriter error)
    {
        if (methodName is not ("mcmc" or "laplace"))
        {
            error.WriteLine($"error: --method: expected mcmc or laplace, got {methodName}");
            return Program.ExitInvalidInput;
        }

        var (spec, errors) = CalibrationSpec.Load(calibrationPath);
        if (spec is null)
        {
            ValidateCommand.PrintErrors(errors, calibrationPath, error);
            return Program.ExitInvalidInput;
        }

        string? assets = AssetPaths.FindAssetsDirectory();
        TwinCalibration calibration;
        try
        {
            var series = Telemetry.Read(spec.Observations);
            var model = new TwinForwardModel(scenarioPath, assets, spec.Parameters, series);
            calibration = new TwinCalibration(model, spec.Parameters);
        }
        catch (TelemetryException ex)
        {
            error.WriteLine($"error: telemetry: {ex.Message}");
            return Program.ExitInvalidInput;
        }
        catch (Runs.ScenarioException ex)
        {
            ValidateCommand.PrintErrors(ex.Errors, scenarioPath, error);
            return Program.ExitInvalidInput;
        }

        var problems = calibration.Check();
        if (problems.Count > 0)
        {
            foreach (string p in problems)
            {
                error.WriteLine($"error: {calibrationPath}: {p}");
            }

            error.WriteLine($"{calibrationPath}: {problems.Count} error{(problems.Count == 1 ? "" : "s")}; nothing was fitted");
            return Program.ExitInvalidInput;
        }

        var s = spec.Sampling;
        var options = s with { Chains = chains ?? s.Chains, Warmup = warmup ?? s.Warmup, Draws = draws ?? s.Draws, Seed = seed ?? s.Seed };
        var clock = Stopwatch.StartNew();
        var result = calibration.Fit(methodName == "mcmc" ? PosteriorMethod.Mcmc : PosteriorMethod.Laplace, options, spec.PredictiveDraws);
        double wallS = clock.Elapsed.TotalSeconds;

        Directory.CreateDirectory(outDir);
        string name = Path.GetFileNameWithoutExtension(scenarioPath);
        RunFolder.WriteAtomically(Path.Combine(outDir, $"{name}.fitted.yaml"), FittedScenario.Write(result, scenarioPath, assets));
        PosteriorFile.Write(Path.Combine(outDir, "posterior.parquet"), result, seed: options.Seed);
        RunFolder.WriteAtomically(Path.Combine(outDir, "report.html"), CalibrationReport.Write($"{name}: calibration", result, wallS));
        var summary = Summary(result, wallS);
        RunFolder.WriteAtomically(Path.Combine(outDir, "calibration.json"), summary.ToJsonString(new() { WriteIndented = true }) + "\n");
        if (json)
        {
            output.WriteLine(summary.ToJsonString(new() { WriteIndented = true }));
            return Program.ExitOk;
        }

        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(inv, "{0,-28} {1,12} {2,12} {3,12} {4,12} {5,8} {6,8}  {7}", "parameter", "mean", "sd", "5 %", "95 %", "R-hat", "ESS", "identified"));
        foreach (var p in result.Parameters)
        {
            var x = p.Summary;
            output.WriteLine(string.Format(inv, "{0,-28} {1,12:G5} {2,12:G4} {3,12:G5} {4,12:G5} {5,8:F3} {6,8:F0}  {7}", p.Spec.Name, x.Mean, x.StandardDeviation, x.Q05, x.Q95,
                x.Rhat, x.EffectiveSampleSize, p.Identified ? "yes" : $"NO (posterior {p.WidthRatio:F2} of the prior's width)"));
        }

        output.WriteLine(result.Converged ? "converged: every R-hat < 1.01 and ESS > 400" : "NOT converged: " + string.Join("; ", result.ConvergenceProblems));
        output.WriteLine(string.Format(inv, "{0:N0} twin runs in {1:F1} s ({2:F1} per s); {3} missing intervals and {4} empty values skipped; outputs in {5}",
            result.Evaluations, wallS, result.Evaluations / wallS, result.Gaps, result.MissingValues, outDir));
        return Program.ExitOk;
    }

    internal static JsonObject Summary(CalibrationResult result, double wallS)
    {
        var parameters = new JsonArray();
        foreach (var p in result.Parameters)
        {
            var x = p.Summary;
            parameters.Add(new JsonObject
            {
                ["name"] = p.Spec.Name,
                ["path"] = p.Spec.Path,
                ["unit"] = p.Spec.Unit,
                ["prior_mean"] = p.Spec.Prior.Mean,
                ["prior_sd"] = p.PriorSd,
                ["mean"] = x.Mean,
                ["sd"] = x.StandardDeviation,
                ["q05"] = x.Q05,
                ["q95"] = x.Q95,
                ["rhat"] = double.IsFinite(x.Rhat) ? x.Rhat : null,
                ["ess"] = double.IsFinite(x.EffectiveSampleSize) ? x.EffectiveSampleSize : null,
                ["identified"] = p.Identified,
            });
        }

        return new JsonObject
        {
            ["method"] = result.Method == PosteriorMethod.Mcmc ? "mcmc" : "laplace",
            ["converged"] = result.Converged,
            ["problems"] = new JsonArray([.. result.ConvergenceProblems.Select(p => (JsonNode)p)]),
            ["restarted_chains"] = result.Samples?.RestartedChains ?? 0,
            ["twin_runs"] = result.Evaluations,
            ["wall_s"] = Math.Round(wallS, 3),
            ["likelihoods_per_s"] = Math.Round(result.Evaluations / wallS, 3),
            ["telemetry_gaps_skipped"] = result.Gaps,
            ["telemetry_empty_values_skipped"] = result.MissingValues,
            ["parameters"] = parameters,
        };
    }
}
