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
public sealed record ElectricChillerSpec(
    string Name, double RatedCapacityW, double RatedCop,
    double RefLeavingChilledWaterTempC, double RefEnteringCondenserTempC, double MinPartLoadRatio, double MaxPartLoadRatio,
    BiquadraticCurve CapacityFromTemps, BiquadraticCurve EirFromTemps, QuadraticCurve EirFromPartLoad,
    CondenserType CondenserKind = CondenserType.WaterCooled) : ChillerSpec(Name)
{
    /// <inheritdoc/>
    public override double NominalCapacityW => RatedCapacityW;

    /// <inheritdoc/>
    public override CondenserType Condenser => CondenserKind;

    /// <summary>The same chiller scaled to another capacity (curves are normalised).</summary>
    public ElectricChillerSpec ScaledTo(double ratedCapacityW, string? name = null) =>
        this with { RatedCapacityW = ratedCapacityW, Name = name ?? Name };

    /// <summary>Available capacity at the temperatures, W.</summary>
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

        double available = AvailableCapacityW(leavingChilledWaterC, condenserInC);
        double plr = coolingW / available;
        double cycling = plr < MinPartLoadRatio ? plr / MinPartLoadRatio : 1;
        double eirPlr = EirFromPartLoad.Value(Math.Max(plr, MinPartLoadRatio));
        return available / RatedCop * EirFromTemps.Value(leavingChilledWaterC, condenserInC) * eirPlr * cycling;
    }
}

/// <summary>An electric EIR chiller in operation.</summary>
public sealed class ElectricChiller : IChiller
{
    private readonly ElectricChillerSpec _spec;
    private double _chwC;
    private double _condC;

    /// <summary>Creates the unit, in service.</summary>
    public ElectricChiller(ElectricChillerSpec spec) => _spec = spec;

    /// <inheritdoc/>
    public ChillerSpec Spec => _spec;

    /// <inheritdoc/>
    public bool IsTripped { get; private set; }

    /// <summary>Whether the grid (or generator) can feed the motor.</summary>
    public bool HasPower { get; private set; } = true;

    /// <inheritdoc/>
    public double AvailableCapacityW { get; private set; }

    /// <inheritdoc/>
    public double CoolingW { get; private set; }

    /// <inheritdoc/>
    public double PartLoadRatio { get; private set; }

    /// <inheritdoc/>
    public double ElectricW { get; private set; }

    /// <inheritdoc/>
    public double FuelW => 0;

    /// <inheritdoc/>
    public double AllElectricEquivalentW => ElectricW;

    /// <inheritdoc/>
    public double CondenserHeatW => CoolingW + ElectricW;

    /// <inheritdoc/>
    public double HeatRecoveredW => 0;

    /// <inheritdoc/>
    public double HeatRejectedW => CondenserHeatW;

    /// <inheritdoc/>
    public double Cop => ElectricW > 0 ? CoolingW / ElectricW : 0;

    /// <inheritdoc/>
    public double EnergyBalanceResidualW => HeatRejectedW + HeatRecoveredW - (CoolingW + ElectricW + FuelW);

    /// <inheritdoc/>
    public double LeavingChilledWaterC => _chwC;

    /// <inheritdoc/>
    public double EnteringCondenserC => _condC;

    /// <inheritdoc/>
    public void Trip() => IsTripped = true;

    /// <inheritdoc/>
    public void Restore() => IsTripped = false;

    /// <inheritdoc/>
    public void Prepare(double dtS, double leavingChilledWaterC, double condenserInC, bool electricAvailable)
    {
        _chwC = leavingChilledWaterC;
        _condC = condenserInC;
        HasPower = electricAvailable;
        AvailableCapacityW = IsTripped || !electricAvailable ? 0
            : _spec.AvailableCapacityW(leavingChilledWaterC, condenserInC) * _spec.MaxPartLoadRatio;
    }

    /// <inheritdoc/>
    public void Run(double loadW)
    {
        CoolingW = Math.Clamp(loadW, 0, AvailableCapacityW);
        PartLoadRatio = CoolingW > 0 ? CoolingW / _spec.AvailableCapacityW(_chwC, _condC) : 0;
        ElectricW = _spec.ElectricPowerW(CoolingW, _chwC, _condC);
    }
}
