using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Cooling;

/// <summary>
/// The hall's heat path, stepped on a control interval: rack heat splits to air and liquid; CRAHs
/// carry the air heat and CDUs the cold-plate heat into facility water; the facility loop (first-
/// order, integrated exactly) is cooled by the chiller plant (economiser, electric, engine and
/// hybrid chillers) within its capacity. Accelerator temperatures follow their coolant or inlet air
/// and throttle above their limit. No allocation per <see cref="Step"/>.
/// </summary>
/// <remarks>
/// Energy ledger (checked by tests): heat generated (IT heat + CRAH fan heat + facility and CDU
/// pump work + the electrical losses handed in, all of which end as heat in the building) = heat
/// removed by the plant + change of heat stored in the loops, to rounding, at every step.
/// The air balances: each rack's server fans move air in proportion to the heat they carry and
/// faster above their inlet ramp; the CRAHs supply that airflow net of recirculation, within their
/// design airflow (a shortfall is drawn from the hot aisle), with fan power by the affinity law; the
/// hall air is a lumped heat capacity that warms when the coils fall short. With a warm-water loop
/// the CDUs run on it, its dry cooler rejects what the weather allows and the chilled water the rest.
/// Simplifications: pump work and electrical-room losses reach the facility water directly.
/// </remarks>
public sealed partial class CoolingSystem
{
    private readonly RackThermalSpec[] _racks;
    private readonly double[] _rackFlowShare;
    private readonly double[] _airHeatW;
    private readonly double[] _liquidHeatW;
    private readonly double[] _inletC;
    private readonly double[] _dieC;
    private readonly double[] _speed;
    private readonly double[] _coolantOutC;
    private readonly double[] _throttledS;
    private readonly double[] _cduHeatW;
    private readonly Cdu[] _cdus;
    private readonly bool[] _crahTripped;
    private readonly double[] _crahLoadW;
    private readonly double[] _rackAirflow;
    private readonly double[] _rackAirflowPerW;
    private readonly double _roomHeatCapacityJPerK;
    private double _roomStoredJ;
    private double _facilitySupplyC;

    /// <summary>Builds the system from its specs, every loop at its initial temperature.</summary>
    public CoolingSystem(CoolingSystemSpec spec)
    {
        Spec = spec;
        _racks = [.. spec.Racks];
        int n = _racks.Length;
        _rackFlowShare = new double[n];
        _airHeatW = new double[n];
        _liquidHeatW = new double[n];
        _inletC = new double[n];
        _dieC = new double[n];
        _speed = new double[n];
        Protection = new DieProtection(spec.Accelerators, n);
        _coolantOutC = new double[n];
        _throttledS = new double[n];
        _cdus = [.. spec.Cdus.Select(c => new Cdu(c))];
        _cduHeatW = new double[_cdus.Length];
        _crahTripped = new bool[spec.Crahs.Count];
        _crahLoadW = new double[spec.Crahs.Count];
        _crahDesignAirflowM3PerS = [.. spec.Crahs.Select(c => c.DesignAirflowM3PerS)];
        _crahMinAirflowFraction = [.. spec.Crahs.Select(c => c.MinAirflowFraction)];
        _crahDesignFanPowerW = [.. spec.Crahs.Select(c => c.DesignFanPowerW)];
        _crahCapacityPerKelvinWPerK = [.. spec.Crahs.Select(c => c.CapacityPerKelvinWPerK)];
        _rackAirflow = new double[n];
        _rackAirflowPerW = new double[n];
        _roomHeatCapacityJPerK = double.IsFinite(spec.Air.RoomAirHeatCapacityJPerK) && spec.Air.RoomAirHeatCapacityJPerK > 0
            ? spec.Air.RoomAirHeatCapacityJPerK
            : Math.Max(1, n) * AirPathSpec.DefaultRoomAirM3PerRack * AirPathSpec.AirVolumetricHeatCapacity;
        WarmLoop = spec.WarmLoop is { } warm ? new WarmWaterLoop(warm) : null;
        var designPerCdu = new double[_cdus.Length];
        for (int i = 0; i < n; i++)
        {
            var r = _racks[i];
            if (r.Cooling == RackCoolingType.DirectToChip)
            {
                if ((uint)r.Cdu >= (uint)_cdus.Length)
                {
                    throw new ArgumentException($"Rack {i} is direct-to-chip on CDU {r.Cdu}, which does not exist.", nameof(spec));
                }

                designPerCdu[r.Cdu] += r.DesignPowerW;
            }
        }

        for (int i = 0; i < n; i++)
        {
            var r = _racks[i];
            _rackFlowShare[i] = r.Cooling == RackCoolingType.DirectToChip ? r.DesignPowerW / designPerCdu[r.Cdu] : 0;
            _speed[i] = 1;
            double designAirW = r.DesignAirHeatW;
            _rackAirflowPerW[i] = double.IsFinite(r.DesignAirflowM3PerS) && designAirW > 0 ? r.DesignAirflowM3PerS / designAirW : spec.Air.ServerAirflowM3PerSPerW;
            _inletC[i] = spec.Air.SupplyAirSetpointC;
            _dieC[i] = spec.Air.SupplyAirSetpointC;
            _coolantOutC[i] = r.Cooling == RackCoolingType.DirectToChip ? _cdus[r.Cdu].Loop.TemperatureC : double.NaN;
        }

        _designClassAnyCdu = DesignClasses(_racks, _rackFlowShare, null);
        _rackCdu = [.. _racks.Select(r => r.Cooling == RackCoolingType.DirectToChip ? r.Cdu : -1)];
        (_cduRunStart, _cduRunCdu) = CduRuns(_rackCdu);
        _rackLiquidFraction = [.. _racks.Select(r => r.LiquidFraction)];
        _rackAirMask = [.. _racks.Select(r => r.Cooling == RackCoolingType.Air ? -1L : 0L)];
        _rackChipMask = [.. _racks.Select(r => r.Cooling == RackCoolingType.DirectToChip ? -1L : 0L)];

        FacilityLoop = new CoolantLoop(spec.FacilityLoop);
        FacilityPumps = new PumpGroup(spec.FacilityPumps);
        Plant = new ChillerPlant(spec.Plant);
        FacilitySupplySetpointC = spec.FacilitySupplySetpointC;
        SupplyAirSetpointC = spec.Air.SupplyAirSetpointC;
        _facilitySupplyC = Math.Min(FacilityLoop.TemperatureC, FacilitySupplySetpointC);
        SupplyAirC = SupplyAirSetpointC;
    }

