namespace DataCenterTwin.Model.Compute.Dispatch;

/// <summary>
/// Which dispatch policy a pool uses: data in its spec (compared, hashed, written and read back), where
/// each hall makes its own instance (<see cref="DispatchPolicies.Create(DispatchKind)"/>).
/// </summary>
public enum DispatchKind
{
    /// <summary>Least outstanding work (<see cref="LeastOutstandingWork"/>), the default.</summary>
    LeastWork,

    /// <summary>Round robin (<see cref="RoundRobin"/>).</summary>
    RoundRobin,

    /// <summary>Power of two choices (<see cref="PowerOfTwoChoices"/>).</summary>
    PowerOfTwo,

    /// <summary>Thermal-aware (<see cref="ThermalAware"/>): avoid hot racks.</summary>
    ThermalAware,

    /// <summary>Power-aware packing (<see cref="PowerAwarePacking"/>): let idle accelerators sit at idle power.</summary>
    PowerAware,
}
