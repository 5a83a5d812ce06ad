using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Twin;

/// <summary>
/// Manual controls and events injected while the twin runs. Each is checked when it is given (a bad
/// one throws and changes nothing), scheduled on the clock, and applied and logged at its time.
/// </summary>
public sealed partial class HallTwin
{
    private const int ControlApplyKind = 3;
    private readonly List<TwinControl> _controls = [];
    private readonly List<CapGroup> _caps = [];
    [NotState]
    private readonly List<IControlStepObserver> _stepObservers = [];
    private double[]? _manualFactor;
    private ChillerModeSetting[]? _chillerMode;
    private double[]? _chillerShare;
    private double _manualShed = double.NaN;
    private IComputeControl? _compute;
    private TwinNames? _names;

    private sealed class CapGroup(string target, int first, int count, double capW)
    {
        public string Target { get; } = target;

        public int First { get; } = first;

        public int Count { get; } = count;

        public double CapW { get; set; } = capW;

        public double Factor { get; set; } = 1;
    }

    /// <summary>The compute's controls and readings; set by the builder before the run starts.</summary>
    public IComputeControl? Compute
    {
        get => _compute;
        set
        {
            _compute = value;
            _names = null;
        }
    }

    /// <summary>Names to indices for racks, chillers, pools and classes.</summary>
    public TwinNames Names => _names ??= new TwinNames(_racks, _p.Cooling, _compute);

    /// <summary>Every manual control scheduled so far, in the order given.</summary>
    public IReadOnlyList<TwinControl> Controls => _controls;

    /// <summary>Every site event, the scenario's and those injected, in the order scheduled.</summary>
    public IReadOnlyList<GridEventSpec> Events => _events;

    /// <summary>Whether a chiller is held in a manual mode (the policy leaves it alone).</summary>
    public ChillerModeSetting ChillerMode(int chiller) => _chillerMode?[chiller] ?? ChillerModeSetting.Automatic;

    /// <summary>Adds an observer told at the end of every control step.</summary>
    public void ObserveSteps(IControlStepObserver observer) => _stepObservers.Add(observer);

    /// <summary>Removes an output added with <see cref="Observe"/>.</summary>
    public bool Unobserve(ITwinObserver observer) => _observers.Remove(observer);

    /// <summary>Why <paramref name="control"/> cannot be applied to this hall, or null when it can.</summary>
    public string? Check(TwinControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        var n = Names;
        double v = control.Value;
        switch (control.Kind)
        {
            case ControlKind.FacilityWaterSetpoint:
            case ControlKind.SupplyAirSetpoint:
                return double.IsNaN(v) || (v >= 0 && v <= 45) ? null : $"a set point of {v} °C is outside 0 to 45 °C";
            case ControlKind.ChillerMode:
            {
                int i = n.ChillerIndexOf(control.Target);
                if (i < 0)
                {
                    return $"no chiller named \"{control.Target}\"; known: {n.Known(ControlKind.ChillerMode)}";
                }

                var c = _p.Cooling.Plant.Chillers[i];
                bool has = control.Mode switch
                {
                    ChillerModeSetting.Electric => c is not EngineDrivenChiller,
                    ChillerModeSetting.Gas => c is not ElectricChiller,
                    ChillerModeSetting.GasShare => c is HybridChiller,
                    _ => true,
                };
                if (!has)
                {
                    return $"chiller \"{control.Target}\" ({ChillerKind(c)}) has no {ModeName(control.Mode)} mode";
                }

                return control.Mode == ChillerModeSetting.GasShare && !(v >= 0 && v <= 1) ? $"a gas share of {v} is outside 0 to 1" : null;
            }

            case ControlKind.ItCap:
                if (CapRange(control.Target) is null)
                {
                    return $"no rack or pool named \"{control.Target}\"; known: {n.Known(ControlKind.ItCap)}";
                }

                return double.IsNaN(v) || v >= 0 ? null : $"an IT power cap of {v} W is negative";
            case ControlKind.DispatchPolicy:
                if (_compute is null || n.PoolIndexOf(control.Target) < 0)
                {
                    return $"no pool named \"{control.Target}\"; known: {n.Known(ControlKind.DispatchPolicy)}";
                }

                return DispatchPolicies.Names.Contains(control.Text)
                    ? null
                    : $"no dispatch policy \"{control.Text}\"; known: {string.Join(", ", DispatchPolicies.Names)}";
            case ControlKind.ArrivalScale:
                if (_compute is null || n.ClassIndexOf(control.Target) < 0)
                {
                    return $"no request class named \"{control.Target}\"; known: {n.Known(ControlKind.ArrivalScale)}";
                }

                return double.IsNaN(v) || (v >= 0 && double.IsFinite(v)) ? null : $"an arrival-rate scale of {v} is not a finite number of at least 0";
            case ControlKind.ShedFraction:
                return double.IsNaN(v) || (v >= 0 && v <= 1) ? null : $"a shed fraction of {v} is outside 0 to 1";
            default:
                return $"unknown control {control.Kind}";
        }
    }

