namespace DataCenterTwin.Model.Cooling;

/// <summary>
/// A waterside economiser: tower water cools the facility return through a plate exchanger before
/// (or instead of) the chillers. Its leaving water is wet-bulb + tower approach + exchanger approach;
/// it takes the share of the load between the facility return and that temperature.
/// </summary>
/// <param name="HeatExchangerApproachK">Facility water leaving the exchanger above tower water, K.</param>
/// <param name="MaxCapacityW">Most heat the exchanger moves, W.</param>
/// <param name="MinTowerWaterC">Coldest tower water in economiser mode (freeze protection), °C.</param>
public sealed record WatersideEconomizerSpec(double HeatExchangerApproachK, double MaxCapacityW, double MinTowerWaterC = 4)
{
    /// <summary>Facility water the economiser can produce at a wet-bulb with a tower approach, °C.</summary>
    public double LeavingWaterC(double wetBulbC, double towerApproachK) =>
        Math.Max(MinTowerWaterC, wetBulbC + towerApproachK) + HeatExchangerApproachK;

    /// <summary>
    /// Fraction of the load <c>(T_return − T_supply)</c> the economiser takes, 0..1, given the water
    /// temperature it can produce.
    /// </summary>
    public static double Fraction(double returnC, double supplySetpointC, double economizerLeavingC)
    {
        double range = returnC - supplySetpointC;
        return range <= 0 ? (economizerLeavingC <= supplySetpointC ? 1 : 0) : Math.Clamp((returnC - economizerLeavingC) / range, 0, 1);
    }
}
