namespace DataCenterTwin.Model.Cooling;

/// <summary>A hybrid chiller: one compressor, driven by an electric motor, a gas engine, or both.</summary>
/// <param name="Name">Unit name.</param>
/// <param name="Compressor">The compressor on its electric EIR curves (motor drive).</param>
/// <param name="Engine">The natural-gas engine on the compressor shaft.</param>
/// <param name="ParasiticElectricFraction">Electric parasitics on the gas side per watt of gas-driven cooling.</param>
/// <param name="EngineStartDelayS">From a start request until the engine takes load, s.</param>
/// <param name="EngineRampPerS">Fastest change of the gas share once running, per second.</param>
/// <param name="MinRunTimeS">Shortest run once started, s.</param>
/// <param name="MaxStartsPerHour">Most engine starts in any hour.</param>
/// <param name="MinGasShareRunning">Lowest share the running engine carries (its minimum load).</param>
/// <param name="MotorEfficiency">Shaft work over electric input of the motor drive (the EIR curves include it).</param>
public sealed record HybridChillerSpec(
    string Name, ElectricChillerSpec Compressor, GasEngineSpec Engine, double ParasiticElectricFraction,
    double EngineStartDelayS, double EngineRampPerS, double MinRunTimeS, int MaxStartsPerHour, double MinGasShareRunning = 0.2,
    double MotorEfficiency = HybridChillerSpec.NemaPremiumMotorEfficiency)
    : ChillerSpec(Name)
{
    /// <summary>
    /// Full-load efficiency of a 200–250 hp four-pole open drip-proof NEMA Premium motor, 95.8 %
    /// (NEMA MG 1, Table 12-12), the size that drives a 1 MW (about 285 ton) chiller's compressor.
    /// </summary>
    public const double NemaPremiumMotorEfficiency = 0.958;

    /// <inheritdoc/>
    public override double NominalCapacityW => Compressor.RatedCapacityW;

    /// <inheritdoc/>
    public override CondenserType Condenser => Compressor.CondenserKind;

    /// <summary>
    /// A hybrid whose engine is sized to the compressor's shaft work at its rating point (rated
    /// capacity over rated COP, times the motor efficiency), with minimum load at the minimum gas share.
    /// </summary>
    public static HybridChillerSpec WithSizedEngine(string name, ElectricChillerSpec compressor, double parasiticElectricFraction,
        double engineStartDelayS, double engineRampPerS, double minRunTimeS, int maxStartsPerHour, double minGasShareRunning = 0.2)
    {
        double shaftW = compressor.RatedCapacityW / compressor.RatedCop * NemaPremiumMotorEfficiency;
        return new HybridChillerSpec(name, compressor, GasEngineSpec.NaturalGas(shaftW, minGasShareRunning), parasiticElectricFraction,
            engineStartDelayS, engineRampPerS, minRunTimeS, maxStartsPerHour, minGasShareRunning);
    }
}

/// <summary>
/// A hybrid gas/electric chiller in operation. The compressor needs the shaft work its own EIR
/// curves give at the actual lift and load (electric input P_EIR times the motor efficiency);
/// the engine carries the gas share s of it and burns fuel on its Willans line, the motor the
/// rest: electric = (1 − s)·P_EIR + parasitics·s·Q. The all-electric equivalent is P_EIR at the
/// same conditions. While the engine starts it burns its no-load fuel; below its minimum load it
/// cycles. Condenser heat = cooling + compressor work; the engine's coolant heat goes to the
/// condenser loop, a radiator or heat recovery; its exhaust and block heat go outdoors.
/// </summary>
public sealed class HybridChiller : Chiller
{
    private const double SecondsPerHour = 3600;
    private readonly HybridChillerSpec _spec;
    private readonly double[] _startTimesS;
    private int _startCursor;
    private double _clockS;
    private double _engineTimerS;
    private bool _electricAvailable = true;
    private double _fullCapacityW;
    private double _startingS;
    private double _stepS;

    /// <summary>Creates the unit in electric mode, engine off.</summary>
    public HybridChiller(HybridChillerSpec spec)
        : base(spec)
    {
        _spec = spec;
        _startTimesS = new double[Math.Max(1, spec.MaxStartsPerHour)];
        Array.Fill(_startTimesS, double.NegativeInfinity);
    }

