using System.Diagnostics;
using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Runs.Report;
using DataCenterTwin.Scenarios.Sections;
using DataCenterTwin.Traces.Datasets;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.Runs.Folder;

/// <summary>How a run into a folder ended.</summary>
public enum RunOutcome
{
    /// <summary>The folder is complete (or partial after a stop, and says so).</summary>
    Completed,

    /// <summary>The run could not start (nothing to resume, another scenario's checkpoint).</summary>
    InvalidInput,

    /// <summary>The run failed, or was killed on purpose by a test.</summary>
    Failed,
}

/// <summary>
/// A session run into a run folder: the resolved scenario, Parquet traces (completed at every
/// checkpoint, so a killed run can be resumed), summary.json and report.html. Ctrl-C stops at the
/// end of the control step under way and keeps what was produced, marked partial.
/// </summary>
public static class RunFolder
{
    /// <summary>
    /// Runs <paramref name="session"/> (new, at time zero) to its horizon into <paramref name="folder"/>;
    /// with <paramref name="resume"/>, goes on from the folder's last checkpoint.
    /// </summary>
    /// <param name="session">The session, not yet run.</param>
    /// <param name="folder">The run folder.</param>
    /// <param name="traces">Whether to write the Parquet traces (the scenario may also turn them off).</param>
    /// <param name="resume">Whether to go on from the folder's checkpoint.</param>
    /// <param name="progress">Told the simulated seconds reached, often.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="summary">The run's results, when it completed.</param>
    /// <param name="killAtS">Tests: dies at this simulated time as a killed process would.</param>
    /// <param name="cancellation">Stops the run at the next control step.</param>
    /// <param name="saveState">Whether each checkpoint saves the twin's state (benchmarks: off to compare against a replayed resume).</param>
    public static RunOutcome Run(TwinSession session, string folder, bool traces, bool resume, IProgress<double>? progress, TextWriter error,
        out RunSummary? summary, double? killAtS = null, bool saveState = true, CancellationToken cancellation = default)
    {
        summary = null;
        var spec = session.Spec;
        RunCheckpoint? from = null;
        if (resume)
        {
            from = RunCheckpoint.Read(folder, spec, error);
            if (from is null)
            {
                return RunOutcome.InvalidInput;
            }

            from.RemoveFilesNotKept(folder);
        }
        else if (Directory.Exists(folder))
        {
            RunCheckpoint.ClearEarlierRun(folder);
        }

        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        WriteAtomically(Path.Combine(folder, "scenario.resolved.yaml"), spec.ResolvedYaml);
        traces = traces && spec.Run.Traces.Enabled;
        var recording = new RunRecording { Start = spec.Site.Start, Topology = session.Built.Topology };
        using var recorder = session.Subscribe(new RunRecorder(recording));
        session.Progress = progress;

        // Without traces the report is the only reader of the racks' and plant's intervals: the twin
        // keeps the sums it reads (none of the plant's).
        var rackSums = traces ? Model.Twin.RackReadings.All : RunRecorder.RackReadingsRead;
        session.Twin.RackReadingsKept = rackSums;
        session.Twin.PlantSumsKept = traces;

        // A resumed run restores the state saved with its checkpoint (the twin and the report's
        // recording), then writes on from there: the rows before it are in the files kept. A folder
        // without that state (written by an older dctwin) replays to the checkpoint instead.
        if (from is not null && !RestoreState(session, folder, from, recording))
        {
            session.RunUntil(SimTime.FromSeconds(from.SimS), CancellationToken.None);
        }

        using var writer = traces
            ? CreateTraceWriter(session, folder)
            : null;
        using var rows = writer is null ? null : session.Subscribe((Model.Twin.ITwinObserver)writer);
        using var requests = writer is null ? null : session.Subscribe((Model.Metrics.IRequestSink)writer);

        // Ctrl-C asks the session to stop; the folder is finished and marked partial.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var kept = from ?? new RunCheckpoint(spec.Hash, spec.Run.Seed, 0, [], new Dictionary<string, long>());
        var checkpoint = kept;
        bool stopped = false;
        try
        {
            // Stop at every checkpoint to complete the trace files written so far.
            var every = SimTime.FromSeconds(spec.Run.CheckpointIntervalS);
            var t = SimTime.FromSeconds(checkpoint.SimS);
            var nextCheckpoint = new SimTime(((t.Ticks / every.Ticks) + 1) * every.Ticks);
            while (t < spec.Run.Horizon && !stopped)
            {
                var next = nextCheckpoint < spec.Run.Horizon ? nextCheckpoint : spec.Run.Horizon;
                if (killAtS is { } kill && next.TotalSeconds > kill)
                {
                    // Tests: die here as a killed process would, leaving unfinished files as they are.
                    session.RunUntil(SimTime.FromSeconds(kill), CancellationToken.None);
                    return RunOutcome.Failed;
                }

                t = session.RunUntil(next, stop.Token);
                stopped = session.Stopped;
                if (!stopped && t == nextCheckpoint && t < spec.Run.Horizon)
                {
                    nextCheckpoint += every;
                    if (writer is not null)
                    {
                        writer.Complete(atCheckpoint: true);
                        checkpoint = RunCheckpoint.At(kept, t.TotalSeconds, writer);
                        if (saveState)
                        {
                            WriteAtomically(Path.Combine(folder, StateFileName), session.SaveCheckpoint([recording]));
                        }

                        checkpoint.Write(folder);
                    }
                }
            }

            session.Twin.Flush();
            progress?.Report(session.Twin.Ledger.Seconds);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            error.WriteLine($"error: the run failed at {SimTime.FromSeconds(session.Twin.Ledger.Seconds)}: {ex.Message}");
            return RunOutcome.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            session.Progress = null;
        }

        writer?.Complete();
        var result = RunSummary.Of(session, clock.Elapsed.TotalSeconds, partial: stopped);
        if (writer is not null)
        {
            checkpoint = RunCheckpoint.At(kept, session.Twin.Ledger.Seconds, writer);
            result = result with { TraceRows = checkpoint.Rows, ResumedFromS = from?.SimS };
        }

        AddLatencyHistogram(recording, session.Service());
        WriteAtomically(Path.Combine(folder, "summary.json"), result.ToJsonText());
        WriteAtomically(Path.Combine(folder, "report.html"), ReportWriter.Render(result.ToJson(), recording));
        File.Delete(Path.Combine(folder, RunCheckpoint.FileName));
        File.Delete(Path.Combine(folder, StateFileName));
        summary = result;
        return RunOutcome.Completed;
    }

