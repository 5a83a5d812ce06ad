using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// Admission control: at dispatch the hall predicts the request's time to first token on the chosen
/// replica (the current iteration's remaining time plus the prefill of every prompt queued ahead and
/// its own) and acts when it exceeds <see cref="TtftMargin"/> × the class's TTFT objective.
/// </summary>
/// <param name="Mode">Accept everything, reject, or defer and retry.</param>
/// <param name="TtftMargin">Factor on the TTFT objective that triggers the action.</param>
/// <param name="DeferDelay">Wait before a deferred request is tried again.</param>
/// <param name="MaxDefers">Tries before a deferred request is rejected.</param>
public sealed record AdmissionSpec(AdmissionMode Mode, double TtftMargin, SimTime DeferDelay, int MaxDefers)
{
    /// <summary>No admission control.</summary>
    public static AdmissionSpec AcceptAll { get; } = new(AdmissionMode.AcceptAll, 1, SimTime.FromMilliseconds(100), 0);
}

/// <summary>What admission control does with a request whose predicted TTFT misses its objective.</summary>
public enum AdmissionMode
{
    /// <summary>Admit everything.</summary>
    AcceptAll = 0,

    /// <summary>Reject it at once.</summary>
    Reject = 1,

    /// <summary>Hold it and try again later, then reject after the last try.</summary>
    Defer = 2,
}
