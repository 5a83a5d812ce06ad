namespace DataCenterTwin.Model.Cooling;

/// <summary>EnergyPlus Curve:Bicubic: c1 + c2·x + c3·x² + c4·y + c5·y² + c6·x·y + c7·x³ + c8·y³ + c9·x²·y + c10·x·y², inputs clamped to their limits.</summary>
/// <param name="C">The ten coefficients, in EnergyPlus order.</param>
/// <param name="XMin">Lowest x used.</param>
/// <param name="XMax">Highest x used.</param>
/// <param name="YMin">Lowest y used.</param>
/// <param name="YMax">Highest y used.</param>
public sealed record BicubicCurve(IReadOnlyList<double> C, double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>The curve's value at (x, y), each clamped to its limits.</summary>
    public double Value(double x, double y)
    {
        x = Math.Clamp(x, XMin, XMax);
        y = Math.Clamp(y, YMin, YMax);
        var c = C;
        return c[0] + (c[1] * x) + (c[2] * x * x) + (c[3] * y) + (c[4] * y * y) + (c[5] * x * y)
            + (c[6] * x * x * x) + (c[7] * y * y * y) + (c[8] * x * x * y) + (c[9] * x * y * y);
    }
}

/// <summary>
/// Electric chiller on EnergyPlus's reformulated EIR model (Chiller:Electric:ReformulatedEIR): the
/// curves take the <em>leaving</em> condenser water temperature, and EIR at part load depends on it
/// too (EnergyPlus Engineering Reference, "Electric Chiller Model Based on Condenser Leaving
/// Temperature"). Q_avail = Q_ref·CAPFT(T_chw,l, T_cond,l); P = Q_avail/COP_ref · EIRFT(T_chw,l,
/// T_cond,l) · EIRFPLR(T_cond,l, PLR), PLR held at its minimum for EIRFPLR and the unit cycling
/// below it; T_cond,l = T_cond,e + (Q + P)/(ṁ_cond·c_p), found by fixed-point iteration.
/// </summary>
/// <param name="Name">Dataset name.</param>
/// <param name="RatedCapacityW">Reference capacity, W.</param>
/// <param name="RatedCop">Reference COP.</param>
/// <param name="RefLeavingChilledWaterTempC">Reference leaving chilled water, °C.</param>
/// <param name="RefLeavingCondenserTempC">Reference leaving condenser water, °C.</param>
/// <param name="RefCondenserFlowM3PerS">Reference condenser water flow, m³/s (scales with capacity).</param>
/// <param name="MinPartLoadRatio">Below this the unit cycles.</param>
/// <param name="MaxPartLoadRatio">Most load over available capacity.</param>
/// <param name="CapacityFromTemps">CAPFT(leaving chilled water, leaving condenser water).</param>
/// <param name="EirFromTemps">EIRFT(leaving chilled water, leaving condenser water).</param>
/// <param name="EirFromPartLoad">EIRFPLR(leaving condenser water, PLR), bicubic.</param>
public sealed record ReformulatedEirChillerSpec(
    string Name, double RatedCapacityW, double RatedCop, double RefLeavingChilledWaterTempC, double RefLeavingCondenserTempC,
    double RefCondenserFlowM3PerS, double MinPartLoadRatio, double MaxPartLoadRatio,
    BiquadraticCurve CapacityFromTemps, BiquadraticCurve EirFromTemps, BicubicCurve EirFromPartLoad) : ChillerSpec(Name)
{
    /// <inheritdoc/>
    public override double NominalCapacityW => RatedCapacityW;

    /// <inheritdoc/>
    public override CondenserType Condenser => CondenserType.WaterCooled;

    /// <summary>The same chiller at another capacity: curves are normalised, the condenser flow scales with it.</summary>
    public ReformulatedEirChillerSpec ScaledTo(double ratedCapacityW, string? name = null) =>
        this with { RatedCapacityW = ratedCapacityW, RefCondenserFlowM3PerS = RefCondenserFlowM3PerS * ratedCapacityW / RatedCapacityW, Name = name ?? Name };

    /// <summary>Condenser water capacity rate, W/K.</summary>
    public double CondenserRateWPerK => RefCondenserFlowM3PerS * Coolant.Water.DensityKgPerM3 * Coolant.Water.SpecificHeatJPerKgK;

    /// <summary>
    /// Whether the temperatures lie outside the EIR or capacity curves' data (EIRFT is then
    /// extrapolated on lift, <see cref="EirFtAt"/>; capacity holds at its edge).
    /// </summary>
    public bool IsOutsideData(double leavingChilledWaterC, double leavingCondenserC) =>
        !EirFromTemps.Covers(leavingChilledWaterC, leavingCondenserC) || !CapacityFromTemps.Covers(leavingChilledWaterC, leavingCondenserC);

    /// <summary>
    /// Refrigerant lift at fluid temperatures: (leaving condenser water + approach) − (leaving
    /// chilled water − approach), K, with the water approaches of <see cref="ElectricChillerSpec.WaterApproachK"/>.
    /// </summary>
    public static double RefrigerantLiftK(double leavingChilledWaterC, double leavingCondenserC) =>
        leavingCondenserC + ElectricChillerSpec.WaterApproachK - (leavingChilledWaterC - ElectricChillerSpec.WaterApproachK);

    /// <summary>
    /// The lift floor, K, as <see cref="ElectricChillerSpec.DefaultMinLiftK"/>: the lower of the EIR
    /// curve's lowest lift in its data and EnergyPlus's 11.1 K minimum fluid lift
    /// (<see cref="ElectricChillerSpec.PublishedMinFluidLiftK"/>) in refrigerant terms.
    /// </summary>
    public double EffectiveMinLiftK => Math.Min(
        RefrigerantLiftK(EirFromTemps.XMax, EirFromTemps.YMin), RefrigerantLiftK(0, ElectricChillerSpec.PublishedMinFluidLiftK));

    /// <summary>
    /// EIRFT at the temperatures. Inside the data, the curve; outside, as the EIR chiller
    /// (<see cref="ElectricChillerSpec.EirFtAt"/>): a constant fraction of Carnot fitted at the data's
    /// nearest edge, the lift here floored at <see cref="EffectiveMinLiftK"/>, so warm chilled water
    /// or cold condenser water beyond the data still earns credit instead of the edge's EIR.
    /// </summary>
    public double EirFtAt(double leavingChilledWaterC, double leavingCondenserC)
    {
        var c = EirFromTemps;
        if (c.Covers(leavingChilledWaterC, leavingCondenserC))
        {
            return c.Value(leavingChilledWaterC, leavingCondenserC);
        }

        double xEdge = Math.Clamp(leavingChilledWaterC, c.XMin, c.XMax);
        double yEdge = Math.Clamp(leavingCondenserC, c.YMin, c.YMax);
        return c.Value(xEdge, yEdge) * CarnotCop(xEdge, yEdge, 0.5) / CarnotCop(leavingChilledWaterC, leavingCondenserC, Math.Max(EffectiveMinLiftK, 0.5));
    }

    private static double CarnotCop(double leavingChilledWaterC, double leavingCondenserC, double minLiftK) =>
        (leavingChilledWaterC - ElectricChillerSpec.WaterApproachK + 273.15) / Math.Max(RefrigerantLiftK(leavingChilledWaterC, leavingCondenserC), minLiftK);

    /// <summary>Available capacity, W, at a leaving condenser water temperature.</summary>
    public double AvailableCapacityW(double leavingChilledWaterC, double leavingCondenserC) =>
        RatedCapacityW * CapacityFromTemps.Value(leavingChilledWaterC, leavingCondenserC);

    /// <summary>Electric power for a load at a <em>leaving</em> condenser water temperature, W.</summary>
    public double ElectricPowerAtLeavingW(double coolingW, double leavingChilledWaterC, double leavingCondenserC)
    {
        if (coolingW <= 0)
        {
            return 0;
        }

        double available = AvailableCapacityW(leavingChilledWaterC, leavingCondenserC);
        double plr = coolingW / available;
        double cycling = plr < MinPartLoadRatio ? plr / MinPartLoadRatio : 1;
        // A bicubic fit can turn negative at corners of its box the data never reached (warm
        // condenser water at part load on a low-lift machine): held at zero rather than paying back power.
        double eirPlr = Math.Max(0, EirFromPartLoad.Value(leavingCondenserC, Math.Max(plr, MinPartLoadRatio)));
        return available / RatedCop * EirFtAt(leavingChilledWaterC, leavingCondenserC) * eirPlr * cycling;
    }

    /// <summary>
    /// Electric power and leaving condenser water for a load at an <em>entering</em> condenser water
    /// temperature: T_cond,l = T_cond,e + (Q + P(T_cond,l))/(ṁc_p), iterated to a fixed point.
    /// </summary>
    public (double ElectricW, double LeavingCondenserC) Operate(double coolingW, double leavingChilledWaterC, double enteringCondenserC)
    {
        double rate = CondenserRateWPerK;
        double leaving = enteringCondenserC + (coolingW * (1 + (1 / RatedCop)) / rate);
        double power = 0;
        for (int i = 0; i < 20; i++)
        {
            power = ElectricPowerAtLeavingW(coolingW, leavingChilledWaterC, leaving);
            double next = enteringCondenserC + ((coolingW + power) / rate);
            if (Math.Abs(next - leaving) < 1e-9)
            {
                leaving = next;
                break;
            }

            leaving = next;
        }

        return (power, leaving);
    }

    /// <summary>Available capacity at an entering condenser temperature (condenser leaving at full load), W.</summary>
    public double AvailableCapacityAtEnteringW(double leavingChilledWaterC, double enteringCondenserC)
    {
        double q = RatedCapacityW;
        double leaving = enteringCondenserC;
        for (int i = 0; i < 4; i++)
        {
            leaving = enteringCondenserC + (q * (1 + (1 / RatedCop)) / CondenserRateWPerK);
            q = AvailableCapacityW(leavingChilledWaterC, leaving);
        }

        return q;
    }
}

