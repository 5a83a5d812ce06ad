namespace DataCenterTwin.Model.Thermal;

/// <summary>A rack as the thermal model sees it.</summary>
/// <param name="Cooling">How its heat leaves it.</param>
/// <param name="LiquidFraction">Direct-to-chip: capture fraction to the liquid loop; rear door: fraction of exhaust heat the door removes; air: ignored.</param>
/// <param name="Cdu">Index of the CDU feeding its cold plates (direct-to-chip), else −1.</param>
/// <param name="DesignPowerW">IT power at full load, W (sets the accelerator temperature rise and the coolant share).</param>
/// <param name="Accelerators">Accelerators in the rack (for throttled accelerator-hours).</param>
public sealed record RackThermalSpec(RackCoolingType Cooling, double LiquidFraction, int Cdu, double DesignPowerW, int Accelerators)
{
    /// <summary>An air-cooled rack.</summary>
    public static RackThermalSpec Air(double designPowerW, int accelerators) => new(RackCoolingType.Air, 0, -1, designPowerW, accelerators);

    /// <summary>A direct-to-chip rack on a CDU.</summary>
    public static RackThermalSpec DirectToChip(double designPowerW, int accelerators, int cdu, double captureFraction) =>
        new(RackCoolingType.DirectToChip, captureFraction, cdu, designPowerW, accelerators);
}

/// <summary>The hall's air path.</summary>
/// <param name="SupplyAirSetpointC">CRAH supply air, °C.</param>
/// <param name="AirPathCapacityPerRackW">Air heat one rack position can carry before hot air recirculates, W (about 35 kW).</param>
/// <param name="RecirculationFraction">Share of the rack's exhaust temperature rise that reaches its inlet.</param>
/// <param name="OverloadRiseKPerKw">Inlet rise per kW of air heat beyond the rack's air-path capacity, K/kW.</param>
/// <param name="RackAirflowM3PerS">Airflow through a rack at its air-path capacity, m³/s.</param>
public sealed record AirPathSpec(double SupplyAirSetpointC, double AirPathCapacityPerRackW = 35_000, double RecirculationFraction = 0.1,
    double OverloadRiseKPerKw = 1.0, double RackAirflowM3PerS = 2.4)
{
    /// <summary>Volumetric heat capacity of air, J/(m³·K) (1.2 kg/m³ × 1,006 J/(kg·K)).</summary>
    public const double AirVolumetricHeatCapacity = 1.2 * 1006;

    /// <summary>Inlet temperature of a rack putting <paramref name="airHeatW"/> into the air, °C.</summary>
    public double InletTempC(double supplyAirC, double airHeatW) =>
        supplyAirC
        + (RecirculationFraction * airHeatW / (AirVolumetricHeatCapacity * RackAirflowM3PerS))
        + (OverloadRiseKPerKw * Math.Max(0, airHeatW - AirPathCapacityPerRackW) / 1000);
}

/// <summary>Accelerator thermal behaviour, per rack.</summary>
/// <param name="TimeConstantS">First-order time constant of the die over its coolant or inlet air, s.</param>
/// <param name="RiseAtDesignPowerAirK">Die above inlet air at design power (air-cooled and rear door), K.</param>
/// <param name="RiseAtDesignPowerLiquidK">Die above coolant leaving the cold plates at design power, K.</param>
/// <param name="LimitC">Throttling threshold, °C.</param>
/// <param name="ThrottleGainPerK">Speed lost per kelvin above the limit.</param>
/// <param name="MinSpeedFactor">Lowest clock factor throttling reaches.</param>
/// <param name="ThrottleReducesItPower">Whether this model scales the rack's heat by its speed factor; false when the facility twin feeds speed factors back to compute, which then reports lower power.</param>
/// <param name="ShutdownC">Die temperature at which the accelerators shut down, °C (Hopper's "GPU Shutdown Temp", 92 °C; assets/hardware/die-limits.md).</param>
/// <param name="RestartS">Time from the die back below <paramref name="LimitC"/> to the accelerators serving again (driver reload, node health checks), s (assets/hardware/die-limits.md).</param>
public sealed record AcceleratorThermalSpec(double TimeConstantS = 30, double RiseAtDesignPowerAirK = 50, double RiseAtDesignPowerLiquidK = 30,
    double LimitC = 85, double ThrottleGainPerK = 0.05, double MinSpeedFactor = 0.3, bool ThrottleReducesItPower = true,
    double ShutdownC = 92, double RestartS = 300)
{
    /// <summary>Speed factor at a die temperature, MinSpeedFactor..1.</summary>
    public double SpeedFactor(double dieC) =>
        dieC <= LimitC ? 1 : Math.Max(MinSpeedFactor, 1 - (ThrottleGainPerK * (dieC - LimitC)));
}