    /// <summary>Design values.</summary>
    public CoolingSystemSpec Spec { get; }

    /// <summary>Racks.</summary>
    public int RackCount => _racks.Length;

    /// <summary>The facility water loop.</summary>
    public CoolantLoop FacilityLoop { get; }

    /// <summary>Facility water pumps.</summary>
    public PumpGroup FacilityPumps { get; }

    /// <summary>The CDUs.</summary>
    public IReadOnlyList<Cdu> Cdus => _cdus;

    // The CDUs as a span, for the twin's per-step reads without an interface call each.
    internal ReadOnlySpan<Cdu> CduUnits => _cdus;

    /// <summary>The chiller plant.</summary>
    public ChillerPlant Plant { get; }

    // ---- controls ----

    /// <summary>Facility water supply set point, °C (the supervisor may move it).</summary>
    public double FacilitySupplySetpointC { get; set; }

    /// <summary>CRAH supply air set point, °C.</summary>
    public double SupplyAirSetpointC { get; set; }

    /// <summary>Whether electric chillers can run (false in a grid outage without generator; gas keeps running).</summary>
    public bool ElectricChillersAvailable
    {
        get => Plant.ElectricChillersAvailable;
        set => Plant.ElectricChillersAvailable = value;
    }

    /// <summary>Sets every hybrid chiller's mode.</summary>
    public void SetHybridMode(HybridMode mode) => Plant.SetHybridMode(mode);

    /// <summary>Puts every hybrid chiller in split mode with this gas share, 0..1.</summary>
    public void SetGasShare(double share) => Plant.SetGasShare(share);

    /// <summary>Grid headroom for grid-responsive hybrids, W.</summary>
    public void SetGridSignal(double headroomW) => Plant.SetGridSignal(headroomW);

    /// <summary>Trips a chiller (failure).</summary>
    public void TripChiller(int index) => Plant.Chillers[index].Trip();

    /// <summary>Restores a chiller.</summary>
    public void RestoreChiller(int index) => Plant.Chillers[index].Restore();

    /// <summary>Trips a CDU (its pumps and exchanger stop).</summary>
    public void TripCdu(int index) => _cdus[index].Trip();

    /// <summary>Restores a CDU.</summary>
    public void RestoreCdu(int index) => _cdus[index].Restore();

    /// <summary>Trips one facility water pump.</summary>
    public void TripFacilityPump() => FacilityPumps.TripOne();

    /// <summary>Restores one facility water pump.</summary>
    public void RestoreFacilityPump() => FacilityPumps.RestoreOne();