/// <summary>A reformulated-EIR chiller in operation.</summary>
public sealed class ReformulatedEirChiller : Chiller
{
    private readonly ReformulatedEirChillerSpec _spec;

    /// <summary>Creates the unit, in service.</summary>
    public ReformulatedEirChiller(ReformulatedEirChillerSpec spec)
        : base(spec) => _spec = spec;

    /// <summary>Leaving condenser water at the last step, °C.</summary>
    public double LeavingCondenserC { get; private set; }

    /// <inheritdoc/>
    public override void Prepare(double dtS, double leavingChilledWaterC, double condenserInC, bool electricAvailable)
    {
        LeavingChilledWaterC = leavingChilledWaterC;
        EnteringCondenserC = condenserInC;
        AvailableCapacityW = IsTripped || !electricAvailable ? 0
            : _spec.AvailableCapacityAtEnteringW(leavingChilledWaterC, condenserInC) * _spec.MaxPartLoadRatio;
    }

    /// <inheritdoc/>
    public override void Run(double loadW)
    {
        double coolingW = Math.Clamp(loadW, 0, AvailableCapacityW);
        double chwC = LeavingChilledWaterC, condC = EnteringCondenserC;
        var (w, leaving) = _spec.Operate(coolingW, chwC, condC);
        LeavingCondenserC = coolingW > 0 ? leaving : condC;
        SetElectricStep(coolingW, coolingW > 0 ? coolingW / _spec.AvailableCapacityW(chwC, LeavingCondenserC) : 0, w);
    }
}
