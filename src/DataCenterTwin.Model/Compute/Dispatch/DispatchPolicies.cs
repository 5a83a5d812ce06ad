namespace DataCenterTwin.Model.Compute.Dispatch;

/// <summary>The dispatch policies by the names scenarios and controls give them.</summary>
public static class DispatchPolicies
{
    /// <summary>The names, in the order they are documented.</summary>
    public static readonly IReadOnlyList<string> Names = ["least-work", "round-robin", "power-of-two", "thermal-aware", "power-aware"];

    /// <summary>A new instance of the policy named <paramref name="name"/>; null for an unknown name.</summary>
    public static IDispatchPolicy? Create(string name) => name switch
    {
        "least-work" => new LeastOutstandingWork(),
        "round-robin" => new RoundRobin(),
        "power-of-two" => new PowerOfTwoChoices(),
        "thermal-aware" => new ThermalAware(),
        "power-aware" => new PowerAwarePacking(),
        _ => null,
    };
}
