using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Cooling;

/// <summary>Electric chiller on EnergyPlus EIR curves (Chiller:Electric:EIR).</summary>
/// <param name="Name">Unit or dataset name.</param>
/// <param name="RatedCapacityW">Cooling capacity at the reference temperatures, W.</param>
/// <param name="RatedCop">Cooling out over electricity in at the reference point, W/W.</param>
/// <param name="RefLeavingChilledWaterTempC">Reference leaving chilled water, °C.</param>
/// <param name="RefEnteringCondenserTempC">Reference entering condenser fluid, °C.</param>
/// <param name="MinPartLoadRatio">Below this the chiller cycles (EnergyPlus rule).</param>
/// <param name="MaxPartLoadRatio">Most load over available capacity.</param>
/// <param name="CapacityFromTemps">CAPFT(leaving chilled water, entering condenser).</param>
/// <param name="EirFromTemps">EIRFT(leaving chilled water, entering condenser).</param>
/// <param name="EirFromPartLoad">EIRFPLR(part-load ratio).</param>
/// <param name="CondenserKind">Water- or air-cooled condenser.</param>
/// <param name="MinLiftK">
/// Lowest refrigerant lift the machine runs at (head-pressure control), K; NaN for the default,
/// <see cref="DefaultMinLiftK"/>. Outside the data the model extrapolates on lift, never below this.
/// </param>
public sealed record ElectricChillerSpec(
    string Name, double RatedCapacityW, double RatedCop,
    double RefLeavingChilledWaterTempC, double RefEnteringCondenserTempC, double MinPartLoadRatio, double MaxPartLoadRatio,
    BiquadraticCurve CapacityFromTemps, BiquadraticCurve EirFromTemps, QuadraticCurve EirFromPartLoad,
    CondenserType CondenserKind = CondenserType.WaterCooled, double MinLiftK = double.NaN) : ChillerSpec(Name)
{
    /// <summary>
    /// Refrigerant-to-fluid approach at the condenser and evaporator: 2 K on water, 5 K on air
    /// (Modelica Buildings library, <c>Buildings.Fluid.Chillers.BaseClasses.PartialCarnot_T</c>,
    /// defaults of <c>TAppCon_nominal</c> and <c>TAppEva_nominal</c>).
    /// </summary>
    public const double WaterApproachK = 2;

    /// <inheritdoc cref="WaterApproachK"/>
    public const double AirApproachK = 5;

    private double CondenserApproachK => CondenserKind == CondenserType.AirCooled ? AirApproachK : WaterApproachK;

    /// <summary>Refrigerant lift at fluid temperatures: (condenser fluid + approach) − (leaving chilled water − approach), K.</summary>
    public double RefrigerantLiftK(double leavingChilledWaterC, double condenserInC) =>
        condenserInC + CondenserApproachK - (leavingChilledWaterC - WaterApproachK);

    /// <summary>
    /// Lowest lift as a fluid difference, entering condenser fluid over leaving chilled water, K:
    /// 11.1 K (20 °F), the default "Minimum Lift" of EnergyPlus's
    /// <c>SetpointManager:CondenserEnteringReset:Ideal</c> (Input Output Reference), the chiller's
    /// lower bound on condenser temperature. An air-cooled machine holds it by cycling and slowing
    /// its condenser fans (head-pressure control), so it applies to either condenser fluid.
    /// </summary>
    public const double PublishedMinFluidLiftK = 11.1;

    /// <summary>
    /// The default lift floor, K: the lower of the lowest lift the EIR curve's data cover (the
    /// machine was measured there, so it runs there) and <see cref="PublishedMinFluidLiftK"/> in
    /// refrigerant terms (plus both approaches). Without the second, a curve whose data stop at a
    /// high condenser temperature (the air-cooled Carrier 30XA at 29.44 °C dry-bulb) would hold its
    /// edge COP through every cooler hour of the year.
    /// </summary>
    public double DefaultMinLiftK => Math.Min(
        RefrigerantLiftK(EirFromTemps.XMax, EirFromTemps.YMin), RefrigerantLiftK(0, PublishedMinFluidLiftK));

    /// <summary>The lift floor in force: <see cref="MinLiftK"/>, or <see cref="DefaultMinLiftK"/>.</summary>
    public double EffectiveMinLiftK => double.IsNaN(MinLiftK) ? DefaultMinLiftK : MinLiftK;

    /// <summary>Whether the temperatures lie outside the EIR or capacity curves' data (the model then extrapolates or holds).</summary>
    public bool IsOutsideData(double leavingChilledWaterC, double condenserInC) =>
        !EirFromTemps.Covers(leavingChilledWaterC, condenserInC) || !CapacityFromTemps.Covers(leavingChilledWaterC, condenserInC);

    /// <summary>
    /// EIRFT at the temperatures. Inside the data, the curve. Outside, a constant fraction of
    /// Carnot fitted at the data's edge: the curve's COP at the nearest point of its data, scaled by
    /// the Carnot COP (refrigerant temperatures) here over there, the lift here floored at
    /// <see cref="EffectiveMinLiftK"/> (the machine holds its head pressure). EIR is the inverse of
    /// COP, so EIRFT scales by Carnot(edge) / Carnot(here).
    /// </summary>
    public double EirFtAt(double leavingChilledWaterC, double condenserInC)
    {
        var c = EirFromTemps;
        if (c.Covers(leavingChilledWaterC, condenserInC))
        {
            return c.Value(leavingChilledWaterC, condenserInC);
        }

        double xEdge = Math.Clamp(leavingChilledWaterC, c.XMin, c.XMax);
        double yEdge = Math.Clamp(condenserInC, c.YMin, c.YMax);
        // The edge is measured data at its own lift; only the point extrapolated to is floored.
        return c.Value(xEdge, yEdge) * CarnotCop(xEdge, yEdge, 0.5) / CarnotCop(leavingChilledWaterC, condenserInC, Math.Max(EffectiveMinLiftK, 0.5));
    }

    private double CarnotCop(double leavingChilledWaterC, double condenserInC, double minLiftK)
    {
        double evaporatingK = leavingChilledWaterC - WaterApproachK + 273.15;
        return evaporatingK / Math.Max(RefrigerantLiftK(leavingChilledWaterC, condenserInC), minLiftK);
    }

    /// <inheritdoc/>
    public override double NominalCapacityW => RatedCapacityW;

    /// <inheritdoc/>
    public override CondenserType Condenser => CondenserKind;

    /// <summary>The same chiller scaled to another capacity (curves are normalised).</summary>
    public ElectricChillerSpec ScaledTo(double ratedCapacityW, string? name = null) =>
        this with { RatedCapacityW = ratedCapacityW, Name = name ?? Name };

    /// <summary>Available capacity at the temperatures, W (held at the capacity curve's data edge outside it).</summary>
    public double AvailableCapacityW(double leavingChilledWaterC, double condenserInC) =>
        RatedCapacityW * CapacityFromTemps.Value(leavingChilledWaterC, condenserInC);

    /// <summary>
    /// Electric power to deliver <paramref name="coolingW"/> at the temperatures, W (EnergyPlus:
    /// P = Q_avail/COP_ref · EIRFT · EIRFPLR(PLR), and below the minimum PLR the unit cycles:
    /// EIRFPLR at the minimum PLR times the cycling ratio PLR/PLR_min).
    /// </summary>
    public double ElectricPowerW(double coolingW, double leavingChilledWaterC, double condenserInC)
    {
        if (coolingW <= 0)
        {
            return 0;
        }

        return ElectricPowerW(coolingW, AvailableCapacityW(leavingChilledWaterC, condenserInC), leavingChilledWaterC, condenserInC);
    }

    // ElectricPowerW with the available capacity at these temperatures already worked.
    internal double ElectricPowerW(double coolingW, double available, double leavingChilledWaterC, double condenserInC)
    {
        if (coolingW <= 0)
        {
            return 0;
        }

        double plr = coolingW / available;
        double cycling = plr < MinPartLoadRatio ? plr / MinPartLoadRatio : 1;
        double eirPlr = EirFromPartLoad.Value(Math.Max(plr, MinPartLoadRatio));
        return available / RatedCop * EirFtAt(leavingChilledWaterC, condenserInC) * eirPlr * cycling;
    }
}

