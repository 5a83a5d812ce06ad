namespace DataCenterTwin.Model.Control;

/// <summary>
/// Capacity unlock: move the hybrid chillers to gas whenever the grid headroom (at uncapped IT
/// demand) falls below a margin, and cap IT at what the grid limit then allows, which is higher
/// by the chiller electricity gas took over: only as far as the engines carry it (the cap uses
/// the larger of the gas-side cooling draw and the draw measured now, so it rises as the engines
/// start and ramp, and stays where it was when an engine fails to start). Back to electricity
/// once the headroom with the chillers on electricity would exceed the margin by the hysteresis.
/// </summary>
/// <param name="marginW">Headroom below which cooling moves to gas, W.</param>
/// <param name="hysteresisW">Extra headroom needed before moving back to electricity, W.</param>
/// <param name="guardFraction">Share of the grid limit kept free against load changes within a step.</param>
public sealed class CapacityUnlockPolicy(double marginW, double hysteresisW, double guardFraction = 0.01) : IControlPolicy
{
    /// <inheritdoc/>
    public string Name => "capacity-unlock";

    /// <inheritdoc/>
    public ControlDecision Decide(in FacilitySnapshot facility)
    {
        var d = ControlDecision.Normal;
        if (!facility.GridAvailable)
        {
            d.GasShare = 1;
            d.Reason = ControlReason.OutageGas;
            return d;
        }

        double limitW = facility.GridCapacityW * (1 - guardFraction);
        double extraDemandDrawW = (facility.ItDemandW - facility.ItPowerW) * (1 + facility.OverheadPerItW +
            (facility.ItPowerW > 0 ? facility.CoolingElectricW / facility.ItPowerW : 0));
        double demandDrawW = facility.FacilityPowerW + extraDemandDrawW;

        // Both cooling powers at the current load: what the plant draws all-electric, and on gas.
        double electricCoolingW = facility.CoolingAllElectricW;
        double gasCoolingW = facility.CoolingAllElectricW - facility.MovableChillerElectricW;
        double drawOnElectricW = demandDrawW - facility.CoolingElectricW + electricCoolingW;

        bool onGas = facility.GasShare > 0
            ? limitW - drawOnElectricW < marginW + hysteresisW
            : limitW - drawOnElectricW < marginW;
        d.GasShare = onGas ? 1 : 0;
        d.Reason = onGas ? ControlReason.HeadroomBelowMargin : facility.GasShare > 0 ? ControlReason.HeadroomRecovered : ControlReason.Normal;

        // On electricity the cooling is budgeted at its recent peak (staging swings it within a step).
        d.ItPowerCapW = ItPowerCap.For(facility, limitW, onGas ? Math.Max(gasCoolingW, facility.CoolingElectricW)
            : Math.Max(electricCoolingW, facility.CoolingElectricRecentPeakW));
        if (!double.IsPositiveInfinity(d.ItPowerCapW) && !onGas)
        {
            d.Reason = ControlReason.GridLimitCap;
        }

        return d;
    }
}
