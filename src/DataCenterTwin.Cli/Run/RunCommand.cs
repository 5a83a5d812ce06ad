using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataCenterTwin.Cli.Commands;
using DataCenterTwin.Cli.Report;
using DataCenterTwin.Kernel;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;
using DataCenterTwin.Traces.Datasets;
using DataCenterTwin.Traces.Parquet;

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
        RunCheckpoint? from = null;
        if (resume)
        {
            from = RunCheckpoint.Read(folder, spec, error);
            if (from is null)
            {
                return Program.ExitInvalidInput;
            }

            from.RemoveFilesNotKept(folder);
        }

        if (!RunFolder.Prepare(folder, error))
        {
            return Program.ExitInvalidInput;
        }

        WriteAtomically(Path.Combine(folder, "scenario.resolved.yaml"), spec.ResolvedYaml);

        bool traces = !noTraces && spec.Run.Traces.Enabled;
        var startUtc = DateTime.SpecifyKind(spec.Site.Start.AddHours(-spec.Site.UtcOffsetHours), DateTimeKind.Utc);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["scenario"] = spec.Name,
            ["scenario_hash"] = spec.Hash,
            ["seed"] = spec.Run.Seed.ToString(CultureInfo.InvariantCulture),
            ["dctwin_version"] = typeof(RunCommand).Assembly.GetName().Version?.ToString() ?? "0",
        };
        var options = new TraceFileOptions(spec.Run.Traces.Compression == "snappy" ? Parquet.CompressionMethod.Snappy : Parquet.CompressionMethod.Zstd,
            PartitionByMonth: spec.Run.Traces.PartitionByMonth);
        bool requestLevel = spec.Run.Fidelity == Fidelity.Request || spec.Run.Windows.Count > 0;
        var requestSink = new ForwardingSink();

        BuiltTwin built;
        try
        {
            built = TwinBuilder.Build(spec, spec.Run.Fidelity, requestSink);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"error: {scenarioPath}: the scenario is valid but cannot be built: {ex.Message}");
            return Program.ExitInvalidInput;
        }

        var recording = new RunRecording();
        built.Twin.Observe(new RunRecorder(recording));
        var progress = new ProgressReporter(quiet ? TextWriter.Null : output, !Console.IsOutputRedirected, spec.Run.Horizon.TotalSeconds);

        // A resumed run replays to its checkpoint without writing (the same scenario and seed give the
        // same run), then writes on from there: the rows before it are in the files kept.
        if (from is not null)
        {
            built.Twin.RunUntil(SimTime.FromSeconds(from.SimS));
            progress.Report(built.Twin.Ledger.Seconds);
        }

        using var writer = traces
            ? new RunTraceWriter(folder, startUtc, requestLevel && spec.Run.Traces.Requests ? [.. spec.Workload.Classes.Select(c => (c.Class.Name, c.Class.Model))] : null, options, metadata)
            : null;
        if (writer is not null)
        {
            built.Twin.Observe(writer);
            requestSink.Target = writer;
        }

        bool stop = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop = true;
        };
        Console.CancelKeyPress += onCancel;
        var kept = from ?? new RunCheckpoint(spec.Hash, spec.Run.Seed, 0, [], new Dictionary<string, long>());
        var checkpoint = kept;
        try
        {
            // Advance in slices of simulated time so progress and Ctrl-C are looked at often, and stop
            // at every checkpoint to complete the trace files written so far.
            var slice = SimTime.FromSeconds(Math.Max(spec.Run.ControlStepS, Math.Min(6 * 3600, spec.Run.Horizon.TotalSeconds / 200)));
            var every = SimTime.FromSeconds(spec.Run.CheckpointIntervalS);
            var t = SimTime.FromSeconds(checkpoint.SimS);
            var nextCheckpoint = new SimTime(((t.Ticks / every.Ticks) + 1) * every.Ticks);
            while (t < spec.Run.Horizon && !stop)
            {
                var next = t + slice;
                next = next < nextCheckpoint ? next : nextCheckpoint;
                next = next < spec.Run.Horizon ? next : spec.Run.Horizon;
                if (killAtS is { } kill && next.TotalSeconds > kill)
                {
                    // Tests: die here as a killed process would, leaving unfinished files as they are.
                    built.Twin.RunUntil(SimTime.FromSeconds(kill));
                    return Program.ExitFailure;
                }

                built.Twin.RunUntil(next);
                t = next;
                progress.Report(built.Twin.Ledger.Seconds);
                if (t == nextCheckpoint && t < spec.Run.Horizon)
                {
                    nextCheckpoint += every;
                    if (writer is not null)
                    {
                        writer.Complete(atCheckpoint: true);
                        checkpoint = RunCheckpoint.At(kept, t.TotalSeconds, writer);
                        checkpoint.Write(folder);
                    }
                }
            }

            built.Twin.Flush();
            progress.Report(built.Twin.Ledger.Seconds, force: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            error.WriteLine($"error: the run failed at {SimTime.FromSeconds(built.Twin.Ledger.Seconds)}: {ex.Message}");
            return Program.ExitFailure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        writer?.Complete();
        var summary = RunSummary.Build(spec, built, progress.Elapsed.TotalSeconds, partial: stop);
        if (writer is not null)
        {
            checkpoint = RunCheckpoint.At(kept, built.Twin.Ledger.Seconds, writer);
            summary["trace_rows"] = new JsonObject([.. checkpoint.Rows.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
            if (from is not null)
            {
                summary["resumed_from_s"] = from.SimS;
            }
        }

        AddLatencyHistogram(recording, built);
        WriteAtomically(Path.Combine(folder, "summary.json"), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        WriteAtomically(Path.Combine(folder, "report.html"), ReportWriter.Render(summary, recording));
        File.Delete(Path.Combine(folder, RunCheckpoint.FileName));
        if (!quiet)
        {
            SummaryTable.Print(summary, output);
            output.WriteLine($"run folder: {folder}{(stop ? " (partial: stopped before the horizon)" : "")}");
        }

        return Program.ExitOk;
    }

    private static void AddLatencyHistogram(RunRecording recording, BuiltTwin built)
    {
        Func<double, double>? quantile = null;
        double count = 0;
        if (built.RequestHall is { } hall && hall.Metrics.Count > 0)
        {
            var e2e = new Model.Metrics.QuantileSketch();
            foreach (var m in hall.Metrics)
            {
                e2e.Merge(m.E2e);
                count += m.Completed;
            }

            quantile = e2e.Quantile;
        }
        else if (built.FluidHall is { } fluid && fluid.Metrics.Count > 0)
        {
            var main = fluid.Metrics.OrderByDescending(m => m.Completed).First();
            quantile = main.E2e.Quantile;
            count = main.Completed;
        }

        if (quantile is null || count <= 0)
        {
            return;
        }

        // Twelve log-spaced bins between the 0.5th and 99.5th percentiles, filled from 400 quantiles.
        double lo = Math.Max(1e-4, quantile(0.005)), hi = Math.Max(lo * 1.01, quantile(0.995));
        const int bins = 12;
        var counts = new double[bins];
        for (int i = 0; i < 400; i++)
        {
            double v = quantile((i + 0.5) / 400);
            int b = Math.Clamp((int)(Math.Log(v / lo) / Math.Log(hi / lo) * bins), 0, bins - 1);
            counts[b] += count / 400;
        }

        var labels = Enumerable.Range(0, bins).Select(b => (lo * Math.Pow(hi / lo, (b + 0.5) / bins)).ToString("G3", CultureInfo.InvariantCulture) + " s").ToArray();
        recording.Histograms.Add(("end-to-end latency (requests)", labels, counts));
    }

    /// <summary>Writes a file under a temporary name and renames it, so a reader never sees half of it.</summary>
    public static void WriteAtomically(string path, string text)
    {
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
