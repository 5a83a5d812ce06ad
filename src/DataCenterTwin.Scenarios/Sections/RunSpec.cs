using DataCenterTwin.Kernel;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>How the workload is simulated.</summary>
public enum Fidelity
{
    /// <summary>Per control step: rates, throughput, utilisation and queueing delay (years in seconds).</summary>
    Fluid,

    /// <summary>Every request: arrival, queue, batch, first token, completion.</summary>
    Request,
}

/// <summary>A window of the run at another fidelity than the rest (a request-level week in July).</summary>
/// <param name="Start">When the window starts.</param>
/// <param name="End">When it ends.</param>
/// <param name="Fidelity">The fidelity inside the window.</param>
public sealed record FidelityWindow(SimTime Start, SimTime End, Fidelity Fidelity);

/// <summary>How the Parquet traces are compressed (<c>run.traces.compression</c>).</summary>
public enum TraceCompression
{
    /// <summary>zstd: smaller files (the default).</summary>
    Zstd,

    /// <summary>snappy: faster to write and read.</summary>
    Snappy,
}

/// <summary>What the run writes besides the summary.</summary>
/// <param name="Enabled">Whether Parquet traces are written.</param>
/// <param name="Compression">How the files are compressed.</param>
/// <param name="Requests">Whether the per-request dataset is written (large at request level).</param>
/// <param name="PartitionByMonth">Hive-style month partitions (defaults to on for runs longer than 62 days).</param>
public sealed record TraceOutputSpec(bool Enabled, TraceCompression Compression, bool Requests, bool PartitionByMonth);

/// <summary>The run section: horizon, fidelity, seed and outputs.</summary>
/// <param name="Horizon">Simulated duration.</param>
/// <param name="Fidelity">Fidelity outside the windows.</param>
/// <param name="Windows">Windows at another fidelity.</param>
/// <param name="Seed">Run seed: the same scenario and seed give byte-identical outputs.</param>
/// <param name="ControlStepS">Period of the control step (thermal, plant, power, controller), s.</param>
/// <param name="OutputIntervalS">Period of trace rows and report points, s (a multiple of the control step).</param>
/// <param name="Traces">Trace outputs.</param>
public sealed record RunSpec(SimTime Horizon, Fidelity Fidelity, IReadOnlyList<FidelityWindow> Windows, ulong Seed,
    double ControlStepS, double OutputIntervalS, TraceOutputSpec Traces)
{
    /// <summary>Simulated time between checkpoints (trace files completed, the run resumable from there), s.</summary>
    public double CheckpointIntervalS { get; init; } = 30 * 86400;

    /// <summary>
    /// Threads the per-rack work of a control step runs over (run.threads, --threads); 0 for one
    /// per 512 racks, at most every core, one on two cores or fewer (StepWorkers.DefaultThreadsFor), and for a request-level hall's lanes one a lane, at most every core (StepWorkers.DefaultLaneThreads). The outputs are the same bytes whatever it is, so it is not part of the resolved
    /// scenario or its hash.
    /// </summary>
    public int Threads { get; init; }
}
