namespace DataCenterTwin.Model.Cooling;

/// <summary>Engine-driven chiller on EnergyPlus's Chiller:EngineDriven model (fuel on a higher-heating-value basis).</summary>
/// <param name="Name">Unit name.</param>
/// <param name="NominalCapacityWValue">Nominal cooling capacity, W.</param>
/// <param name="NominalCop">Cooling over shaft power at nominal conditions, W/W.</param>
/// <param name="MinPartLoadRatio">Below this the unit cycles.</param>
/// <param name="MaxPartLoadRatio">Most load over available capacity.</param>
/// <param name="DesignCondenserInletC">Design entering condenser water, °C.</param>
/// <param name="TemperatureRiseCoefficient">EnergyPlus's temperature rise coefficient, K.</param>
/// <param name="DesignChilledWaterOutletC">Design leaving chilled water, °C.</param>
/// <param name="CapacityRatio">Available capacity / nominal vs the temperature difference ΔT.</param>
/// <param name="PowerRatio">Shaft power ratio vs the capacity ratio.</param>
/// <param name="FullLoadRatio">Shaft power fraction vs part-load ratio.</param>
/// <param name="CoolingToFuel">Cooling delivered over fuel input (the gas COP) vs part-load ratio.</param>
/// <param name="JacketHeatToFuel">Recoverable jacket heat over fuel vs part-load ratio.</param>
/// <param name="LubeHeatToFuel">Recoverable lube-oil heat over fuel vs part-load ratio.</param>
/// <param name="ExhaustToFuel">Exhaust energy over fuel vs part-load ratio.</param>
/// <param name="ParasiticElectricFraction">Electric parasitics (controls, jacket pumps) per watt of cooling.</param>
/// <param name="HasHeatRecovery">Whether jacket and lube heat are recovered for use.</param>
/// <param name="ReferenceElectricCop">COP of the electric chiller it stands in for (for the all-electric comparison).</param>
public sealed record EngineDrivenChillerSpec(
    string Name, double NominalCapacityWValue, double NominalCop, double MinPartLoadRatio, double MaxPartLoadRatio,
    double DesignCondenserInletC, double TemperatureRiseCoefficient, double DesignChilledWaterOutletC,
    QuadraticCurve CapacityRatio, QuadraticCurve PowerRatio, QuadraticCurve FullLoadRatio, QuadraticCurve CoolingToFuel,
    QuadraticCurve JacketHeatToFuel, QuadraticCurve LubeHeatToFuel, QuadraticCurve ExhaustToFuel,
    double ParasiticElectricFraction = 0.01, bool HasHeatRecovery = false, double ReferenceElectricCop = 6.0) : ChillerSpec(Name)
{
    /// <inheritdoc/>
    public override double NominalCapacityW => NominalCapacityWValue;

    /// <inheritdoc/>
    public override CondenserType Condenser => CondenserType.WaterCooled;

    /// <summary>Capacity ratio at the temperatures (EnergyPlus ΔT = (T_cond − T_cond,design)/TRC − (T_chw − T_chw,design)).</summary>
    public double CapacityRatioAt(double leavingChilledWaterC, double condenserInC) =>
        CapacityRatio.Value(((condenserInC - DesignCondenserInletC) / TemperatureRiseCoefficient) - (leavingChilledWaterC - DesignChilledWaterOutletC));

    /// <summary>The EnergyPlus operating point for a cooling load (capped at the available capacity).</summary>
    public EngineOperatingPoint Evaluate(double coolingW, double leavingChilledWaterC, double condenserInC)
    {
        double capRatio = CapacityRatioAt(leavingChilledWaterC, condenserInC);
        double available = NominalCapacityWValue * capRatio;
        double q = Math.Clamp(coolingW, 0, available * MaxPartLoadRatio);
        if (q <= 0)
        {
            return default;
        }

        double plr = q / available;
        double cycling = plr < MinPartLoadRatio ? plr / MinPartLoadRatio : 1;
        double plrCurve = Math.Max(plr, MinPartLoadRatio);
        double shaft = FullLoadRatio.Value(plrCurve) * PowerRatio.Value(capRatio) * available / NominalCop * cycling;
        double fuel = q / CoolingToFuel.Value(plrCurve);
        return new EngineOperatingPoint(q, plr, shaft, fuel,
            fuel * JacketHeatToFuel.Value(plrCurve), fuel * LubeHeatToFuel.Value(plrCurve), fuel * ExhaustToFuel.Value(plrCurve));
    }
}

