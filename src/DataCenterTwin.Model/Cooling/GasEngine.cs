namespace DataCenterTwin.Model.Cooling;

/// <summary>Where an engine's coolant (jacket and lube-oil) heat goes.</summary>
public enum EngineHeatSink
{
    /// <summary>Into the condenser water, so the towers (and their fans) reject it with the condenser heat.</summary>
    CondenserLoop,

    /// <summary>To a radiator (dry cooler) whose fans are charged per watt rejected.</summary>
    Radiator,

    /// <summary>To a heat-recovery use (absorption chiller, building heat) credited in the ledger.</summary>
    Recovery,
}

/// <summary>
/// A natural-gas reciprocating engine driving a compressor shaft, on a Willans line: fuel rises
/// linearly with shaft power from a no-load (friction) fuel rate, so efficiency falls at part load.
/// Efficiencies are on the lower heating value (engine makers' basis); fuel is reported on the
/// higher heating value (as gas is sold and EnergyPlus reports it). Sources: see
/// <c>assets/engines/README.md</c>.
/// </summary>
/// <param name="RatedShaftPowerW">Shaft power at full load, W.</param>
/// <param name="FullLoadEfficiencyLhv">Shaft work over fuel (LHV) at full load.</param>
/// <param name="MechanicalEfficiencyFullLoad">Brake over indicated work at full load (friction is the rest).</param>
/// <param name="MinLoadFraction">Lowest steady shaft load over rated; below it the engine cycles.</param>
/// <param name="HhvOverLhv">Higher over lower heating value of the fuel.</param>
/// <param name="CoolantShareOfHeat">Share of the engine heat (fuel − shaft) to jacket water and lube oil.</param>
/// <param name="ExhaustShareOfHeat">Share of the engine heat leaving in the exhaust (the rest radiates from the block).</param>
/// <param name="CoolantSink">Where the jacket and lube-oil heat goes.</param>
/// <param name="RadiatorFanFraction">Radiator fan power per watt of heat it rejects (radiator sink only).</param>
public sealed record GasEngineSpec(
    double RatedShaftPowerW, double FullLoadEfficiencyLhv, double MechanicalEfficiencyFullLoad, double MinLoadFraction,
    double HhvOverLhv, double CoolantShareOfHeat, double ExhaustShareOfHeat,
    EngineHeatSink CoolantSink = EngineHeatSink.CondenserLoop, double RadiatorFanFraction = 0)
{
    /// <summary>
    /// Natural gas, GREET (Argonne National Laboratory) fuel specifications: LHV 983 Btu/ft³, HHV
    /// 1,089 Btu/ft³ (ratio 1.1078).
    /// </summary>
    public const double NaturalGasHhvOverLhv = 1089.0 / 983.0;

    /// <summary>
    /// Average shaft efficiency (LHV) of natural-gas reciprocating engines, 35 % (ASME Internal
    /// Combustion Engine Division spring technical conference ICES2006, paper abstract at
    /// asmedigitalcollection.asme.org/ICES/proceedings-abstract/ICES2006/42061/217: "from an
    /// average value of 35 % in the year 1990 to over 46 % for large-bore engines in 2005"; the
    /// engines of 1 MW-class engine-driven chillers, a few hundred kW, sit at the average, not the large bore).
    /// </summary>
    public const double TypicalFullLoadEfficiencyLhv = 0.35;

    /// <summary>
    /// Mechanical efficiency at full load, 0.90 (Heywood, Internal Combustion Engine Fundamentals,
    /// 1988, §2.7: about 90 % at wide-open throttle below 1,800–2,400 rev/min, the speed of
    /// stationary gas engines).
    /// </summary>
    public const double TypicalMechanicalEfficiency = 0.90;

    /// <summary>
    /// Energy balance of spark-ignition engines, midpoints of Heywood (1988) Table 12.1: brake
    /// 25–28 %, coolant 17–26 %, exhaust 34–45 % of fuel; coolant and exhaust as shares of the
    /// non-shaft heat 21.5 : 39.5 of the 73.5 % the midpoints leave (the rest radiates and convects).
    /// </summary>
    public const double TypicalCoolantShare = 21.5 / 73.5;

    /// <inheritdoc cref="TypicalCoolantShare"/>
    public const double TypicalExhaustShare = 39.5 / 73.5;

    /// <summary>A typical natural-gas engine of the given rating (the constants above), coolant to the condenser loop.</summary>
    public static GasEngineSpec NaturalGas(double ratedShaftPowerW, double minLoadFraction) =>
        new(ratedShaftPowerW, TypicalFullLoadEfficiencyLhv, TypicalMechanicalEfficiency, minLoadFraction,
            NaturalGasHhvOverLhv, TypicalCoolantShare, TypicalExhaustShare);

    /// <summary>Indicated (in-cylinder) efficiency, constant along the Willans line, LHV.</summary>
    public double IndicatedEfficiencyLhv => FullLoadEfficiencyLhv / MechanicalEfficiencyFullLoad;

    /// <summary>Friction and pumping power, taken as constant at the engine's fixed speed, W.</summary>
    public double FrictionPowerW => RatedShaftPowerW * ((1 / MechanicalEfficiencyFullLoad) - 1);

    /// <summary>Fuel (HHV) the running engine burns at a shaft power, W (Willans line).</summary>
    public double FuelHhvW(double shaftW) => (Math.Max(0, shaftW) + FrictionPowerW) / IndicatedEfficiencyLhv * HhvOverLhv;

    /// <summary>Fuel (HHV) at no load: what the engine burns while it starts and warms up, W.</summary>
    public double NoLoadFuelHhvW => FuelHhvW(0);

    /// <summary>Shaft efficiency at a shaft power, HHV basis.</summary>
    public double EfficiencyHhv(double shaftW) => shaftW > 0 ? shaftW / FuelHhvW(shaftW) : 0;

    /// <summary>Shaft efficiency at a shaft power, LHV basis.</summary>
    public double EfficiencyLhv(double shaftW) => EfficiencyHhv(shaftW) * HhvOverLhv;

    /// <summary>
    /// The engine delivering <paramref name="shaftW"/> on average: at or above its minimum load it
    /// runs steadily; below, it runs at the minimum load for the fraction of the time that delivers
    /// the same work and is off otherwise (EnergyPlus's cycling rule for chillers below minimum PLR).
    /// </summary>
    public EngineOutput Deliver(double shaftW)
    {
        if (shaftW <= 0)
        {
            return default;
        }

        double minW = MinLoadFraction * RatedShaftPowerW;
        double fuel = shaftW >= minW ? FuelHhvW(shaftW) : FuelHhvW(minW) * shaftW / minW;
        return Split(shaftW, fuel);
    }

    /// <summary>The heat split of a fuel burn that delivered <paramref name="shaftW"/>, W.</summary>
    public EngineOutput Split(double shaftW, double fuelHhvW)
    {
        double heat = Math.Max(0, fuelHhvW - shaftW);
        return new EngineOutput(shaftW, fuelHhvW, heat * CoolantShareOfHeat, heat * ExhaustShareOfHeat,
            heat * (1 - CoolantShareOfHeat - ExhaustShareOfHeat));
    }
}

