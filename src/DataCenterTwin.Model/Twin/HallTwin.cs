using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Control;
using DataCenterTwin.Model.Cooling;

namespace DataCenterTwin.Model.Twin;

/// <summary>
/// The whole twin on one clock. Compute (request or fluid level) runs on its own events; every
/// control step the twin reads the IT energy each rack used since the last step, steps the
/// thermal and cooling model on it under the weather, meters the facility through its power
/// path, grid, UPS and generators, books cost and CO2, asks the controller for the next step's
/// plant mode and IT cap, and hands the racks their clock factors (thermal throttling and cap).
/// </summary>
public sealed partial class HallTwin : IEventHandler
{
    private const int ControlStepKind = 0;
    private const int EventStartKind = 1;
    private const int EventEndKind = 2;

    private readonly HallTwinParts _p;
    private readonly Simulator _sim;
    private readonly HandlerId _self;
    private readonly SimTime _step;
    private readonly double _stepS;
    private readonly int _stepsPerInterval;
    private readonly int _racks;
    private readonly double[] _lastEnergyJ;
    private readonly double[] _rackPowerW;
    private readonly double[] _rackSpeed;
    private readonly double[] _capFactor;
    private readonly bool[] _rackFeedUp;
    private readonly double _idleTotalW;
    private readonly IntervalAverager _interval = new();
    [NotState] // outputs and front ends, not state: a restored twin keeps its own
    private readonly List<ITwinObserver> _observers = [];
    private ControlDecision _decision = ControlDecision.Normal;
    private double _lastCapFactor = 1;
    private int _stepInInterval;
    private FacilitySample _lastStep;
    private bool _blackout;
    private double _lastDynamicW;
    private double _coolingPeakW;
    private readonly List<Grid.GridEventSpec> _events;
    private readonly double[] _rackDynamicW;
    private readonly double _scenarioWaterC;
    private readonly double _scenarioAirC;
    private readonly HashSet<string> _failedEquipment = new(StringComparer.Ordinal);

    // The rack energies of this step where the load keeps no array of them (a windowed load's, read
    // in one call): scratch, filled before it is read.
    [NotState]
    private double[]? _rackEnergiesJ;

    /// <summary>Wires the parts; nothing runs until the simulator does.</summary>
    public HallTwin(HallTwinParts parts)
    {
        _p = parts;
        _sim = parts.Simulator;
        _racks = parts.It.RackCount;
        if (parts.Cooling.RackCount != _racks || parts.RackIdlePowerW.Length != _racks)
        {
            throw new ArgumentException($"The IT load has {_racks} racks, the cooling model {parts.Cooling.RackCount}, the idle powers {parts.RackIdlePowerW.Length}.", nameof(parts));
        }

        _stepS = parts.ControlStepS;
        _step = SimTime.FromSeconds(_stepS);
        _stepsPerInterval = Math.Max(1, (int)Math.Round(parts.OutputIntervalS / _stepS));
        _lastEnergyJ = new double[_racks];
        _rackPowerW = new double[_racks];
        _rackSpeed = new double[_racks];
        _capFactor = new double[_racks];
        Array.Fill(_rackSpeed, 1.0);
        Array.Fill(_capFactor, 1.0);
        _rackDynamicW = new double[_racks];
        _scenarioWaterC = parts.Cooling.FacilitySupplySetpointC;
        _scenarioAirC = parts.Cooling.SupplyAirSetpointC;
        _events = [.. parts.Events];
        _rackFeedUp = new bool[_racks];
        Array.Fill(_rackFeedUp, true);
        _idleTotalW = parts.RackIdlePowerW.Sum();
        Ledger = new FacilityLedger(parts.Tariff, parts.Calendar, double.IsFinite(parts.Grid.ContractedCapacityW) ? parts.Grid.ContractedCapacityW : 1e8,
            [100e3, 500e3, 1e6]);
        _rackSums = new RackIntervalSums(_racks);
        _plantUnits = PlantUnits(parts.Cooling);
        _plantAcc = new PlantAccumulator[_plantUnits.Length];
        _self = _sim.Register(this, "twin");
        _sim.Schedule(_step, _self, ControlStepKind);
        for (int i = 0; i < _events.Count; i++)
        {
            // A microsecond late: the control step at the same instant meters the step before the event.
            _sim.Schedule(new SimTime(_events[i].Start.Ticks + 1), _self, EventStartKind, i);
            _sim.Schedule(new SimTime(_events[i].End.Ticks + 1), _self, EventEndKind, i);
        }
    }