    /// <summary>
    /// Schedules <paramref name="control"/> at <paramref name="at"/> (now or later). Throws
    /// <see cref="ArgumentException"/> with the reason, changing nothing, when it cannot be applied.
    /// </summary>
    public void Schedule(TwinControl control, SimTime at)
    {
        if (Check(control) is { } error)
        {
            throw new ArgumentException(error, nameof(control));
        }

        var when = When(at);
        _controls.Add(control);
        _sim.Schedule(when, _self, ControlApplyKind, _controls.Count - 1);
    }

    /// <summary>
    /// Adds a site event (outage, curtailment, demand response, heat wave, failure) starting at its
    /// start, now or later. Throws <see cref="ArgumentException"/>, changing nothing, for a start in the
    /// past or a failure of equipment the hall does not have.
    /// </summary>
    public void Inject(GridEventSpec e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Kind == GridEventKind.EquipmentFailure && Names.RackIndexOf(e.Target) < 0 && !_p.Equipment.ContainsKey(e.Target))
        {
            throw new ArgumentException($"no equipment named \"{e.Target}\" to fail", nameof(e));
        }

        if (!(e.Duration.Ticks > 0))
        {
            throw new ArgumentException($"an event lasts more than nothing (got {e.Duration})", nameof(e));
        }

        // The bounds the scenario's events section holds a file to: a capacity or reduction of zero or
        // more, a heat wave within ±30 K.
        if (e.Kind is GridEventKind.Curtailment or GridEventKind.DemandResponse && !(e.MagnitudeW >= 0 && double.IsFinite(e.MagnitudeW)))
        {
            throw new ArgumentException($"a {(e.Kind == GridEventKind.Curtailment ? "curtailment's capacity" : "demand response's reduction")} "
                + $"is a finite power of zero or more (got {e.MagnitudeW} W)", nameof(e));
        }

        if (e.Kind == GridEventKind.HeatWave && !(Math.Abs(e.MagnitudeK) <= 30))
        {
            throw new ArgumentException($"a heat wave's offset is within ±30 K (got {e.MagnitudeK} K)", nameof(e));
        }

        var start = When(e.Start);
        if (e.Kind == GridEventKind.HeatWave)
        {
            _p.Weather.AddDryBulbOffset(WeatherOffsetS + e.Start.TotalSeconds, WeatherOffsetS + e.End.TotalSeconds, e.MagnitudeK);
        }