/// <summary>An engine chiller's operating point, W (curve values as EnergyPlus reports them).</summary>
/// <param name="CoolingW">Cooling delivered.</param>
/// <param name="PartLoadRatio">Cooling over available capacity.</param>
/// <param name="ShaftPowerW">Engine shaft power to the compressor.</param>
/// <param name="FuelW">Fuel input, HHV.</param>
/// <param name="JacketHeatW">Recoverable jacket heat (curve).</param>
/// <param name="LubeHeatW">Recoverable lube heat (curve).</param>
/// <param name="ExhaustHeatW">Exhaust energy (curve).</param>
public readonly record struct EngineOperatingPoint(
    double CoolingW, double PartLoadRatio, double ShaftPowerW, double FuelW, double JacketHeatW, double LubeHeatW, double ExhaustHeatW)
{
    /// <summary>Fuel energy not turned into shaft work (all of it becomes heat), W; never negative for a physical engine.</summary>
    public double EngineHeatW => FuelW - ShaftPowerW;

    /// <summary>
    /// Scale applied to the jacket, lube and exhaust curves so that they never claim more than the
    /// engine heat (some published example curves over-claim); 1 when they are consistent.
    /// </summary>
    public double HeatSplitScale
    {
        get
        {
            double claimed = JacketHeatW + LubeHeatW + ExhaustHeatW;
            return claimed > EngineHeatW && claimed > 0 ? Math.Max(0, EngineHeatW) / claimed : 1;
        }
    }

    /// <summary>Engine heat the curves leave unaccounted (radiation, convection), after the split scale, W; never negative.</summary>
    public double UnaccountedHeatW => EngineHeatW - ((JacketHeatW + LubeHeatW + ExhaustHeatW) * HeatSplitScale);
}

/// <summary>An engine-driven (gas) chiller in operation.</summary>
public sealed class EngineDrivenChiller : Chiller
{
    private readonly EngineDrivenChillerSpec _spec;

    /// <summary>Creates the unit, in service.</summary>
    public EngineDrivenChiller(EngineDrivenChillerSpec spec)
        : base(spec) => _spec = spec;

    /// <summary>The last operating point.</summary>
    public EngineOperatingPoint Point { get; private set; }

    /// <inheritdoc/>
    public override void Prepare(double dtS, double leavingChilledWaterC, double condenserInC, bool electricAvailable)
    {
        LeavingChilledWaterC = leavingChilledWaterC;
        EnteringCondenserC = condenserInC;
        AvailableCapacityW = IsTripped ? 0
            : _spec.NominalCapacityWValue * _spec.CapacityRatioAt(leavingChilledWaterC, condenserInC) * _spec.MaxPartLoadRatio;
    }

    /// <inheritdoc/>
    public override void Run(double loadW)
    {
        var point = _spec.Evaluate(Math.Min(loadW, AvailableCapacityW), LeavingChilledWaterC, EnteringCondenserC);
        Point = point;
        CoolingW = point.CoolingW;
        PartLoadRatio = point.PartLoadRatio;
        FuelW = point.FuelW;
        ElectricW = point.CoolingW * _spec.ParasiticElectricFraction;
        AllElectricEquivalentW = point.CoolingW / _spec.ReferenceElectricCop;
        CondenserHeatW = point.CoolingW + point.ShaftPowerW + ElectricW;
        HeatRecoveredW = _spec.HasHeatRecovery ? (point.JacketHeatW + point.LubeHeatW) * point.HeatSplitScale : 0;
        HeatRejectedW = CondenserHeatW + point.EngineHeatW - HeatRecoveredW;
    }
}