    /// <summary>Driver mode asked for.</summary>
    public HybridMode Mode { get; set; } = HybridMode.Electric;

    /// <summary>Gas share used in <see cref="HybridMode.Split"/> mode, 0..1.</summary>
    public double SplitGasShare { get; set; } = 0.5;

    /// <summary>Target gas share the policy set (grid-responsive mode), 0..1.</summary>
    public double PolicyGasShare { get; set; }

    /// <summary>Engine state.</summary>
    public EngineState Engine { get; private set; }

    /// <summary>Gas share of the cooling now, 0..1.</summary>
    public double GasShare { get; private set; }

    /// <summary>Engine starts since the beginning (failed ones included).</summary>
    public int EngineStarts { get; private set; }

    /// <summary>Starts that failed: the engine cranked for its start delay and did not take load.</summary>
    public int FailedStarts { get; private set; }

    /// <summary>Whether the engine is out of order: it stops, and every start fails until it is restored.</summary>
    public bool EngineFailed { get; set; }

    /// <summary>Seconds the engine has run since its last start took load.</summary>
    public double EngineRunTimeS => Engine == EngineState.Running ? _engineTimerS : 0;

    /// <summary>Work delivered to the refrigerant: the motor's electric input (a hermetic motor's losses reach the refrigerant too) plus the engine's shaft work, W.</summary>
    public double CompressorWorkW { get; private set; }

    /// <summary>The engine's output over the last step (idle burn while starting included).</summary>
    public EngineOutput EngineOutput { get; private set; }

    /// <summary>Electric power of the engine radiator's fans (radiator sink only), W.</summary>
    public double RadiatorFanW { get; private set; }

    /// <summary>The gas share the mode asks for now.</summary>
    public double TargetGasShare => !_electricAvailable ? 1 : Mode switch
    {
        HybridMode.Electric => 0,
        HybridMode.Gas => 1,
        HybridMode.Split => Math.Clamp(SplitGasShare, 0, 1),
        _ => Math.Clamp(PolicyGasShare, 0, 1),
    };

    /// <inheritdoc/>
    public override void Prepare(double dtS, double leavingChilledWaterC, double condenserInC, bool electricAvailable)
    {
        LeavingChilledWaterC = leavingChilledWaterC;
        EnteringCondenserC = condenserInC;
        _electricAvailable = electricAvailable;
        _stepS = dtS;
        _startingS = 0;
        AdvanceEngine(dtS);
        _clockS += dtS;
        _fullCapacityW = _spec.Compressor.AvailableCapacityW(leavingChilledWaterC, condenserInC);
        double capacity = _fullCapacityW * _spec.Compressor.MaxPartLoadRatio;
        AvailableCapacityW = IsTripped ? 0 : electricAvailable ? capacity : capacity * GasShare;
    }

    /// <inheritdoc/>
    public override void Run(double loadW)
    {
        var spec = _spec;
        var engine = spec.Engine;
        CoolingW = Math.Clamp(loadW, 0, AvailableCapacityW);

        // A start burns the engine's no-load fuel for the part of the step it spent starting.
        var output = _stepS > 0 && _startingS > 0 ? engine.Split(0, engine.NoLoadFuelHhvW).Scaled(_startingS / _stepS) : default;
        double electricW = 0;
        double refrigerantWorkW = 0;
        double gasCooling = 0;
        if (CoolingW > 0)
        {
            PartLoadRatio = CoolingW / _fullCapacityW;
            double motorInputW = spec.Compressor.ElectricPowerW(CoolingW, LeavingChilledWaterC, EnteringCondenserC);
            double shaftW = motorInputW * spec.MotorEfficiency;
            AllElectricEquivalentW = motorInputW;
            double s = _electricAvailable ? GasShare : 1;
            if (s > 0)
            {
                // The running engine carries at least its minimum load (when the compressor needs that much).
                double minW = engine.MinLoadFraction * engine.RatedShaftPowerW;
                s = shaftW > 0 ? Math.Min(1, Math.Max(s, minW / shaftW)) : 0;

                // Above its rating the engine cannot go; the motor takes the rest when it has power
                // (off-grid the engine is held to the compressor's need: an overload the model allows).
                if (_electricAvailable && s * shaftW > engine.RatedShaftPowerW)
                {
                    s = engine.RatedShaftPowerW / shaftW;
                }
            }

            double engineShaftW = s * shaftW;
            output += engine.Deliver(engineShaftW);
            gasCooling = s * CoolingW;
            electricW = ((1 - s) * motorInputW) + (spec.ParasiticElectricFraction * gasCooling);
            refrigerantWorkW = ((1 - s) * motorInputW) + engineShaftW;
        }
        else
        {
            PartLoadRatio = AllElectricEquivalentW = 0;
        }

        EngineOutput = output;
        CompressorWorkW = refrigerantWorkW;
        FuelW = output.FuelW;
        double condenser = CoolingW + refrigerantWorkW;
        double rejected = output.ExhaustHeatW + output.RadiatedHeatW + (spec.ParasiticElectricFraction * gasCooling);
        RadiatorFanW = 0;
        HeatRecoveredW = 0;
        switch (engine.CoolantSink)
        {
            case EngineHeatSink.CondenserLoop:
                condenser += output.CoolantHeatW;
                break;
            case EngineHeatSink.Radiator:
                RadiatorFanW = engine.RadiatorFanFraction * output.CoolantHeatW;
                electricW += RadiatorFanW;
                rejected += output.CoolantHeatW + RadiatorFanW;
                break;
            default:
                HeatRecoveredW = output.CoolantHeatW;
                break;
        }

        ElectricW = electricW;
        CondenserHeatW = condenser;
        HeatRejectedW = condenser + rejected;
    }