    /// <summary>The books: energy, cost, CO2, freed capacity.</summary>
    public FacilityLedger Ledger { get; }

    /// <summary>The parts, for reading their state.</summary>
    public HallTwinParts Parts => _p;

    /// <summary>The last control step's facility figures.</summary>
    public FacilitySample LastStep => _lastStep;

    /// <summary>The controller's decision in force.</summary>
    public ControlDecision Decision => _decision;

    /// <summary>Control steps taken.</summary>
    public long Steps { get; private set; }

    /// <summary>Seconds the facility drew more than the grid limit in force.</summary>
    public double SecondsOverGridLimit => _p.Grid.SecondsOverCapacity;

    /// <summary>Adds an output (report recorder, Parquet writer, live stream).</summary>
    public void Observe(ITwinObserver observer) => _observers.Add(observer);

    /// <summary>Runs to <paramref name="until"/>, the control step at that time included.</summary>
    public void RunUntil(SimTime until) => _sim.RunUntil(new SimTime(until.Ticks + 1));

    /// <summary>Closes a partly filled output interval so the outputs cover every simulated second.</summary>
    public void Flush()
    {
        if (_interval.AccumulatedS > 0)
        {
            EmitInterval();
        }
    }

    /// <inheritdoc/>
    public void OnEvent(in SimEvent e)
    {
        switch (e.Kind)
        {
            case ControlStepKind:
                ControlStep();
                _sim.ScheduleAfter(_step, _self, ControlStepKind);
                break;
            case EventStartKind:
                StartEvent((int)e.Arg);
                break;
            case EventEndKind:
                EndEvent((int)e.Arg);
                break;
            case ControlApplyKind:
                ApplyControl((int)e.Arg);
                break;
        }
    }

    private void ControlStep()
    {
        var now = _sim.Now;
        double startS = now.TotalSeconds - _stepS;
        var it = _p.It;
        it.AdvanceTo(now);

        // The fluid hall's energies read from its array, a windowed load's copied into one in a call:
        // an interface call per rack per step (two through a windowed load) was a few per cent of a step.
        ReadOnlySpan<double> energiesJ;
        if (it is FluidHall fluid)
        {
            energiesJ = fluid.RackEnergiesJ;
        }
        else
        {
            var read = _rackEnergiesJ ??= new double[_racks];
            if (it is WindowedItLoad windowed)
            {
                windowed.ReadRackEnergiesJ(read);
            }
            else
            {
                for (int r = 0; r < _racks; r++)
                {
                    read[r] = it.RackEnergyJ(r);
                }
            }

            energiesJ = read;
        }

        // Power above idle while busy goes as f² (AcceleratorSpec.DynamicScale), and a slowed step
        // is busy for longer only in its compute-bound part (Roofline): at clock f the power above
        // idle is between f² (memory-bound or saturated) and f (all compute) times its full-clock
        // value. Dividing by f² gives the upper end: the policy never takes a capped hall's demand
        // for less than it is, which would drop the cap and make it chatter.
        var (itW, dynamicW) = RackStepPower.Measure(energiesJ, _lastEnergyJ, _rackPowerW, _p.RackIdlePowerW, _rackSpeed, _rackDynamicW, _stepS);

        var weather = WeatherAt(startS + _stepS / 2);
        var cooling = _p.Cooling;
        cooling.ElectricChillersAvailable = _p.Grid.IsAvailable || _p.Generator.IsRunning;
        double lossesW = _p.Power.LossesFor(itW);
        cooling.Step(_stepS, _rackPowerW, weather, lossesW);
        _p.Power.Meter(itW, cooling.CoolingElectricPowerW, lossesW);
        double totalW = _p.Power.FacilityPowerW;

        var s = new FacilitySample
        {
            StartS = startS,
            DurationS = _stepS,
            ItW = itW,
            CoolingElectricW = cooling.CoolingElectricPowerW,
            ChillerElectricW = ChillerElectricW(),
            LossesW = _p.Power.DistributionLossW,
            OtherW = _p.Power.OtherPowerW,
            GasW = cooling.FuelPowerW,
            HeatRecoveredW = cooling.Plant.HeatRecoveredW,
            FreedW = Math.Max(0, cooling.FreedCapacityW),
            CoolingAllElectricW = cooling.AllElectricEquivalentPowerW,
            GasShare = _decision.GasShare,
            ItCapW = _decision.ItPowerCapW,
            OutdoorDryBulbC = weather.DryBulbC,
            Utilisation = _p.It.MeanUtilisation,
        };
        StepBusy(ref s);
        Supply(ref s, totalW);
        Thermal(ref s);
        var (price, carbon) = Ledger.Record(SimTime.FromSeconds(startS), s);
        s.PriceUsdPerJ = price;
        s.CarbonKgPerJ = carbon;
        _lastStep = s;
        Steps++;
        TrackEvents(s);
        TrackPlant(s);
        TrackFailures(s);

        _lastDynamicW = dynamicW;
        _coolingPeakW = RecordCoolingPeak(s.CoolingElectricW);
        _loadRise = LoadRiseAhead(now);
        Decide(s, dynamicW, price);
        UpdateManualCaps();
        ApplySpeeds(dynamicW);

        _interval.Add(s);
        AccumulateRacksAndPlant();
        if (++_stepInInterval >= _stepsPerInterval)
        {
            EmitInterval();
        }

        for (int i = 0; i < _stepObservers.Count; i++)
        {
            _stepObservers[i].OnControlStep(this);
        }
    }

