using System.Diagnostics;
using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Runs;
using DataCenterTwin.Runs.Folder;
using DataCenterTwin.Traces.Datasets;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// The run folder of a session driven over gRPC, written as <c>dctwin run</c> writes it (the same
/// metadata, compression and files completed at the same checkpoint times), so that a session given
/// the same calls at the same simulated times writes the same Parquet bytes as a run with those
/// controls in its scenario.
/// </summary>
internal sealed class SessionOutputs : IDisposable
{
    private readonly TwinSession _session;
    private readonly RunTraceWriter? _writer;
    private readonly IDisposable? _rows;
    private readonly IDisposable? _requests;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _finished;

    public SessionOutputs(TwinSession session, string folder)
    {
        _session = session;
        Folder = folder;
        var spec = session.Spec;
        Directory.CreateDirectory(folder);
        RunFolder.WriteAtomically(Path.Combine(folder, "scenario.resolved.yaml"), spec.ResolvedYaml);
        CheckpointEvery = SimTime.FromSeconds(spec.Run.CheckpointIntervalS);
        if (!spec.Run.Traces.Enabled)
        {
            return;
        }

        _writer = RunFolder.CreateTraceWriter(session, folder);
        _rows = session.Subscribe((ITwinObserver)_writer);
        _requests = session.Subscribe((IRequestSink)_writer);
    }

    /// <summary>The run folder.</summary>
    public string Folder { get; }

    /// <summary>Trace files are completed at every multiple of this, as <c>dctwin run</c> completes them.</summary>
    public SimTime CheckpointEvery { get; }

    /// <summary>Completes the files written so far (the session stands on a checkpoint time before its horizon).</summary>
    public void CompleteAtCheckpoint() => _writer?.Complete(atCheckpoint: true);

    /// <summary>Closes the last output interval, completes the traces and writes summary.json (once).</summary>
    public void Finish(string? error)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        _session.Twin.Flush();
        _writer?.Complete();
        var summary = _session.Summary(_clock.Elapsed.TotalSeconds);
        if (_writer is not null)
        {
            summary = summary with { TraceRows = _writer.RowCounts };
        }

        var json = summary.ToJson();
        if (error is not null)
        {
            json["error"] = error;
        }

        RunFolder.WriteAtomically(Path.Combine(Folder, "summary.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public void Dispose()
    {
        _rows?.Dispose();
        _requests?.Dispose();
        _writer?.Dispose();
    }
}