    /// <summary>
    /// Cooling over fuel (HHV) if the engine carried all of <paramref name="coolingW"/> at the
    /// conditions of the last step (0 when it cannot): what a price-comparing policy weighs.
    /// </summary>
    public double GasCopAt(double coolingW)
    {
        if (coolingW <= 0 || _fullCapacityW <= 0)
        {
            return 0;
        }

        double shaftW = _spec.Compressor.ElectricPowerW(coolingW, LeavingChilledWaterC, EnteringCondenserC) * _spec.MotorEfficiency;
        double fuel = _spec.Engine.Deliver(shaftW).FuelW;
        return fuel > 0 ? coolingW / fuel : 0;
    }

    private void AdvanceEngine(double dtS)
    {
        double target = IsTripped ? 0 : TargetGasShare;
        switch (Engine)
        {
            case EngineState.Off:
                GasShare = 0;
                if (target > 0 && StartsInLastHour() < _spec.MaxStartsPerHour)
                {
                    Engine = EngineState.Starting;
                    _engineTimerS = 0;
                    _startTimesS[_startCursor] = _clockS;
                    _startCursor = (_startCursor + 1) % _startTimesS.Length;
                    EngineStarts++;
                    AdvanceStarting(dtS, target);
                }

                break;
            case EngineState.Starting:
                AdvanceStarting(dtS, target);
                break;
            case EngineState.Running:
                _engineTimerS += dtS;
                if (IsTripped || EngineFailed || (target <= 0 && _engineTimerS >= _spec.MinRunTimeS))
                {
                    Engine = EngineState.Off;
                    GasShare = 0;
                    break;
                }

                double goal = Math.Max(target, _spec.MinGasShareRunning);
                double step = _spec.EngineRampPerS * dtS;
                GasShare = Math.Clamp(goal, GasShare - step, GasShare + step);
                break;
        }
    }

    private void AdvanceStarting(double dtS, double target)
    {
        _startingS += Math.Min(dtS, Math.Max(0, _spec.EngineStartDelayS - _engineTimerS));
        _engineTimerS += dtS;
        if (_engineTimerS >= _spec.EngineStartDelayS && EngineFailed)
        {
            // It cranked (and burned its idle fuel) for the start delay and did not fire: the start
            // counts against the starts per hour, and the motor keeps the load.
            Engine = EngineState.Off;
            GasShare = 0;
            FailedStarts++;
            return;
        }

        if (_engineTimerS >= _spec.EngineStartDelayS)
        {
            Engine = EngineState.Running;
            _engineTimerS -= _spec.EngineStartDelayS;
            GasShare = Math.Min(Math.Max(target, _spec.MinGasShareRunning), _spec.EngineRampPerS * _engineTimerS);
        }
    }

    private int StartsInLastHour()
    {
        int n = 0;
        foreach (double t in _startTimesS)
        {
            if (_clockS - t < SecondsPerHour)
            {
                n++;
            }
        }

        return n;
    }
}