    private double ChillerElectricW()
    {
        double w = 0;
        var chillers = _p.Cooling.Plant.ChillerUnits;
        for (int i = 0; i < chillers.Length; i++)
        {
            w += chillers[i].ElectricW;
        }

        return w;
    }

    // The weather year starts on 1 January; the run starts where its calendar says.
    private Grid.WeatherConditions WeatherAt(double seconds) => _p.Weather.At(WeatherOffsetS + seconds);

    // WeatherOffsetS of the calendar, worked once rather than every step (the calendar is fixed).
    [NotState]
    private double _weatherOffsetS = double.NaN;

    /// <summary>Seconds from the start of the weather year to the start of the run (heat waves are added in that frame).</summary>
    public double WeatherOffsetS => double.IsNaN(_weatherOffsetS) ? _weatherOffsetS = _p.Calendar.HourOfYear(SimTime.Zero) * 3600 : _weatherOffsetS;

    /// <summary>Where the controller's shedding goes (the IT model's lowest-priority admission); null when it cannot shed.</summary>
    public Action<double>? ShedTo { get; set; }

    // Where the facility's power comes from: the grid when up; otherwise the UPS until the
    // generators take over, then the generators.
    private void Supply(ref FacilitySample s, double totalW)
    {
        var grid = _p.Grid;
        var ups = _p.Ups;
        if (grid.IsAvailable)
        {
            // The UPS recharges from what the interconnect has to spare, never pushing the site over it.
            double rechargeW = ups.Recharge(_stepS, grid.CapacityW * 0.99 - totalW);
            grid.Meter(totalW + rechargeW, _stepS);
            s.GridW = grid.DrawW;
            s.GridCapW = grid.AvailableCapacityW;

            // The recharge flows into the battery: booked as (negative) UPS power, so grid +
            // generator + UPS = total in every step.
            s.UpsW = -rechargeW;
            _blackout = false;
            return;
        }

        grid.Meter(0, _stepS);
        s.GridCapW = grid.AvailableCapacityW;
        var gen = _p.Generator;
        double upsS = gen.StartingSecondsWithin(_stepS);
        double upsJ = 0;
        if (upsS > 0)
        {
            double before = ups.EnergyDeliveredJ;
            double unservedJ = ups.Discharge(totalW, upsS);
            upsJ = ups.EnergyDeliveredJ - before;
            if (unservedJ > 1e-6 && !_blackout)
            {
                _blackout = true;
                double at = s.StartS + (double.IsNaN(ups.LastDepletionOffsetS) ? 0 : ups.LastDepletionOffsetS);
                Log(new TwinEvent(at, TwinEventKind.UpsDepleted, "ups", $"UPS battery ran out {Kernel.SimTime.FromSeconds(at)} into the run; IT load lost until the generators take over", totalW));
                UpsDepletedAtS ??= at;
            }
        }

        bool wasRunning = gen.IsRunning;
        gen.Advance(_stepS, totalW);
        if (!wasRunning && gen.IsRunning)
        {
            // Online when its start delay ran out: the same instant the UPS stopped carrying the load.
            Log(new TwinEvent(s.StartS + upsS, TwinEventKind.GeneratorOnline, "generator", "generators took the load", totalW));
            _blackout = false;
        }

        s.UpsW = upsJ / _stepS;
        s.GeneratorW = Math.Max(0, (_stepS - upsS) / _stepS * totalW);
        s.GeneratorFuelW = s.GeneratorW * gen.Spec.FuelPerEnergy;
    }