    private static void AddLatencyHistogram(RunRecording recording, ServiceFigures service)
    {
        if (service.E2eQuantile is not { } quantile || service.E2eCount <= 0)
        {
            return;
        }

        double count = service.E2eCount;

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

    /// <summary>
    /// The Parquet writer of <paramref name="session"/>'s run folder: every front end that writes a
    /// run folder sets it up here, so the same scenario and seed give the same bytes.
    /// </summary>
    public static RunTraceWriter CreateTraceWriter(TwinSession session, string folder)
    {
        var spec = session.Spec;
        var startUtc = DateTime.SpecifyKind(spec.Site.Start.AddHours(-spec.Site.UtcOffsetHours), DateTimeKind.Utc);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["scenario"] = spec.Name,
            ["scenario_hash"] = spec.Hash,
            ["seed"] = spec.Run.Seed.ToString(CultureInfo.InvariantCulture),
            ["dctwin_version"] = typeof(RunFolder).Assembly.GetName().Version?.ToString() ?? "0",
        };
        var options = new TraceFileOptions(spec.Run.Traces.Compression == TraceCompression.Snappy ? Parquet.CompressionMethod.Snappy : Parquet.CompressionMethod.Zstd,
            PartitionByMonth: spec.Run.Traces.PartitionByMonth);
        bool requestLevel = session.Built.Fidelity == Fidelity.Request || spec.Run.Windows.Count > 0;
        return new RunTraceWriter(folder, startUtc,
            requestLevel && spec.Run.Traces.Requests ? [.. spec.Workload.Classes.Select(c => (c.Class.Name, c.Class.Model))] : null, options, metadata);
    }

    /// <summary>The twin's state at the last checkpoint (a TwinCheckpoint message), beside checkpoint.json.</summary>
    public const string StateFileName = "checkpoint.state";

    // Restores the state saved at the folder's checkpoint; false when there is none for that time.
    private static bool RestoreState(TwinSession session, string folder, RunCheckpoint from, RunRecording recording)
    {
        string path = Path.Combine(folder, StateFileName);
        if (!File.Exists(path))
        {
            return false;
        }

        byte[] state = File.ReadAllBytes(path);
        if (TwinSession.ReadHeader(state).SimTimeUs != SimTime.FromSeconds(from.SimS).Ticks)
        {
            return false;
        }

        session.RestoreCheckpoint(state, [recording]);
        return true;
    }

    /// <summary>Writes bytes under a temporary name and renames them, so a reader never sees half of them.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Writes a file under a temporary name and renames it, so a reader never sees half of it.</summary>
    public static void WriteAtomically(string path, string text)
    {
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