    /// <summary>Trips one secondary pump of a CDU (the other carries what it can).</summary>
    public void TripCduPump(int cdu) => _cdus[cdu].Pumps.TripOne();

    /// <summary>Restores one secondary pump of a CDU.</summary>
    public void RestoreCduPump(int cdu) => _cdus[cdu].Pumps.RestoreOne();

    /// <summary>Trips a CRAH unit.</summary>
    public void TripCrah(int index) => _crahTripped[index] = true;

    /// <summary>Restores a CRAH unit.</summary>
    public void RestoreCrah(int index) => _crahTripped[index] = false;

    /// <summary>Whether a CRAH unit is tripped.</summary>
    public bool IsCrahTripped(int index) => _crahTripped[index];

    // ---- outputs of the last step ----

    /// <summary>Rack inlet air, °C.</summary>
    public ReadOnlySpan<double> RackInletTempC => _inletC;

    /// <summary>Rack accelerator (die) temperature, °C.</summary>
    public ReadOnlySpan<double> RackAcceleratorTempC => _dieC;

    /// <summary>Shutdown at the die limit and restart, per rack (a shut-down rack's clock factor is 0).</summary>
    public DieProtection Protection { get; }

    /// <summary>Rack clock factor from throttling, 0..1 (feed to <c>IItLoad.SetRackSpeedFactor</c>).</summary>
    public ReadOnlySpan<double> RackSpeedFactor => _speed;

    /// <summary>Coolant leaving a direct-to-chip rack's cold plates, °C (NaN for air racks).</summary>
    public ReadOnlySpan<double> RackCoolantOutletTempC => _coolantOutC;

    /// <summary>Rack heat to air, W.</summary>
    public ReadOnlySpan<double> RackAirHeatW => _airHeatW;

    /// <summary>Rack heat to liquid (cold plates or rear door), W.</summary>
    public ReadOnlySpan<double> RackLiquidHeatW => _liquidHeatW;

    /// <summary>Heat each CRAH carried, W.</summary>
    public ReadOnlySpan<double> CrahLoadW => _crahLoadW;

    /// <summary>Per rack: fraction of the simulated time spent throttled.</summary>
    public double RackThrottleFraction(int rack) => ElapsedS > 0 ? _throttledS[rack] / ElapsedS : 0;

    /// <summary>Simulated seconds stepped.</summary>
    public double ElapsedS { get; private set; }

    /// <summary>CRAH supply air now, °C (above the set point when coils are short).</summary>
    public double SupplyAirC { get; private set; }

    /// <summary>Facility water supply now, °C (drifts above the set point when the plant is short).</summary>
    public double FacilitySupplyC => _facilitySupplyC;

    /// <summary>Facility water return (loop mixed temperature), °C.</summary>
    public double FacilityReturnC => FacilityLoop.TemperatureC;

    /// <summary>IT heat this step (after throttling, when the model applies it), W.</summary>
    public double ItHeatW { get; private set; }

    /// <summary>CRAH fan electric power, W.</summary>
    public double CrahFanPowerW { get; private set; }

    /// <summary>Pump power: facility and CDU secondary, W.</summary>
    public double PumpPowerW { get; private set; }

    /// <summary>Cooling electric power: chillers, tower fans, condenser and facility and CDU pumps, CRAH fans, W.</summary>
    public double CoolingElectricPowerW { get; private set; }

    /// <summary>Fuel input (HHV), W.</summary>
    public double FuelPowerW { get; private set; }

    /// <summary>What an all-electric plant would draw for the same load, W.</summary>
    public double AllElectricEquivalentPowerW { get; private set; }

    /// <summary>Electric capacity freed by gas: all-electric equivalent − actual, W.</summary>
    public double FreedCapacityW => AllElectricEquivalentPowerW - CoolingElectricPowerW;

    /// <summary>Heat removed from facility water by the plant, W.</summary>
    public double HeatRemovedW { get; private set; }

    /// <summary>Tower make-up water now, m³/s.</summary>
    public double WaterUseM3PerS { get; private set; }

    /// <summary>Tower make-up water since the start, m³.</summary>
    public double WaterUseM3 { get; private set; }

    /// <summary>Heat rejected outdoors by the plant, W.</summary>
    public double HeatRejectedW { get; private set; }

    /// <summary>Heat stored in the loops above their initial temperatures, J.</summary>
    public double StoredHeatJ
    {
        get
        {
            double s = FacilityLoop.StoredHeatJ + _roomStoredJ + (WarmLoop?.StoredHeatJ ?? 0);
            foreach (var c in _cdus)
            {
                s += c.Loop.StoredHeatJ;
            }

            return s;
        }
    }

