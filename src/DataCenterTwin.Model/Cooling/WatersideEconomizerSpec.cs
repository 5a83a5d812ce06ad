namespace DataCenterTwin.Model.Cooling;

/// <summary>
/// A waterside economiser: a counter-flow plate exchanger between the facility return and tower
/// water, ahead of the chillers. It is rated as exchangers are sold: a duty at an approach with
/// balanced flows (one condenser-pump unit's flow on each side); that fixes its UA, and in operation
/// the effectiveness–NTU method gives the duty at the flows and temperatures of the moment.
/// </summary>
/// <param name="HeatExchangerApproachK">Facility water leaving the exchanger above the tower water entering it, at the rating, K.</param>
/// <param name="DesignCapacityW">Duty at that approach with balanced design flows (the exchanger's rating), W.</param>
/// <param name="MinTowerWaterC">Coldest tower water in economiser mode (freeze protection), °C.</param>
public sealed record WatersideEconomizerSpec(double HeatExchangerApproachK, double DesignCapacityW, double MinTowerWaterC = 4)
{
    /// <summary>
    /// UA of the exchanger, W/K, from its rating with balanced flows of capacity rate
    /// <paramref name="designCapacityRateWPerK"/>: ΔT = Q/C, ε = ΔT/(ΔT + approach), and for a
    /// counter-flow exchanger with C_r = 1, NTU = ε/(1 − ε) (Incropera &amp; DeWitt, Table 11.4).
    /// </summary>
    public double UaWPerK(double designCapacityRateWPerK)
    {
        double deltaK = DesignCapacityW / designCapacityRateWPerK;
        double effectiveness = deltaK / (deltaK + HeatExchangerApproachK);
        return effectiveness / (1 - effectiveness) * designCapacityRateWPerK;
    }

    /// <summary>Effectiveness at the operating capacity rates, 0..1 (counter-flow ε–NTU).</summary>
    public double Effectiveness(double uaWPerK, double facilityRateWPerK, double towerRateWPerK)
    {
        double cMin = Math.Min(facilityRateWPerK, towerRateWPerK);
        double cMax = Math.Max(facilityRateWPerK, towerRateWPerK);
        return cMin > 0 ? HeatExchanger.CounterFlowEffectiveness(uaWPerK / cMin, cMin / cMax) : 0;
    }

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
