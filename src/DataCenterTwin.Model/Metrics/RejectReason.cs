namespace DataCenterTwin.Model.Metrics;

/// <summary>Why a request was not served.</summary>
public enum RejectReason
{
    /// <summary>The request was served.</summary>
    None = 0,

    /// <summary>Admission control predicted that the time-to-first-token SLO could not be met.</summary>
    SloUnreachable = 1,

    /// <summary>The request was deferred as often as allowed and still could not be admitted.</summary>
    DeferLimit = 2,

    /// <summary>No replica of the class's model can take requests (none placed, or all stopped).</summary>
    NoReplica = 3,

    /// <summary>The request needs more KV-cache memory than a replica has.</summary>
    TooLarge = 4,

    /// <summary>Shed at arrival: the lowest-priority class while load shedding is in force.</summary>
    Shed = 5,
}