/// <summary>An electric EIR chiller in operation.</summary>
public sealed class ElectricChiller : Chiller
{
    private readonly ElectricChillerSpec _spec;

    /// <summary>Creates the unit, in service.</summary>
    public ElectricChiller(ElectricChillerSpec spec)
        : base(spec) => _spec = spec;

    // The capacity curve's capacity at the temperatures it was last worked at (Prepare's, which Run
    // asks for again): a function of them and the spec alone, so a cache, not state.
    [NotState]
    private bool _capacityWorked;
    [NotState]
    private double _capacityChwC, _capacityCondC, _capacityAtTempsW;

    /// <summary>Whether the grid (or generator) can feed the motor.</summary>
    public bool HasPower { get; private set; } = true;

    /// <inheritdoc/>
    public override void Prepare(double dtS, double leavingChilledWaterC, double condenserInC, bool electricAvailable)
    {
        LeavingChilledWaterC = leavingChilledWaterC;
        EnteringCondenserC = condenserInC;
        HasPower = electricAvailable;
        AvailableCapacityW = IsTripped || !electricAvailable ? 0
            : CapacityAtW(leavingChilledWaterC, condenserInC) * _spec.MaxPartLoadRatio;
    }

    /// <inheritdoc/>
    public override void Run(double loadW)
    {
        double coolingW = Math.Clamp(loadW, 0, AvailableCapacityW);
        if (coolingW > 0)
        {
            double chwC = LeavingChilledWaterC, condC = EnteringCondenserC;
            double available = CapacityAtW(chwC, condC);
            SetElectricStep(coolingW, coolingW / available, _spec.ElectricPowerW(coolingW, available, chwC, condC));
        }
        else
        {
            SetElectricStep(coolingW, 0, 0);
        }
    }

    private double CapacityAtW(double chwC, double condC)
    {
        // Bits, not ==: −0 and 0 are equal but need not give the same bits.
        if (!_capacityWorked || BitConverter.DoubleToInt64Bits(chwC) != BitConverter.DoubleToInt64Bits(_capacityChwC)
            || BitConverter.DoubleToInt64Bits(condC) != BitConverter.DoubleToInt64Bits(_capacityCondC))
        {
            _capacityAtTempsW = _spec.AvailableCapacityW(chwC, condC);
            _capacityChwC = chwC;
            _capacityCondC = condC;
            _capacityWorked = true;
        }

        return _capacityAtTempsW;
    }
}
