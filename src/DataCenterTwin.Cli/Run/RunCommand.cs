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
        var command = new Command("run", "Run a scenario and write its run folder.") { scenario, outDir, horizon, fidelity, noTraces, quiet, resume };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(outDir), parse.GetValue(horizon), parse.GetValue(fidelity),
            parse.GetValue(noTraces), parse.GetValue(quiet), Console.Out, Console.Error, parse.GetValue(resume)));
        return command;
    }

    public static int Run(string scenarioPath, string? outDir, string? horizon, string? fidelity, bool noTraces, bool quiet, TextWriter output, TextWriter error,
        bool resume = false, double? killAtS = null)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        if (horizon is not null)
        {
            overrides["run.horizon"] = horizon;
        }

        if (fidelity is not null)
        {
            overrides["run.fidelity"] = fidelity;
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

        return Program.ExitOk;
    }

    /// <summary>Writes a file under a temporary name and renames it, so a reader never sees half of it.</summary>
    public static void WriteAtomically(string path, string text) => RunFolder.WriteAtomically(path, text);
}
