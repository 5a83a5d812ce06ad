namespace DataCenterTwin.Model.Cooling;

/// <summary>A counter-flow heat exchanger by the effectiveness–NTU method.</summary>
public static class HeatExchanger
{
    /// <summary>Counter-flow effectiveness from NTU = UA/C_min and C_r = C_min/C_max.</summary>
    public static double CounterFlowEffectiveness(double ntu, double capacityRatio)
    {
        if (ntu <= 0)
        {
            return 0;
        }

        if (Math.Abs(1 - capacityRatio) < 1e-9)
        {
            return ntu / (1 + ntu);
        }

        double e = Math.Exp(-ntu * (1 - capacityRatio));
        return (1 - e) / (1 - (capacityRatio * e));
    }

    /// <summary>Heat moved from the hot to the cold stream, W: ε·C_min·(T_hot,in − T_cold,in).</summary>
    public static double Duty(double effectiveness, double hotCapacityRateWPerK, double coldCapacityRateWPerK, double hotInC, double coldInC) =>
        effectiveness * Math.Min(hotCapacityRateWPerK, coldCapacityRateWPerK) * (hotInC - coldInC);
}
