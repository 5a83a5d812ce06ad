namespace DataCenterTwin.Model.Control;

/// <summary>
/// Price-responsive: cool with gas whenever a J of cooling costs less from fuel (gas price over
/// gas COP) than from electricity (electricity price over electric COP), and cap IT at the grid
/// limit like the baseline.
/// </summary>
/// <param name="capAtGridLimit">Whether to cap IT at the grid limit.</param>
/// <param name="guardFraction">Share of the grid limit kept free against load changes within a step.</param>
public sealed class PriceResponsivePolicy(bool capAtGridLimit = true, double guardFraction = 0) : IControlPolicy
{
    /// <inheritdoc/>
    public string Name => "price-responsive";

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

        double electricUsdPerJ = facility.ElectricCop > 0 ? facility.ElectricityPriceUsdPerJ / facility.ElectricCop : double.PositiveInfinity;
        double gasUsdPerJ = facility.GasCop > 0 ? facility.GasPriceUsdPerJ / facility.GasCop : double.PositiveInfinity;
        bool gas = gasUsdPerJ < electricUsdPerJ;
        d.GasShare = gas ? 1 : 0;
        d.Reason = gas ? ControlReason.GasCheaper : ControlReason.ElectricityCheaper;

        if (capAtGridLimit)
        {
            double coolingW = gas ? facility.CoolingAllElectricW - facility.MovableChillerElectricW : facility.CoolingAllElectricW;
            d.ItPowerCapW = ItPowerCap.For(facility, facility.GridCapacityW * (1 - guardFraction), coolingW);
            if (!double.IsPositiveInfinity(d.ItPowerCapW))
            {
                d.Reason = ControlReason.GridLimitCap;
            }
        }

        return d;
    }
}
