namespace DataCenterTwin.Model.Cooling;

/// <summary>
/// A dry cooler (closed-circuit air-cooled fluid cooler): finned coils and variable-speed fans, no
/// evaporation. Rated as a duty at an approach (leaving water above the entering dry-bulb) with the
/// loop's design water flow at full fan speed.
/// </summary>
/// <param name="DesignCapacityW">Heat rejected at the rating, W.</param>
/// <param name="DesignApproachK">Leaving water above the entering dry-bulb at the rating, K (a median of 10 K over dry coolers on the market: Energies 16(9) 3661, 2023; assets/cooling/README.md).</param>
/// <param name="DesignFanPowerW">Fan power at full speed, W (EnergyPlus sizes fluid-cooler fans at 0.0105 W per watt of design load).</param>
public sealed record DryCoolerSpec(double DesignCapacityW, double DesignApproachK, double DesignFanPowerW)
{
    /// <summary>EnergyPlus's fluid-cooler fan sizing, W of fan per W of design load (FluidCoolers.cc: "the nominal fan power is 0.0105 times the design load").</summary>
    public const double EnergyPlusFanPowerPerW = 0.0105;

    /// <summary>Median dry-cooler approach to the dry-bulb, K (Energies 16(9) 3661, 2023, 6,730 models of 27 makers).</summary>
    public const double MarketMedianApproachK = 10;

    /// <summary>
    /// Exponent of the air-side conductance on air flow: the coil's outside film coefficient goes
    /// with velocity^0.8 in turbulent flow (Dittus–Boelter, Incropera &amp; DeWitt eq. 8.60), and the
    /// air side dominates a finned dry cooler's resistance.
    /// </summary>
    public const double AirSideExponent = 0.8;

    /// <summary>
    /// Conductance at full fan speed, W/K, so that duty = conductance × (entering water − dry-bulb):
    /// at the rating the water enters at dry-bulb + approach + range, range = Q/C_water.
    /// </summary>
    public double DesignConductanceWPerK(double waterRateWPerK) => DesignCapacityW / (DesignApproachK + (DesignCapacityW / waterRateWPerK));
}

/// <summary>
/// A dry cooler in operation: the fans turn at the air flow that rejects the duty asked of it (never
/// more than full speed), fan power by the cube of air flow (fan affinity law). No allocation.
/// </summary>
public sealed class DryCooler
{
    private readonly double _designConductanceWPerK;

    /// <summary>Creates the cooler for a loop whose design water capacity rate is <paramref name="designWaterRateWPerK"/>, W/K.</summary>
    public DryCooler(DryCoolerSpec spec, double designWaterRateWPerK)
    {
        Spec = spec;
        _designConductanceWPerK = spec.DesignConductanceWPerK(designWaterRateWPerK);
    }

    /// <summary>Design values.</summary>
    public DryCoolerSpec Spec { get; }

    /// <summary>Conductance at full fan speed, W/K.</summary>
    public double DesignConductanceWPerK => _designConductanceWPerK;

    /// <summary>Heat rejected at the last step, W.</summary>
    public double HeatRejectedW { get; private set; }

    /// <summary>Fan air-flow ratio at the last step, 0..1.</summary>
    public double AirFlowRatio { get; private set; }

    /// <summary>Fan power at the last step, W.</summary>
    public double FanPowerW { get; private set; }

    /// <summary>Most heat it rejects at full fan speed with water entering at <paramref name="enteringWaterC"/> and capacity rate <paramref name="waterRateWPerK"/>, W.</summary>
    public double MaxDutyW(double enteringWaterC, double dryBulbC, double waterRateWPerK) =>
        Math.Min(_designConductanceWPerK, waterRateWPerK) * Math.Max(0, enteringWaterC - dryBulbC);

    /// <summary>Rejects <paramref name="dutyW"/> (the caller keeps it within <see cref="MaxDutyW"/>); returns the fan power, W.</summary>
    public double Run(double dutyW, double enteringWaterC, double dryBulbC, double waterRateWPerK)
    {
        HeatRejectedW = Math.Max(0, dutyW);
        double full = MaxDutyW(enteringWaterC, dryBulbC, waterRateWPerK);
        double ratio = 0;
        if (HeatRejectedW > 0 && full > 0)
        {
            // Duty ∝ conductance ∝ (air-flow ratio)^0.8 while the air side limits it.
            ratio = Math.Min(1, Math.Pow(HeatRejectedW / full, 1 / DryCoolerSpec.AirSideExponent));
        }

        AirFlowRatio = ratio;
        FanPowerW = AffinityLaws.Power(Spec.DesignFanPowerW, ratio);
        return FanPowerW;
    }
}
