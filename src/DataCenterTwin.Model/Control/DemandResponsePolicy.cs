namespace DataCenterTwin.Model.Control;

/// <summary>
/// Demand response: during an event, meet the requested reduction below the baseline by moving
/// chiller load to gas first (only as much as needed), then by capping IT power by the
/// shortfall, then, when capping reaches the accelerators' minimum clocks, by shedding the
/// lowest-priority load. Outside events it behaves as <paramref name="otherwise"/>.
/// </summary>
/// <param name="otherwise">The policy outside events.</param>
/// <param name="guardFraction">Share of the baseline aimed below the target, against load rising within a step.</param>
public sealed class DemandResponsePolicy(IControlPolicy otherwise, double guardFraction = 0) : IControlPolicy
{
    /// <inheritdoc/>
    public string Name => "demand-response";

    // Once an event needs IT capping it keeps the cap until the event ends: a capped hall's demand
    // is estimated, and dropping the cap on an estimate that dips would make the cap chatter.
    private double _heldCapW = double.PositiveInfinity;

    /// <inheritdoc/>
    public ControlDecision Decide(in FacilitySnapshot facility)
    {
        if (facility.DemandResponseReductionW <= 0 || !facility.GridAvailable)
        {
            _heldCapW = double.PositiveInfinity;
            return otherwise.Decide(facility);
        }

        var d = ControlDecision.Normal;
        double targetW = facility.DemandResponseBaselineW * (1 - guardFraction) - facility.DemandResponseReductionW;

        // The draw with IT at demand and cooling all electric: what the reduction must come out of.
        double drawW = facility.FacilityPowerW - facility.CoolingElectricW + facility.CoolingAllElectricW
            + (facility.ItDemandW - facility.ItPowerW);
        double neededW = drawW - targetW;
        if (neededW <= 0)
        {
            d.Reason = ControlReason.DemandResponseGas;
            return d;
        }

        if (facility.MovableChillerElectricW > 0)
        {
            d.GasShare = Math.Min(1, neededW / facility.MovableChillerElectricW);
            neededW -= d.GasShare * facility.MovableChillerElectricW;
        }

        d.Reason = ControlReason.DemandResponseGas;
        if (neededW <= 1e-9 * Math.Max(1, drawW))
        {
            if (double.IsFinite(_heldCapW))
            {
                d.GasShare = 1;
                d.ItPowerCapW = _heldCapW;
                d.Reason = ControlReason.DemandResponseCap;
            }

            return d;
        }

        // The shortfall comes off IT power, W for W (the overhead it also saves is margin).
        d.ItPowerCapW = Math.Min(facility.ItDemandW - neededW, double.IsFinite(_heldCapW) ? Math.Max(_heldCapW, facility.ItDemandW - neededW) : double.PositiveInfinity);
        _heldCapW = d.ItPowerCapW;
        d.Reason = ControlReason.DemandResponseCap;
        if (d.ItPowerCapW < facility.ItFloorW)
        {
            d.ShedFraction = facility.ItFloorW > 0 ? Math.Min(1, (facility.ItFloorW - d.ItPowerCapW) / facility.ItFloorW) : 1;
            d.ItPowerCapW = Math.Max(0, d.ItPowerCapW);
            d.Reason = ControlReason.DemandResponseShed;
        }

        return d;
    }
}
