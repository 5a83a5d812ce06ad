using System.CommandLine;
using System.Globalization;
using DataCenterTwin.Cli.Commands;
using DataCenterTwin.Runs;
using DataCenterTwin.Runs.Folder;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Cli.Run;

/// <summary>
/// <c>dctwin run SCENARIO</c>: validates the scenario, runs it with a progress bar, and writes the
/// run folder (resolved scenario, summary.json, Parquet traces, report.html). Ctrl-C stops at the
/// next control step and keeps what was produced, marked partial.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("SCENARIO") { Description = "The scenario file (YAML)." };
        var outDir = new Option<string?>("--out") { Description = "The run folder (default: runs/<date>-<scenario>)." };
        var horizon = new Option<string?>("--horizon") { Description = "Override run.horizon (\"2 d\", \"365 d\")." };
        var fidelity = new Option<string?>("--fidelity") { Description = "Override run.fidelity (fluid or request)." };
        var noTraces = new Option<bool>("--no-traces") { Description = "Skip the Parquet traces." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var threads = new Option<int?>("--threads") { Description = "Override run.threads: threads a control step's per-rack work runs over (0 or absent: one per 512 racks, at most every core, one on a machine of two cores or fewer, so a hall under 1,024 racks runs on one; at request level the lanes take one a lane, at most every core; the outputs are the same)." };
        var posterior = new Option<string?>("--posterior") { Description = "Posterior draws from dctwin calibrate: run at their mean, and report 5-95 % bands over --draws of them." };
        var draws = new Option<int>("--draws") { Description = "With --posterior: how many draws to run.", DefaultValueFactory = _ => 32 };
        var seeds = new Option<int>("--seeds") { Description = "With --posterior: seeds per draw (run.seed, run.seed + 1, …).", DefaultValueFactory = _ => 1 };
        var weatherYears = new Option<string[]>("--weather-years")
        {
            Description = "With --posterior: EPW files; every draw and seed runs under each (site.weather), the bands span them all and come per file too.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("run", "Run a scenario and write its run folder.") { scenario, outDir, horizon, fidelity, noTraces, quiet, resume, posterior, draws, seeds, weatherYears, threads };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(outDir), parse.GetValue(horizon), parse.GetValue(fidelity),
            parse.GetValue(noTraces), parse.GetValue(quiet), Console.Out, Console.Error, parse.GetValue(resume),
            posterior: parse.GetValue(posterior) is { } p ? new PosteriorOptions(p, parse.GetValue(draws), parse.GetValue(seeds), parse.GetValue(weatherYears) ?? []) : null,
            threads: parse.GetValue(threads)));
        return command;
    }

    public static int Run(string scenarioPath, string? outDir, string? horizon, string? fidelity, bool noTraces, bool quiet, TextWriter output, TextWriter error,
        bool resume = false, double? killAtS = null, PosteriorOptions? posterior = null, int? threads = null)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        if (threads is { } t)
        {
            overrides["run.threads"] = t.ToString(CultureInfo.InvariantCulture);
        }

        if (horizon is not null)
        {
            overrides["run.horizon"] = horizon;
        }

        if (fidelity is not null)
        {
            overrides["run.fidelity"] = fidelity;
        }

        var baseOverrides = new Dictionary<string, string>(overrides, StringComparer.Ordinal);
        Calibration.Output.PosteriorDraws? draws = null;
        if (posterior is not null)
        {
            if (posterior.Draws < 1 || posterior.Seeds < 1)
            {
                error.WriteLine("error: --draws and --seeds must be at least 1");
                return Program.ExitInvalidInput;
            }

            if (posterior.WeatherYears.FirstOrDefault(w => !File.Exists(w)) is { } missing)
            {
                error.WriteLine($"error: --weather-years: file not found: {missing}");
                return Program.ExitInvalidInput;
            }

            try
            {
                draws = Calibration.Output.PosteriorFile.Read(posterior.Path);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
            {
                error.WriteLine($"error: --posterior {posterior.Path}: {ex.Message}");
                return Program.ExitInvalidInput;
            }

            // The run folder is the run at the posterior mean; the bands come from the draws.
            overrides = PosteriorRuns.Overrides(draws, PosteriorRuns.Mean(draws), overrides);
        }

        var (spec, errors) = ScenarioLoader.Load(scenarioPath, AssetPaths.FindAssetsDirectory(), overrides);
        if (spec is null)
        {
            ValidateCommand.PrintErrors(errors, scenarioPath, error);
            return Program.ExitInvalidInput;
        }

        if (resume && outDir is null)
        {
            error.WriteLine("error: --resume needs --out DIR, the folder of the run to resume");
            return Program.ExitInvalidInput;
        }

        string folder = outDir ?? Path.Combine("runs", $"{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{spec.Name}");
        if (!RunFolderProbe.Prepare(folder, error))
        {
            return Program.ExitInvalidInput;
        }

        TwinSession session;
        try
        {
            session = new TwinSession(spec);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"error: {scenarioPath}: the scenario is valid but cannot be built: {ex.Message}");
            return Program.ExitInvalidInput;
        }

        var progress = new ProgressReporter(quiet ? TextWriter.Null : output, !Console.IsOutputRedirected, spec.Run.Horizon.TotalSeconds);
        var outcome = RunFolder.Run(session, folder, !noTraces, resume, progress, error, out var summary, killAtS: killAtS);
        if (outcome != RunOutcome.Completed || summary is null)
        {
            return outcome == RunOutcome.InvalidInput ? Program.ExitInvalidInput : Program.ExitFailure;
        }

        progress.Report(session.Twin.Ledger.Seconds, force: true);
        if (!quiet)
        {
            SummaryTable.Print(summary.ToJson(), output);
            output.WriteLine($"run folder: {folder}{(summary.Partial ? " (partial: stopped before the horizon)" : "")}");
        }

        if (draws is not null && posterior is not null && !summary.Partial)
        {
            var bands = PosteriorRuns.Run(scenarioPath, AssetPaths.FindAssetsDirectory(), draws, posterior.Draws, posterior.Seeds, baseOverrides, spec.Run.Seed,
                posterior.WeatherYears);
            PosteriorRuns.AddToFolder(folder, bands);
            if (!quiet)
            {
                PosteriorRuns.Print(bands, output);
            }
        }

        return Program.ExitOk;
    }

    /// <summary>What <c>--posterior</c>, <c>--draws</c> and <c>--seeds</c> ask for.</summary>
    internal sealed record PosteriorOptions(string Path, int Draws, int Seeds, IReadOnlyList<string>? WeatherYearFiles = null)
    {
        /// <summary>The EPW files of <c>--weather-years</c> (none: the scenario's own weather).</summary>
        public IReadOnlyList<string> WeatherYears => WeatherYearFiles ?? [];
    }

    /// <summary>Writes a file under a temporary name and renames it, so a reader never sees half of it.</summary>
    public static void WriteAtomically(string path, string text) => RunFolder.WriteAtomically(path, text);
}