    /// <summary>When the UPS first ran out, s since the start; null if it never did.</summary>
    public double? UpsDepletedAtS { get; private set; }

    // Racks with a cap factor below 1, counted where ApplySpeeds sets them; -1 until it has (and in
    // a restored twin): the cap factors' count, rebuilt from them, so not state.
    [NotState]
    private int _racksCapped = -1;

    private void Thermal(ref FacilitySample s)
    {
        // The cooling system works the inlet and die extremes in its pass over the racks, in rack
        // order as this one did; the throttled count needs the caps only where one is below 1.
        var cooling = _p.Cooling;
        int throttled = cooling.ThrottledRacks;
        if (_racksCapped != 0)
        {
            var speed = cooling.RackSpeedFactor;
            throttled = 0;
            for (int r = 0; r < _racks; r++)
            {
                if (speed[r] < 1 || _capFactor[r] < 1)
                {
                    throttled++;
                }
            }
        }

        s.InletMinC = cooling.RackInletMinC;
        s.InletMaxC = cooling.RackInletMaxC;
        s.InletMeanC = cooling.RackInletMeanC;
        s.AcceleratorMaxC = cooling.RackAcceleratorMaxC;
        s.ThrottledFraction = _racks > 0 ? throttled / (double)_racks : 0;
    }

    private void Decide(in FacilitySample s, double dynamicW, double priceUsdPerJ)
    {
        double movableW = 0, hybridCooling = 0, hybridAllElectric = 0, gasCop = 0;
        var chillers = _p.Cooling.Plant.ChillerUnits;
        for (int i = 0; i < chillers.Length; i++)
        {
            if (chillers[i] is HybridChiller h && !h.IsTripped && !HeldByHand(i))
            {
                movableW += h.AllElectricEquivalentW;
                hybridCooling += h.CoolingW;
                hybridAllElectric += h.AllElectricEquivalentW;
                gasCop = Math.Max(gasCop, h.GasCopAt(h.CoolingW > 0 ? h.CoolingW : 0.5 * h.AvailableCapacityW));
            }
        }

        double overhead = s.ItW > 0 ? (s.LossesW + s.OtherW) / s.ItW : 0;
        var snapshot = new FacilitySnapshot
        {
            TimeS = s.StartS + s.DurationS,
            GridCapacityW = _p.Grid.AvailableCapacityW,
            GridAvailable = _p.Grid.IsAvailable,
            FacilityPowerW = Math.Max(s.TotalW, s.GridW),
            ItPowerW = s.ItW,
            // The demand of the step ahead: the last step's at full clocks, scaled by the rise in
            // arrivals the workload's profile brings (feed-forward; 1 where it is flat or falls).
            ItDemandW = _idleTotalW + dynamicW * _loadRise,
            ItFloorW = _idleTotalW + dynamicW * _loadRise * _p.MinSpeedFactor,
            CoolingElectricW = s.CoolingElectricW,
            CoolingElectricRecentPeakW = Math.Max(s.CoolingElectricW, _coolingPeakW),
            CoolingAllElectricW = s.CoolingAllElectricW,
            MovableChillerElectricW = movableW,
            OverheadPerItW = overhead,
            GasShare = _decision.GasShare,
            ElectricityPriceUsdPerJ = priceUsdPerJ,
            GasPriceUsdPerJ = _p.Tariff.GasPriceUsdPerJ,
            ElectricCop = hybridAllElectric > 0 ? hybridCooling / hybridAllElectric : 0,
            GasCop = gasCop,
            DemandResponseReductionW = _drReductionW,
            DemandResponseBaselineW = _drBaselineW,
        };

        // The draw had IT run uncapped: what the interconnect must carry to hold the SLO.
        double perItW = s.ItW > 0 ? s.TotalW / s.ItW : 1;
        PeakDemandDrawW = Math.Max(PeakDemandDrawW, s.TotalW + (Math.Max(0, _idleTotalW + dynamicW - s.ItW) * perItW));
        if (_lastCapFactor < 1)
        {
            CappedSeconds += s.DurationS;
        }

        var d = _p.Policy.Decide(snapshot);
        CheckHoldable(snapshot, d);
        if (!d.SameAs(_decision))
        {
            string cap = double.IsPositiveInfinity(d.ItPowerCapW) ? "IT uncapped" : $"IT capped at {d.ItPowerCapW / 1e3:F0} kW";
            Log(new TwinEvent(snapshot.TimeS, TwinEventKind.ControlDecision, _p.Policy.Name,
                $"{ReasonText(d.Reason)}: gas share {d.GasShare:P0}, {cap}" + (d.ShedFraction > 0 ? $", shedding {d.ShedFraction:P0} of the lowest-priority load" : ""),
                d.ItPowerCapW));
        }

        if (d.ShedFraction != _decision.ShedFraction && double.IsNaN(_manualShed))
        {
            ShedTo?.Invoke(d.ShedFraction);
        }

        _decision = d;
        ApplyGasShare(d.GasShare);
    }

