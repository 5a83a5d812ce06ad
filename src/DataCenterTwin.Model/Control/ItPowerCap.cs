namespace DataCenterTwin.Model.Control;

/// <summary>The IT power that keeps the facility's draw under a limit, given what the last step cost per W of IT.</summary>
public static class ItPowerCap
{
    /// <summary>
    /// The IT cap for a draw limit: the draw scales with IT through its overhead and its cooling
    /// (both taken per W of IT from the last step, with the cooling as it will be after
    /// <paramref name="coolingElectricW"/> replaces the last step's). Infinite when the demand fits.
    /// </summary>
    public static double For(in FacilitySnapshot s, double limitW, double coolingElectricW)
    {
        if (s.ItPowerW <= 0)
        {
            return double.PositiveInfinity;
        }

        double coolingPerItW = coolingElectricW / s.ItPowerW;
        double perItW = 1 + s.OverheadPerItW + coolingPerItW;
        double fixedW = s.FacilityPowerW - s.ItPowerW * (1 + s.OverheadPerItW) - s.CoolingElectricW;
        double demandDrawW = fixedW + s.ItDemandW * perItW;
        if (demandDrawW <= limitW)
        {
            return double.PositiveInfinity;
        }

        return Math.Max(0, (limitW - fixedW) / perItW);
    }
}
