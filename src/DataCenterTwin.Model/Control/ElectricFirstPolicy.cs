namespace DataCenterTwin.Model.Control;

/// <summary>
/// The baseline: cooling always on electricity. With capping on, IT power is capped when the
/// facility would cross the grid limit in force; with it off the facility may cross it (that is
/// what the baseline is there to show).
/// </summary>
/// <param name="capAtGridLimit">Whether to cap IT at the grid limit.</param>
/// <param name="guardFraction">Share of the grid limit kept free against load changes within a step.</param>
public sealed class ElectricFirstPolicy(bool capAtGridLimit = true, double guardFraction = 0) : IControlPolicy
{
    /// <inheritdoc/>
    public string Name => "electric-first";

    /// <inheritdoc/>
    public ControlDecision Decide(in FacilitySnapshot facility)
    {
        var d = ControlDecision.Normal;
        if (!facility.GridAvailable)
        {
            return d;
        }

        if (capAtGridLimit)
        {
            // Cooling is all electric, as it will be next step; budgeted at its recent peak, since a
            // chiller that starts or an economiser that drops out adds tens of kW within a step.
            d.ItPowerCapW = ItPowerCap.For(facility, facility.GridCapacityW * (1 - guardFraction),
                Math.Max(facility.CoolingElectricW, facility.CoolingElectricRecentPeakW));
            if (!double.IsPositiveInfinity(d.ItPowerCapW))
            {
                d.Reason = ControlReason.GridLimitCap;
            }
        }

        return d;
    }
}
