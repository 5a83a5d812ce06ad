namespace DataCenterTwin.Model.Twin;

/// <summary>
/// What the twin can steer and read in its compute whatever the fidelity: class and pool names,
/// a pool's dispatch policy, arrival-rate scales, shedding, and each class's counts and latencies.
/// The builder provides it; the twin applies manual controls and fills snapshots through it.
/// </summary>
public interface IComputeControl
{
    /// <summary>The request classes, in the scenario's order (the last is the lowest priority).</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The inference pools: name and the racks they occupy.</summary>
    IReadOnlyList<(string Name, int FirstRack, int RackCount)> Pools { get; }

    /// <summary>Gives pool <paramref name="pool"/> the dispatch policy named <paramref name="policy"/>; false when the name is unknown.</summary>
    bool SetDispatchPolicy(int pool, string policy);

    /// <summary>Scales class <paramref name="classIndex"/>'s arrival rate (1 = as the scenario says).</summary>
    void SetArrivalScale(int classIndex, double scale);

    /// <summary>Sheds this share of the lowest-priority class at arrival, at every fidelity in use.</summary>
    void SetShedFraction(double fraction);

    /// <summary>Class <paramref name="classIndex"/>'s figures so far.</summary>
    ClassReading ReadClass(int classIndex);
}

/// <summary>One request class's counts so far and latency quantiles (NaN before any completion).</summary>
public readonly record struct ClassReading(double Arrived, double Completed, double Rejected, double InSystem,
    double TtftP50S, double TtftP99S, double E2eP50S, double E2eP99S);
