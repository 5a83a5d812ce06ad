namespace DataCenterTwin.Model.Workload;

/// <summary>
/// An arrival process whose rate switches between phases (a Markov-modulated process): what a fluid
/// model needs to carry its bursts into the latency it reports instead of only its mean rate.
/// </summary>
public interface IPhasedArrivals
{
    /// <summary>Number of phases.</summary>
    int PhaseCount { get; }

    /// <summary>The Poisson rate in phase <paramref name="phase"/>, requests/s.</summary>
    double PhaseRatePerS(int phase);

    /// <summary>The long-run share of time in phase <paramref name="phase"/>.</summary>
    double PhaseProbability(int phase);

    /// <summary>Mean time spent in phase <paramref name="phase"/> per visit, s.</summary>
    double PhaseMeanSojournS(int phase);
}
