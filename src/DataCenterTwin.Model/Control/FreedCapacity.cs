namespace DataCenterTwin.Model.Control;

/// <summary>
/// The capacity-unlock arithmetic at one operating point: what moving a chiller plant's load from
/// electricity to gas frees under the same site draw, how much more IT that carries, and what it
/// burns and emits. The year-long runs give the same figures hour by hour; this is the hand check.
/// </summary>
public static class FreedCapacity
{
    /// <summary>The figures for one operating point.</summary>
    /// <param name="SiteDrawW">Site draw with electric cooling, W.</param>
    /// <param name="FreedW">Electric power that moving the chillers to gas frees, W.</param>
    /// <param name="FreedShareOfSite">Freed power as a share of the site draw.</param>
    /// <param name="ExtraItW">IT power the freed capacity carries (its heat also on gas, its overhead paid), W.</param>
    /// <param name="FuelW">Fuel power the gas chillers burn for the original load, W (HHV).</param>
    /// <param name="GasCo2KgPerS">CO2 from that fuel, kg/s.</param>
    /// <param name="ElectricCo2KgPerS">CO2 the electric chillers would have caused on the grid, kg/s.</param>
    public readonly record struct Result(double SiteDrawW, double FreedW, double FreedShareOfSite, double ExtraItW,
        double FuelW, double GasCo2KgPerS, double ElectricCo2KgPerS);

    /// <summary>Works the figures.</summary>
    /// <param name="itW">IT power, W.</param>
    /// <param name="coolingLoadW">Cooling load on the chillers, W.</param>
    /// <param name="electricCop">Electric chiller COP at that load.</param>
    /// <param name="otherFractionOfIt">Other facility load per W of IT.</param>
    /// <param name="gasFuelCop">Cooling per W of fuel of the gas chillers.</param>
    /// <param name="gridCarbonKgPerJ">Grid carbon intensity, kg/J.</param>
    /// <param name="gasCarbonKgPerJ">Gas emission factor per J of fuel, kg/J.</param>
    public static Result Compute(double itW, double coolingLoadW, double electricCop, double otherFractionOfIt,
        double gasFuelCop, double gridCarbonKgPerJ, double gasCarbonKgPerJ)
    {
        double chillerW = coolingLoadW / electricCop;
        double siteW = itW + chillerW + otherFractionOfIt * itW;
        double fuelW = coolingLoadW / gasFuelCop;
        return new Result(siteW, chillerW, chillerW / siteW, chillerW / (1 + otherFractionOfIt), fuelW,
            fuelW * gasCarbonKgPerJ, chillerW * gridCarbonKgPerJ);
    }
}