    /// <summary>Decides again at once (a curtailment or a demand-response call starts between steps).</summary>
    private void Redecide()
    {
        if (Steps > 0)
        {
            _loadRise = LoadRiseAhead();
            Decide(_lastStep, _lastDynamicW, _lastStep.PriceUsdPerJ);
            ApplySpeeds(_lastDynamicW);
        }
    }

    private void ApplySpeeds(double dynamicW)
    {
        double capFactor = 1;
        if (double.IsFinite(_decision.ItPowerCapW) && dynamicW > 0)
        {
            // Integral control on the measured power above idle: how power follows clocks depends on
            // load (prefill takes a larger share as decode slows, queues build and drain), so the
            // factor is corrected from what the last step drew rather than computed from a model,
            // with the rise in arrivals the next step brings fed forward (power above idle taken
            // to rise with arrivals, an upper bound where batch power is concave in the batch).
            // The first capped step starts from the full-clock estimate.
            double aboveIdleW = Math.Max(1e-9, (_lastStep.ItW - _idleTotalW) * _loadRise);
            double target = Math.Max(0, _decision.ItPowerCapW - _idleTotalW);
            double ratio = target / aboveIdleW;
            // Down, the whole correction at once as if power went with the clock alone (it goes
            // faster, as f to f²), so the first step lands under the cap; up, half the correction
            // (in log terms): backlogs that build at low clocks and drain at higher ones would
            // otherwise make a full correction swing from step to step. The clamp is the
            // anti-windup: the factor never integrates past full clocks or the floor.
            capFactor = _lastCapFactor < 1
                ? _lastCapFactor * (ratio < 1 ? ratio : Math.Sqrt(ratio))
                : target / (dynamicW * _loadRise);
            capFactor = Math.Clamp(capFactor, _p.MinSpeedFactor, 1);
        }

        _lastCapFactor = capFactor;
        var thermal = _p.Cooling.RackSpeedFactor;
        var die = _p.Cooling.RackAcceleratorTempC;
        var it = _p.It;

        // The fluid hall spreads load evenly and reads no rack temperature: no call per rack for it.
        // A request-level hall takes them by a direct call, and so does a windowed load's (its fluid
        // hall's setter does nothing): an interface call per rack per step, two through a windowed
        // load, was most of this method's time. Any other load takes them through the interface.
        var requestHall = it switch
        {
            ComputeHall c => c,
            WindowedItLoad w => w.Request,
            _ => null,
        };
        bool takesTemperatures = requestHall is null && it is not FluidHall;
        var manual = _manualFactor;

        // Every rack at full clocks, uncapped and fed at the last pass, and nothing now that could
        // change it (no cap, no blackout, no rack throttled; a feed lost or restored clears the
        // flag): the pass would write the same caps and speeds, so only the temperatures go.
        if (_speedsNominal && capFactor == 1 && manual is null && !_blackout && _p.Cooling.ThrottledRacks == 0)
        {
            _racksCapped = 0;
        }
        else
        {
            SetSpeeds(capFactor, manual, thermal);
        }

        // The setters only keep the temperature (no load reads it when its clock changes), so they
        // go after the speeds in a pass of their own.
        if (requestHall is not null)
        {
            for (int r = 0; r < _racks; r++)
            {
                requestHall.SetRackTemperatureC(r, die[r]);
            }
        }
        else if (takesTemperatures)
        {
            for (int r = 0; r < _racks; r++)
            {
                it.SetRackTemperatureC(r, die[r]);
            }
        }
    }