/// <summary>What an engine did over a step, W: shaft work, fuel (HHV) and where the rest went.</summary>
/// <param name="ShaftW">Shaft work delivered to the compressor.</param>
/// <param name="FuelW">Fuel burned, HHV.</param>
/// <param name="CoolantHeatW">Jacket-water and lube-oil heat.</param>
/// <param name="ExhaustHeatW">Heat leaving with the exhaust (to the stack, outdoors).</param>
/// <param name="RadiatedHeatW">Heat radiated and convected from the block (ventilated outdoors).</param>
public readonly record struct EngineOutput(double ShaftW, double FuelW, double CoolantHeatW, double ExhaustHeatW, double RadiatedHeatW)
{
    /// <summary>Sum of two outputs (a start's idle burn and the running part of the same step).</summary>
    public static EngineOutput operator +(EngineOutput a, EngineOutput b) => new(a.ShaftW + b.ShaftW, a.FuelW + b.FuelW,
        a.CoolantHeatW + b.CoolantHeatW, a.ExhaustHeatW + b.ExhaustHeatW, a.RadiatedHeatW + b.RadiatedHeatW);

    /// <summary>The output scaled by a fraction of the step.</summary>
    public EngineOutput Scaled(double f) => new(ShaftW * f, FuelW * f, CoolantHeatW * f, ExhaustHeatW * f, RadiatedHeatW * f);
}
