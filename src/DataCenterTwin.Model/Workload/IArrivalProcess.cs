using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Workload;

/// <summary>
/// A source of request arrival times, in order. Each process owns its random stream, so the
/// sequence it yields depends only on its stream and its parameters.
/// </summary>
public interface IArrivalProcess
{
    /// <summary>The long-run mean arrival rate, requests/s.</summary>
    double MeanRatePerS { get; }

    /// <summary>
    /// The expected instantaneous arrival rate at <paramref name="t"/>, requests/s: the profile of a
    /// non-homogeneous process, the stationary mean of a Markov-modulated one, the binned rate of a
    /// replayed (scaled) trace. A fluid-level model integrates this.
    /// </summary>
    double RatePerS(SimTime t);

    /// <summary>
    /// The next arrival. Token counts of 0 mean "draw from the request class"; a trace gives its own.
    /// Returns false when the process has no more arrivals.
    /// </summary>
    bool TryNext(out Arrival next);

    /// <summary>
    /// Whether an arrival may carry its own token counts. A process that never does lets its source
    /// draw the class's counts of the next arrivals ahead, in the order they are used.
    /// </summary>
    bool CarriesTokens => true;

    /// <summary>
    /// Whether nothing but <see cref="TryNext"/> reads or changes the process's state once it runs
    /// (its own stream, its own clock), so that its source may draw its arrivals ahead, on another
    /// thread (Workload/DrawnAhead.cs).
    /// </summary>
    bool DrawsAlone => false;

    /// <summary>
    /// Moves the process forward to <paramref name="t"/> without drawing the arrivals before it, so
    /// that a source starting mid-run (a request-level window) sees the process as it stands then.
    /// </summary>
    void SkipTo(SimTime t);
}

/// <summary>One arrival: its time and, for a replayed trace, its token counts (0 = draw from the class).</summary>
/// <param name="Time">When the request arrives.</param>
/// <param name="PromptTokens">Prompt tokens, or 0 to draw from the class.</param>
/// <param name="OutputTokens">Output tokens, or 0 to draw from the class.</param>
public readonly record struct Arrival(SimTime Time, int PromptTokens, int OutputTokens);
