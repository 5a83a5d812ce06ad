namespace DataCenterTwin.Model.Cooling;

/// <summary>A hybrid chiller: one compressor, driven by an electric motor, a gas engine, or both.</summary>
/// <param name="Name">Unit name.</param>
/// <param name="Compressor">The compressor on its electric EIR curves (motor drive).</param>
/// <param name="GasCop">Cooling over fuel (HHV) on engine drive vs part-load ratio.</param>
/// <param name="ParasiticElectricFraction">Electric parasitics on the gas side per watt of gas-driven cooling.</param>
/// <param name="EngineStartDelayS">From a start request until the engine takes load, s.</param>
/// <param name="EngineRampPerS">Fastest change of the gas share once running, per second.</param>
/// <param name="MinRunTimeS">Shortest run once started, s.</param>
/// <param name="MaxStartsPerHour">Most engine starts in any hour.</param>
/// <param name="MinGasShareRunning">Lowest share the running engine carries (its minimum load).</param>
public sealed record HybridChillerSpec(
    string Name, ElectricChillerSpec Compressor, QuadraticCurve GasCop, double ParasiticElectricFraction,
    double EngineStartDelayS, double EngineRampPerS, double MinRunTimeS, int MaxStartsPerHour, double MinGasShareRunning = 0.2)
    : ChillerSpec(Name)
{
    /// <inheritdoc/>
    public override double NominalCapacityW => Compressor.RatedCapacityW;

    /// <inheritdoc/>
    public override CondenserType Condenser => Compressor.CondenserKind;
}

/// <summary>
/// A hybrid gas/electric chiller in operation. The gas share <c>s</c> of the cooling is driven by
/// the engine: electric = (1 − s)·P_EIR + parasitics·s·Q; fuel = s·Q / gas COP(PLR); the
/// all-electric equivalent is P_EIR. Engine start delay, ramp, minimum run time and starts per
/// hour are respected; without grid power only the engine drives.
/// </summary>
public sealed class HybridChiller : IChiller
{
    private const double SecondsPerHour = 3600;
    private readonly HybridChillerSpec _spec;
    private readonly double[] _startTimesS;
    private int _startCursor;
    private double _clockS;
    private double _engineTimerS;
    private double _chwC;
    private double _condC;
    private bool _electricAvailable = true;
    private double _fullCapacityW;

    /// <summary>Creates the unit in electric mode, engine off.</summary>
    public HybridChiller(HybridChillerSpec spec)
    {
        _spec = spec;
        _startTimesS = new double[Math.Max(1, spec.MaxStartsPerHour)];
        Array.Fill(_startTimesS, double.NegativeInfinity);
    }

    /// <inheritdoc/>
    public ChillerSpec Spec => _spec;

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

    /// <summary>Engine starts since the beginning.</summary>
    public int EngineStarts { get; private set; }

    /// <summary>Seconds the engine has run since its last start took load.</summary>
    public double EngineRunTimeS => Engine == EngineState.Running ? _engineTimerS : 0;

    /// <inheritdoc/>
    public bool IsTripped { get; private set; }

    /// <inheritdoc/>
    public double AvailableCapacityW { get; private set; }

    /// <inheritdoc/>
    public double CoolingW { get; private set; }

    /// <inheritdoc/>
    public double PartLoadRatio { get; private set; }

    /// <inheritdoc/>
    public double ElectricW { get; private set; }

    /// <inheritdoc/>
    public double FuelW { get; private set; }

    /// <inheritdoc/>
    public double AllElectricEquivalentW { get; private set; }

    /// <summary>Compressor shaft work (= the EIR electric input at this load), W.</summary>
    public double CompressorWorkW { get; private set; }

    /// <inheritdoc/>
    public double CondenserHeatW => CoolingW + CompressorWorkW;

    /// <inheritdoc/>
    public double HeatRecoveredW => 0;

    /// <inheritdoc/>
    public double HeatRejectedW { get; private set; }

    /// <inheritdoc/>
    public double Cop => ElectricW + FuelW > 0 ? CoolingW / (ElectricW + FuelW) : 0;

    /// <inheritdoc/>
    public double EnergyBalanceResidualW => HeatRejectedW + HeatRecoveredW - (CoolingW + ElectricW + FuelW);

    /// <summary>The gas share the mode asks for now.</summary>
    public double TargetGasShare => !_electricAvailable ? 1 : Mode switch
    {
        HybridMode.Electric => 0,
        HybridMode.Gas => 1,
        HybridMode.Split => Math.Clamp(SplitGasShare, 0, 1),
        _ => Math.Clamp(PolicyGasShare, 0, 1),
    };

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
        _electricAvailable = electricAvailable;
        AdvanceEngine(dtS);
        _clockS += dtS;
        _fullCapacityW = _spec.Compressor.AvailableCapacityW(leavingChilledWaterC, condenserInC);
        double capacity = _fullCapacityW * _spec.Compressor.MaxPartLoadRatio;
        AvailableCapacityW = IsTripped ? 0 : electricAvailable ? capacity : capacity * GasShare;
    }

    /// <inheritdoc/>
    public void Run(double loadW)
    {
        CoolingW = Math.Clamp(loadW, 0, AvailableCapacityW);
        if (CoolingW <= 0)
        {
            PartLoadRatio = ElectricW = FuelW = AllElectricEquivalentW = CompressorWorkW = HeatRejectedW = 0;
            return;
        }

        PartLoadRatio = CoolingW / _fullCapacityW;
        double s = _electricAvailable ? GasShare : 1;
        CompressorWorkW = _spec.Compressor.ElectricPowerW(CoolingW, _chwC, _condC);
        AllElectricEquivalentW = CompressorWorkW;
        double gasCooling = s * CoolingW;
        FuelW = gasCooling > 0 ? gasCooling / _spec.GasCop.Value(Math.Max(PartLoadRatio, _spec.Compressor.MinPartLoadRatio)) : 0;
        ElectricW = ((1 - s) * CompressorWorkW) + (_spec.ParasiticElectricFraction * gasCooling);
        HeatRejectedW = CoolingW + ElectricW + FuelW;
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
                if (IsTripped || (target <= 0 && _engineTimerS >= _spec.MinRunTimeS))
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
        _engineTimerS += dtS;
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
