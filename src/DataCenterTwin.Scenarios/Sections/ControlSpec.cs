using DataCenterTwin.Model.Control;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>The supervisory policies a scenario may choose (<c>control.policy</c>), in <see cref="ControlSpec.PolicyNames"/> order.</summary>
public enum SupervisoryPolicy
{
    /// <summary>electric-first: cooling always on electricity (<see cref="ElectricFirstPolicy"/>).</summary>
    ElectricFirst,

    /// <summary>capacity-unlock: the hybrid chillers move to gas when the grid headroom falls below a margin (<see cref="CapacityUnlockPolicy"/>).</summary>
    CapacityUnlock,

    /// <summary>price-responsive: gas whenever a joule of cooling costs less from fuel than from electricity (<see cref="PriceResponsivePolicy"/>).</summary>
    PriceResponsive,
}

/// <summary>The control section: the supervisory policy and its settings.</summary>
/// <param name="Policy">The supervisory policy.</param>
/// <param name="DemandResponse">Whether demand-response events are met (gas, then capping, then shedding).</param>
/// <param name="MarginW">Capacity unlock: headroom below which cooling moves to gas, W.</param>
/// <param name="HysteresisW">Capacity unlock: extra headroom before moving back to electricity, W.</param>
/// <param name="GuardFraction">Share of the grid limit kept free against load changes within a step.</param>
/// <param name="CapAtGridLimit">Whether IT is capped when the facility would cross the grid limit.</param>
/// <param name="MinSpeedFactor">Lowest clock factor capping may impose; below it, load is shed.</param>
public sealed record ControlSpec(SupervisoryPolicy Policy, bool DemandResponse, double MarginW, double HysteresisW, double GuardFraction,
    bool CapAtGridLimit, double MinSpeedFactor)
{
    /// <summary>The policy names a scenario may use, in <see cref="SupervisoryPolicy"/> order.</summary>
    public static readonly string[] PolicyNames = ["electric-first", "capacity-unlock", "price-responsive"];

    /// <summary>The defaults: electric first, capping at the limit, demand response honoured.</summary>
    public static ControlSpec Default => new(SupervisoryPolicy.ElectricFirst, true, 200e3, 100e3, 0.01, true, 0.5);

    /// <summary>Builds the policy.</summary>
    public IControlPolicy CreatePolicy()
    {
        IControlPolicy policy = Policy switch
        {
            SupervisoryPolicy.CapacityUnlock => new CapacityUnlockPolicy(MarginW, HysteresisW, GuardFraction),
            SupervisoryPolicy.PriceResponsive => new PriceResponsivePolicy(CapAtGridLimit, GuardFraction),
            _ => new ElectricFirstPolicy(CapAtGridLimit, GuardFraction),
        };
        return DemandResponse ? new DemandResponsePolicy(policy, GuardFraction) : policy;
    }
}