    // ---- totals since the start ----

    /// <summary>IT heat, J.</summary>
    public double ItHeatJ { get; private set; }

    /// <summary>Heat generated in the building (IT, CRAH fans, pumps, electrical losses), J.</summary>
    public double HeatGeneratedJ { get; private set; }

    /// <summary>Heat removed by the plant, J.</summary>
    public double HeatRemovedJ { get; private set; }

    /// <summary>Cooling electric energy, J.</summary>
    public double CoolingElectricJ { get; private set; }

    /// <summary>Fuel energy (HHV), J.</summary>
    public double FuelJ { get; private set; }

    /// <summary>Freed electric energy (all-electric minus actual), J.</summary>
    public double FreedJ { get; private set; }

    /// <summary>Highest 15-minute mean of the heat generated in the building (IT, fans, pumps, losses), W: the plant's design load as run.</summary>
    public double PeakHeatLoad15MinW => Math.Max(_peakHeat15W, _heatBlockS > 0 ? _heatBlockJ / _heatBlockS : 0);

    private double _peakHeat15W;
    private double _heatBlockJ;
    private double _heatBlockS;

    /// <summary>Highest freed capacity seen, W.</summary>
    public double PeakFreedCapacityW { get; private set; }

    /// <summary>Accelerator-hours spent throttled.</summary>
    public double ThrottledAcceleratorHours { get; private set; }

    /// <summary>Rack-hours with inlet outside the allowable envelope.</summary>
    public double InletOutsideAllowableRackHours { get; private set; }

    /// <summary>Largest |Σ chiller energy balance residual| seen in a step, W.</summary>
    public double MaxChillerBalanceResidualW { get; private set; }

    /// <summary>Heat generated − removed − stored, J (zero to rounding).</summary>
    public double EnergyBalanceResidualJ => HeatGeneratedJ - HeatRemovedJ - StoredHeatJ;

    /// <summary>|residual| over heat generated (0 before any heat).</summary>
    public double EnergyBalanceRelativeResidual => HeatGeneratedJ > 0 ? Math.Abs(EnergyBalanceResidualJ) / HeatGeneratedJ : 0;

    /// <summary>
    /// Hands the last step's rack speed factors and accelerator temperatures to the IT model (set
    /// <see cref="AcceleratorThermalSpec.ThrottleReducesItPower"/> false when the IT model applies them).
    /// </summary>
    public void PushTo(IItLoad itLoad)
    {
        int n = Math.Min(itLoad.RackCount, _racks.Length);
        for (int i = 0; i < n; i++)
        {
            itLoad.SetRackSpeedFactor(i, _speed[i]);
            itLoad.SetRackTemperatureC(i, _dieC[i]);
        }
    }