    // Each rack's cap and clock factor from the controller's cap, the manual caps, the thermal
    // factors and the feeds; the load told of each change.
    private void SetSpeeds(double capFactor, double[]? manual, ReadOnlySpan<double> thermal)
    {
        var it = _p.It;
        var caps = _capFactor;
        var speeds = _rackSpeed;
        var feedUp = _rackFeedUp;
        bool blackout = _blackout;
        int capped = 0;
        bool nominal = true;
        for (int r = 0; r < _racks; r++)
        {
            double cap = manual is not null ? Math.Min(capFactor, manual[r]) : capFactor;
            caps[r] = cap;
            capped += cap < 1 ? 1 : 0;
            double f = blackout ? 0 : (feedUp[r] ? Math.Min(thermal[r], cap) : 0);
            nominal &= f == 1 && cap == 1;
            if (f != speeds[r])
            {
                speeds[r] = f;
                it.SetRackSpeedFactor(r, f);
            }
        }

        _racksCapped = capped;
        _speedsNominal = nominal;
    }

    // Whether every rack's cap factor and clock factor was 1 at the last pass of ApplySpeeds (so
    // every feed was up); cleared when a feed changes. False in a restored twin until its first pass
    // (which works it out): a summary of the caps and speeds, so not state.
    [NotState]
    private bool _speedsNominal;

    /// <summary>The highest facility draw the hall would have had with IT uncapped, W.</summary>
    public double PeakDemandDrawW { get; private set; }

    /// <summary>Seconds IT ran capped below full clocks by the controller.</summary>
    public double CappedSeconds { get; private set; }

    /// <summary>The clock factor IT capping imposed at the last step (1 when uncapped).</summary>
    public double CapFactor => _lastCapFactor;

    private static string ReasonText(ControlReason reason) => reason switch
    {
        ControlReason.Normal => "normal operation",
        ControlReason.HeadroomBelowMargin => "grid headroom below margin: cooling to gas",
        ControlReason.HeadroomRecovered => "grid headroom recovered: cooling back to electricity",
        ControlReason.GasCheaper => "gas cheaper per unit of cooling",
        ControlReason.ElectricityCheaper => "electricity cheaper per unit of cooling",
        ControlReason.DemandResponseGas => "demand response met by gas",
        ControlReason.DemandResponseCap => "demand response: gas and IT capping",
        ControlReason.DemandResponseShed => "demand response: gas, IT capping and shedding",
        ControlReason.GridLimitCap => "facility at the grid limit: IT capped",
        ControlReason.OutageGas => "grid outage: cooling on gas",
        _ => reason.ToString(),
    };

    private void Log(in TwinEvent e)
    {
        EventsLogged++;
        foreach (var o in _observers)
        {
            o.OnEvent(e);
        }
    }

    /// <summary>Each rack's mean power over the last control step, W.</summary>
    public ReadOnlySpan<double> RackPowerW => _rackPowerW;

    /// <summary>Each rack's clock factor in force (thermal throttling, caps, a lost feed).</summary>
    public ReadOnlySpan<double> RackSpeedFactor => _rackSpeed;

    /// <summary>Each rack's clock factor from IT caps alone (the policy's and manual ones; 1 when uncapped).</summary>
    public ReadOnlySpan<double> RackCapFactor => _capFactor;

    /// <summary>Entries written to the event log.</summary>
    public long EventsLogged { get; private set; }
}
