using DataCenterTwin.Model.Cooling;

namespace DataCenterTwin.Model.Thermal;

/// <summary>A computer-room air handler: a chilled-water coil and fans.</summary>
/// <param name="Name">Unit name.</param>
/// <param name="RatedCoolingW">Coil capacity at the design entering water and return air, W.</param>
/// <param name="DesignAirflowM3PerS">Fan airflow at design, m³/s.</param>
/// <param name="DesignFanPowerW">Fan power at design airflow, W.</param>
/// <param name="DesignEnteringWaterC">Facility water entering the coil at design, °C.</param>
/// <param name="DesignReturnAirC">Hall return air at design, °C.</param>
/// <param name="MinAirflowFraction">Lowest fan speed.</param>
public sealed record CrahSpec(string Name, double RatedCoolingW, double DesignAirflowM3PerS, double DesignFanPowerW,
    double DesignEnteringWaterC, double DesignReturnAirC, double MinAirflowFraction = 0.3)
{
    /// <summary>Coil capacity with facility water at <paramref name="enteringWaterC"/>: scales with the return-air-to-water difference, W.</summary>
    public double CapacityW(double enteringWaterC) =>
        RatedCoolingW * Math.Max(0, (DesignReturnAirC - enteringWaterC) / (DesignReturnAirC - DesignEnteringWaterC));

    /// <summary>Coil capacity per kelvin of return air above the entering water, W/K (its rating over the design difference).</summary>
    public double CapacityPerKelvinWPerK => RatedCoolingW / (DesignReturnAirC - DesignEnteringWaterC);

    /// <summary>Fan power moving <paramref name="airflowFraction"/> of its design airflow, W (fan affinity law, never under the lowest speed).</summary>
    public double FanPowerAtAirflowW(double airflowFraction) =>
        AffinityLaws.Power(DesignFanPowerW, Math.Clamp(airflowFraction, MinAirflowFraction, 1));

    /// <summary>Fan power when carrying <paramref name="loadFraction"/> of rated cooling, W (affinity law).</summary>
    public double FanPowerW(double loadFraction) =>
        AffinityLaws.Power(DesignFanPowerW, Math.Clamp(loadFraction, MinAirflowFraction, 1));
}