    /// <summary>Advances the system by <paramref name="dtS"/> with the racks' IT power and the outdoor weather.</summary>
    /// <param name="dtS">Step, s.</param>
    /// <param name="rackItPowerW">IT power per rack, W.</param>
    /// <param name="weather">Outdoor air.</param>
    /// <param name="electricalLossHeatW">UPS and distribution losses in the building, W: cooled by the facility water.</param>
    public void Step(double dtS, ReadOnlySpan<double> rackItPowerW, in WeatherConditions weather, double electricalLossHeatW = 0)
    {
        if (rackItPowerW.Length != _racks.Length)
        {
            throw new ArgumentException($"Expected {_racks.Length} rack powers, got {rackItPowerW.Length}.", nameof(rackItPowerW));
        }

        if (!(dtS > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(dtS), dtS, "The step must be positive.");
        }

        // 1. Heat split; server fans move air for the heat they carry, faster above their inlet ramp
        // (judged on the last step's inlet), and draw more power doing so (CoolingSystem.Racks).
        Array.Clear(_cduHeatW);
        SplitHeatOverRacks(rackItPowerW, out double itHeat, out double airHeat, out double doorHeat, out double rackFlow, out double serverFanExtraW);

        // 2. CDUs against the supply of the last step: the warm-water loop's, or the facility water's.
        double cduToFacility = 0;
        double pumpW = 0;
        double cduPrimaryC = WarmLoop?.SupplyTempC ?? _facilitySupplyC;
        for (int c = 0; c < _cdus.Length; c++)
        {
            cduToFacility += _cdus[c].Advance(dtS, _cduHeatW[c], cduPrimaryC);
            pumpW += _cdus[c].Pumps.PowerW;
        }

        // The CDU pumps' work is heat in the water they serve.
        double toFacility = cduToFacility + pumpW;
        double dryCoolerW = 0;
        double dryFanW = 0;
        if (WarmLoop is { } warm)
        {
            // The warm loop takes the CDUs' heat; its dry cooler rejects what the dry-bulb allows and
            // only the trim reaches the chilled water.
            pumpW += warm.Step(dtS, toFacility, weather.DryBulbC, _facilitySupplyC);
            dryCoolerW = warm.DryCooler.HeatRejectedW;
            dryFanW = warm.DryCooler.FanPowerW;
            toFacility = warm.TrimW;
            ChillerlessSeconds += warm.Chillerless ? dtS : 0;
        }

        // 3. Air: the CRAHs supply the racks' airflow net of recirculation, within their design airflow,
        // and their coils cool the hall air within what the water and the return air allow.
        double coilW = AirStep(dtS, airHeat, rackFlow, serverFanExtraW, out double fanW, out double recirculation);

        // 4. Facility loop cooled by the plant within its capacity.
        double lossHeat = Math.Max(0, electricalLossHeatW);
        double flow = FacilityPumps.Run(Spec.FacilityFlowFor(toFacility + doorHeat + coilW + lossHeat));
        double facilityPumpW = FacilityPumps.PowerW;
        pumpW += facilityPumpW;
        double facilityIn = toFacility + doorHeat + coilW + facilityPumpW + lossHeat;
        double g = flow * Spec.FacilityLoop.Coolant.SpecificHeatJPerKgK;
        double returnBefore = FacilityLoop.TemperatureC;
        double capacity = Plant.Prepare(dtS, FacilitySupplySetpointC, returnBefore, g, weather);
        double removed = FacilityLoop.AdvanceCapped(dtS, facilityIn, FacilitySupplySetpointC, g, capacity);
        Plant.Run(removed, weather);
        _facilitySupplyC = g > 0 ? FacilityLoop.TemperatureC - (removed / g) : FacilityLoop.TemperatureC;

        // 5. Racks: inlet air, coolant outlet, accelerator temperature and throttling (CoolingSystem.Racks).
        RackTemperaturesOverRacks(dtS, recirculation, out double throttledAccS, out double outsideS);

        // 6. Outputs and ledgers.
        ItHeatW = itHeat;
        CrahFanPowerW = fanW;
        ServerFanExtraPowerW = serverFanExtraW;
        DryCoolerFanPowerW = dryFanW;
        ServerFanExtraJ += serverFanExtraW * dtS;
        DryCoolerFanJ += dryFanW * dtS;
        DryCoolerHeatJ += dryCoolerW * dtS;
        PumpPowerW = pumpW;
        HeatRemovedW = Plant.CoolingW + dryCoolerW;
        HeatRejectedW = Plant.HeatRejectedW + dryCoolerW + dryFanW;
        WaterUseM3PerS = Plant.WaterUseM3PerS;
        WaterUseM3 += WaterUseM3PerS * dtS;
        FuelPowerW = Plant.FuelW;
        CoolingElectricPowerW = Plant.ElectricW + pumpW + fanW + serverFanExtraW + dryFanW;
        AllElectricEquivalentPowerW = Plant.AllElectricEquivalentW + pumpW + fanW + serverFanExtraW + dryFanW;
        double chillerResidual = 0;
        var chillers = Plant.Chillers;
        for (int k = 0; k < chillers.Count; k++)
        {
            chillerResidual += chillers[k].EnergyBalanceResidualW;
        }

        MaxChillerBalanceResidualW = Math.Max(MaxChillerBalanceResidualW, Math.Abs(chillerResidual));
        ElapsedS += dtS;
        ItHeatJ += itHeat * dtS;
        HeatGeneratedW = itHeat + fanW + serverFanExtraW + pumpW + lossHeat;
        HeatGeneratedJ += HeatGeneratedW * dtS;
        _heatBlockJ += HeatGeneratedW * dtS;
        _heatBlockS += dtS;
        if (_heatBlockS >= 900 - 1e-6)
        {
            _peakHeat15W = Math.Max(_peakHeat15W, _heatBlockJ / _heatBlockS);
            _heatBlockJ = 0;
            _heatBlockS = 0;
        }
        HeatRemovedJ += HeatRemovedW * dtS;
        CoolingElectricJ += CoolingElectricPowerW * dtS;
        FuelJ += FuelPowerW * dtS;
        FreedJ += FreedCapacityW * dtS;
        PeakFreedCapacityW = Math.Max(PeakFreedCapacityW, FreedCapacityW);
        ThrottledAcceleratorHours += throttledAccS / 3600;
        InletOutsideAllowableRackHours += outsideS / 3600;
    }
}
