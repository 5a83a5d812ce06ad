namespace DataCenterTwin.Model.Thermal;

/// <summary>A rack as the thermal model sees it.</summary>
/// <param name="Cooling">How its heat leaves it.</param>
/// <param name="LiquidFraction">Direct-to-chip: capture fraction to the liquid loop; rear door: fraction of exhaust heat the door removes; air: ignored.</param>
/// <param name="Cdu">Index of the CDU feeding its cold plates (direct-to-chip), else −1.</param>
/// <param name="DesignPowerW">IT power at full load, W (sets the accelerator temperature rise and the coolant share).</param>
/// <param name="Accelerators">Accelerators in the rack (for throttled accelerator-hours).</param>
public sealed record RackThermalSpec(RackCoolingType Cooling, double LiquidFraction, int Cdu, double DesignPowerW, int Accelerators)
{
    /// <summary>
    /// Air its server fans move at design power and an inlet below the fans' ramp, m³/s (from the
    /// catalog's airflow per watt of its servers); NaN takes <see cref="AirPathSpec.ServerAirflowM3PerSPerW"/>.
    /// </summary>
    public double DesignAirflowM3PerS { get; init; } = double.NaN;

    /// <summary>Heat its server fans carry at design power, W: all of it, but for direct-to-chip the share the cold plates leave.</summary>
    public double DesignAirHeatW => Cooling == RackCoolingType.DirectToChip ? DesignPowerW * (1 - LiquidFraction) : DesignPowerW;

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
/// <param name="RackAirflowM3PerS">Airflow through a rack at its air-path capacity, m³/s: the scenario's older way to give the
/// servers' airflow (it sets <see cref="ServerAirflowM3PerSPerW"/> to this over the air-path capacity when given).</param>
public sealed record AirPathSpec(double SupplyAirSetpointC, double AirPathCapacityPerRackW = 35_000, double RecirculationFraction = 0.1,
    double OverloadRiseKPerKw = 1.0, double RackAirflowM3PerS = 2.4)
{
    /// <summary>Volumetric heat capacity of air, J/(m³·K) (1.2 kg/m³ × 1,006 J/(kg·K)).</summary>
    public const double AirVolumetricHeatCapacity = 1.2 * 1006;

    /// <summary>
    /// Air the server fans move per watt they carry, at an inlet below the fans' ramp, m³/(s·W):
    /// EnergyPlus's ElectricEquipment:ITE:AirCooled "Design Fan Air Flow Rate per Power Input",
    /// 0.0001 m³/s-W in its data-centre example (testfiles/1ZoneDataCenterCRAC_wApproachTemp.idf),
    /// a server temperature rise of 8.3 K; the hardware catalog's per-server figure overrides it.
    /// </summary>
    public double ServerAirflowM3PerSPerW { get; init; } = 1e-4;

    /// <summary>Inlet temperature above which server fans speed up, °C (ASHRAE TC9.9 2008 guidance: most makers ramp from about 23 °C; assets/cooling/README.md).</summary>
    public double ServerFanRampStartC { get; init; } = 23;

    /// <summary>Inlet rise that doubles server fan power above the ramp, K (ASHRAE TC9.9 2008 guidance: 23 → 27 °C doubles fan energy).</summary>
    public double ServerFanPowerDoublingK { get; init; } = 4;

    /// <summary>
    /// Inlet temperature at which server fans reach full speed, °C: the highest point the ASHRAE TC9.9
    /// 2008 guidance quantifies (29 °C: total server energy about 20 % up); above it the fans can do
    /// no more and the inlet's rise reaches the components.
    /// </summary>
    public double ServerFanFullSpeedInletC { get; init; } = 29;

    /// <summary>Server fan power below the ramp over the power the fans carry (ASHRAE TC9.9 2008 guidance: about 10 % of server energy at low inlet).</summary>
    public double ServerFanPowerFraction { get; init; } = 0.10;

    /// <summary>Heat capacity of the hall air, J/K; NaN takes <see cref="DefaultRoomAirM3PerRack"/> of air per rack.</summary>
    public double RoomAirHeatCapacityJPerK { get; init; } = double.NaN;

    /// <summary>
    /// Air around one rack when the scenario gives no room, m³: its footprint and one aisle width up to
    /// its height (0.6 m wide, 1.2 m deep, 2.0 m high from the catalog's standard enclosure, 1.2 m
    /// aisles from the default layout): the air that mixes between the racks, not the plenum or ceiling.
    /// </summary>
    public const double DefaultRoomAirM3PerRack = 0.6 * (1.2 + 1.2) * 2.0;

    /// <summary>
    /// Server fan speed over its speed below the ramp at an inlet temperature: fan power doubles every
    /// <see cref="ServerFanPowerDoublingK"/> above <see cref="ServerFanRampStartC"/>, and power goes with
    /// the cube of speed (fan affinity law), so speed is 2^((T − ramp)/(3·doubling)), up to full speed.
    /// </summary>
    public double ServerFanSpeedRatio(double inletC) =>
        inletC <= ServerFanRampStartC ? 1
            : Math.Pow(2, (Math.Min(inletC, Math.Max(ServerFanFullSpeedInletC, ServerFanRampStartC)) - ServerFanRampStartC) / (3 * ServerFanPowerDoublingK));

    /// <summary>
    /// Inlet temperature of a rack putting <paramref name="airHeatW"/> into the air, °C: the supply
    /// air plus the recirculated share of its exhaust rise at the airflow <paramref name="airflowM3PerS"/>
    /// it draws, plus the rise beyond its air-path capacity.
    /// </summary>
    public double InletTempC(double supplyAirC, double airHeatW, double airflowM3PerS, double recirculationFraction) =>
        supplyAirC
        + (airflowM3PerS > 0 ? recirculationFraction * airHeatW / (AirVolumetricHeatCapacity * airflowM3PerS) : 0)
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
