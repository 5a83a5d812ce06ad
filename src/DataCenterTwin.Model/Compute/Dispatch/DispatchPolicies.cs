namespace DataCenterTwin.Model.Compute.Dispatch;

/// <summary>The dispatch policies by the names scenarios and controls give them.</summary>
public static class DispatchPolicies
{
    /// <summary>The names, in <see cref="DispatchKind"/> order (the order they are documented).</summary>
    public static readonly IReadOnlyList<string> Names = ["least-work", "round-robin", "power-of-two", "thermal-aware", "power-aware"];

    /// <summary>The scenario name of <paramref name="kind"/>.</summary>
    public static string Name(DispatchKind kind) => Names[(int)kind];

    /// <summary>The kind named <paramref name="name"/>; false for an unknown name.</summary>
    public static bool TryParse(string name, out DispatchKind kind)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                kind = (DispatchKind)i;
                return true;
            }
        }

        kind = DispatchKind.LeastWork;
        return false;
    }

    /// <summary>A new instance of the policy named <paramref name="name"/>; null for an unknown name.</summary>
    public static IDispatchPolicy? Create(string name) => TryParse(name, out var kind) ? Create(kind) : null;

    /// <summary>A new instance of the policy of kind <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside the enumeration.</exception>
    public static IDispatchPolicy Create(DispatchKind kind) => kind switch
    {
        DispatchKind.LeastWork => new LeastOutstandingWork(),
        DispatchKind.RoundRobin => new RoundRobin(),
        DispatchKind.PowerOfTwo => new PowerOfTwoChoices(),
        DispatchKind.ThermalAware => new ThermalAware(),
        DispatchKind.PowerAware => new PowerAwarePacking(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a dispatch policy"),
    };
}