        _events.Add(e);
        _sim.Schedule(start, _self, EventStartKind, _events.Count - 1);
        _sim.Schedule(new SimTime(e.End.Ticks + 1), _self, EventEndKind, _events.Count - 1);
    }

    // A microsecond late, as scenario events are: the control step at the same instant meters the step before.
    private SimTime When(SimTime at)
    {
        var when = new SimTime(at.Ticks + 1);
        if (when < _sim.Now)
        {
            throw new ArgumentException($"{at} is in the past (the twin is at {new SimTime(Math.Max(0, _sim.Now.Ticks - 1))})", nameof(at));
        }

        return when;
    }

    private (int First, int Count)? CapRange(string target)
    {
        if (target.Length == 0 || target == "hall")
        {
            return (0, _racks);
        }

        int r = Names.RackIndexOf(target);
        if (r >= 0)
        {
            return (r, 1);
        }

        int p = Names.PoolIndexOf(target);
        return p >= 0 ? (_compute!.Pools[p].FirstRack, _compute.Pools[p].RackCount) : null;
    }

    private void ApplyControl(int index)
    {
        var c = _controls[index];
        double now = _sim.Now.TotalSeconds;
        var cooling = _p.Cooling;
        var inv = CultureInfo.InvariantCulture;
        string what;
        double valueW = double.NaN;
        switch (c.Kind)
        {
            case ControlKind.FacilityWaterSetpoint:
                cooling.FacilitySupplySetpointC = double.IsNaN(c.Value) ? _scenarioWaterC : c.Value;
                what = string.Format(inv, "facility water supply set point {0:F1} °C{1}", cooling.FacilitySupplySetpointC, c.IsRelease ? " (released to the scenario's)" : "");
                break;
            case ControlKind.SupplyAirSetpoint:
                cooling.SupplyAirSetpointC = double.IsNaN(c.Value) ? _scenarioAirC : c.Value;
                what = string.Format(inv, "supply air set point {0:F1} °C{1}", cooling.SupplyAirSetpointC, c.IsRelease ? " (released to the scenario's)" : "");
                break;
            case ControlKind.ChillerMode:
                what = SetChillerMode(c);
                break;
            case ControlKind.ItCap:
                what = SetCap(c);
                valueW = c.Value;
                break;
            case ControlKind.DispatchPolicy:
                _compute!.SetDispatchPolicy(Names.PoolIndexOf(c.Target), c.Text);
                what = $"pool {c.Target} dispatches by {c.Text}";
                break;
            case ControlKind.ArrivalScale:
                _compute!.SetArrivalScale(Names.ClassIndexOf(c.Target), double.IsNaN(c.Value) ? 1 : c.Value);
                what = double.IsNaN(c.Value) ? $"class {c.Target} arrivals as the scenario says" : string.Format(inv, "class {0} arrivals scaled by {1:G4}", c.Target, c.Value);
                break;
            default:
                _manualShed = c.Value;
                ShedTo?.Invoke(double.IsNaN(c.Value) ? _decision.ShedFraction : c.Value);
                what = double.IsNaN(c.Value) ? "shedding released to the policy" : string.Format(inv, "shedding {0:P0} of the lowest-priority load", c.Value);
                break;
        }

        Log(new TwinEvent(now, TwinEventKind.ManualControl, c.Source, what, valueW));
        Redecide();
    }

    private string SetChillerMode(TwinControl c)
    {
        int i = Names.ChillerIndexOf(c.Target);
        var chillers = _p.Cooling.Plant.Chillers;
        _chillerMode ??= new ChillerModeSetting[chillers.Count];
        _chillerShare ??= new double[chillers.Count];
        var was = _chillerMode[i];
        _chillerMode[i] = c.Mode;
        _chillerShare[i] = c.Mode == ChillerModeSetting.GasShare ? c.Value : 0;
        if (c.Mode == ChillerModeSetting.Off)
        {
            chillers[i].Trip();
        }
        else if (was == ChillerModeSetting.Off && !_failedEquipment.Contains(c.Target))
        {
            chillers[i].Restore();
        }

        string mode = c.Mode == ChillerModeSetting.GasShare ? string.Format(CultureInfo.InvariantCulture, "gas share {0:P0}", c.Value) : ModeName(c.Mode);
        return c.IsRelease ? $"chiller {c.Target} released to the policy" : $"chiller {c.Target} held at {mode}";
    }

    private string SetCap(TwinControl c)
    {
        var (first, count) = CapRange(c.Target)!.Value;
        string target = c.Target.Length == 0 ? "hall" : c.Target;
        _caps.RemoveAll(g => g.Target == target);
        if (c.IsRelease || double.IsPositiveInfinity(c.Value))
        {
            if (_caps.Count == 0)
            {
                _manualFactor = null;
            }
            else
            {
                UpdateManualCaps();
            }

            return $"IT cap on {target} released";
        }

        _caps.Add(new CapGroup(target, first, count, c.Value));
        _manualFactor ??= new double[_racks];
        UpdateManualCaps();
        return string.Format(CultureInfo.InvariantCulture, "IT on {0} capped at {1:F1} kW", target, c.Value / 1e3);
    }

    // Each cap group's clock factor by the same integral control as the policy's hall cap: the first
    // step from the full-clock estimate, then half the correction (in log terms) from what the racks drew.
    private void UpdateManualCaps()
    {
        if (_manualFactor is not { } factors)
        {
            return;
        }

        Array.Fill(factors, 1.0);
        foreach (var g in _caps)
        {
            double idleW = 0, fullW = 0, drawnW = 0;
            for (int r = g.First; r < g.First + g.Count; r++)
            {
                idleW += _p.RackIdlePowerW[r];
                fullW += _rackDynamicW[r];
                drawnW += _rackPowerW[r];
            }

            double target = Math.Max(0, g.CapW - idleW);
            double f = g.Factor < 1 && drawnW > idleW
                ? g.Factor * Math.Sqrt(target / Math.Max(1e-9, drawnW - idleW))
                : fullW > 0 ? target / fullW : 1;
            f = Math.Clamp(f, _p.MinSpeedFactor, 1);
            g.Factor = f;
            for (int r = g.First; r < g.First + g.Count; r++)
            {
                factors[r] = Math.Min(factors[r], f);
            }
        }
    }

    // The policy's gas share to every hybrid chiller not held by hand; held ones keep their mode.
    private void ApplyGasShare(double share)
    {
        var cooling = _p.Cooling;
        if (_chillerMode is not { } modes)
        {
            cooling.SetGasShare(share);
            return;
        }

        var chillers = cooling.Plant.Chillers;
        for (int i = 0; i < chillers.Count; i++)
        {
            if (chillers[i] is not HybridChiller h)
            {
                continue;
            }

            switch (modes[i])
            {
                case ChillerModeSetting.Electric:
                    h.Mode = HybridMode.Electric;
                    break;
                case ChillerModeSetting.Gas:
                    h.Mode = HybridMode.Gas;
                    break;
                case ChillerModeSetting.GasShare:
                    h.SplitGasShare = _chillerShare![i];
                    h.Mode = HybridMode.Split;
                    break;
                case ChillerModeSetting.Off:
                    break;
                default:
                    h.SplitGasShare = Math.Clamp(share, 0, 1);
                    h.Mode = HybridMode.Split;
                    break;
            }
        }
    }

    private bool HeldByHand(int chiller) => _chillerMode is { } m && m[chiller] != ChillerModeSetting.Automatic;

    // What is held by hand, for the log when the grid limit is exceeded while it is.
    private string ManualInForce()
    {
        var held = new List<string>();
        if (_chillerMode is { } modes)
        {
            for (int i = 0; i < modes.Length; i++)
            {
                if (modes[i] != ChillerModeSetting.Automatic)
                {
                    held.Add($"chiller {_p.Cooling.Plant.Chillers[i].Spec.Name} held at {ModeName(modes[i])}");
                }
            }
        }

        held.AddRange(_caps.Select(g => string.Format(CultureInfo.InvariantCulture, "IT on {0} capped at {1:F0} kW", g.Target, g.CapW / 1e3)));
        if (!double.IsNaN(_manualShed))
        {
            held.Add(string.Format(CultureInfo.InvariantCulture, "shedding held at {0:P0}", _manualShed));
        }

        return held.Count == 0 ? "" : "; held by hand: " + string.Join(", ", held)
            + " (the policy could not make up the rest within its IT floor)";
    }

    private static string ChillerKind(IChiller c) => c switch
    {
        HybridChiller => "hybrid",
        EngineDrivenChiller => "engine-driven, gas only",
        _ => "electric only",
    };

    private static string ModeName(ChillerModeSetting mode) => mode switch
    {
        ChillerModeSetting.Electric => "electric",
        ChillerModeSetting.Gas => "gas",
        ChillerModeSetting.GasShare => "gas-share",
        ChillerModeSetting.Off => "off",
        _ => "automatic",
    };
}

/// <summary>Told at the end of every control step, on the simulation thread.</summary>
public interface IControlStepObserver
{
    /// <summary>A control step finished; the twin's state is that step's.</summary>
    void OnControlStep(HallTwin twin);
}
