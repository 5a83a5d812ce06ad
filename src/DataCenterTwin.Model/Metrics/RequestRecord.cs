using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Metrics;

/// <summary>
/// What happened to one request, handed to <see cref="IRequestSink"/> when it completes or is
/// rejected. Times are simulation times; latencies are in seconds. For a rejected request the
/// dispatch, first-token and completion times equal the rejection time and the latencies are 0.
/// </summary>
public readonly record struct RequestRecord
{
    /// <summary>The request's sequence number in the hall, from 0, in arrival order.</summary>
    public long Id { get; init; }

    /// <summary>The request class's index in the hall's class list.</summary>
    public int ClassIndex { get; init; }

    /// <summary>When the request arrived.</summary>
    public SimTime Arrival { get; init; }

    /// <summary>When the request was sent to a replica (after any deferral).</summary>
    public SimTime Dispatch { get; init; }

    /// <summary>When its first output token was produced (end of its prefill iteration).</summary>
    public SimTime FirstToken { get; init; }

    /// <summary>When its last output token was produced, or when it was rejected.</summary>
    public SimTime Completion { get; init; }

    /// <summary>Prompt (context) tokens.</summary>
    public int PromptTokens { get; init; }

    /// <summary>Output (generated) tokens.</summary>
    public int OutputTokens { get; init; }

    /// <summary>The replica's index in the hall (−1 when rejected before dispatch).</summary>
    public int Replica { get; init; }

    /// <summary>The first accelerator of the replica, hall-wide index (−1 when rejected before dispatch).</summary>
    public int Accelerator { get; init; }

    /// <summary>The replica's rack (−1 when rejected before dispatch).</summary>
    public int Rack { get; init; }

    /// <summary>Time to first token, s.</summary>
    public double TtftS { get; init; }

    /// <summary>Time per output token after the first, s (0 for a one-token output).</summary>
    public double TpotS { get; init; }

    /// <summary>End-to-end latency, s.</summary>
    public double E2eS { get; init; }

    /// <summary>Whether every SLO of the class was met.</summary>
    public bool SloMet { get; init; }

    /// <summary>Whether the request was rejected.</summary>
    public bool Rejected => Reason != RejectReason.None;

    /// <summary>Why it was rejected (<see cref="RejectReason.None"/> if served).</summary>
    public RejectReason Reason { get; init; }

    /// <summary>Whether any of its iterations ran below full clocks (throttled or capped).</summary>
    public bool Throttled { get; init; }

    /// <summary>Times it was preempted for KV-cache memory and recomputed.</summary>
    public int Preemptions { get; init; }

    /// <summary>Accelerator energy attributed to it: each iteration's energy split evenly over its batch, J.</summary>
    public double EnergyJ { get; init; }
}
