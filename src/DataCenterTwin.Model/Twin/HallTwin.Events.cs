using System.Globalization;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Twin;

public sealed partial class HallTwin
{
    private readonly List<EventOutcome> _outcomes = [];
    private readonly Dictionary<int, ActiveEvent> _active = [];
    private double _drReductionW;
    private double _drBaselineW;

    private sealed class ActiveEvent
    {
        public double OverCapS;
        public double InletHours;
        public int Depletions;
        public double UpsJ;
        public double DrawJ;
        public double Seconds;
        public int Shutdowns;
        public int Interruptions;
        public double LostWorkS;
        public double RequestsLost;
        public double MaxDieC = double.NegativeInfinity;
        public double MaxCoolantC = double.NegativeInfinity;
        public long UnholdableSteps;
    }

    /// <summary>How the hall came through each event that has ended.</summary>
    public IReadOnlyList<EventOutcome> Outcomes => _outcomes;

    /// <summary>Puts a rack's power feed down (a failure) or back up.</summary>
    public void SetRackFeed(int rack, bool up)
    {
        _rackFeedUp[rack] = up;
        _speedsNominal = false;
    }

    private static string KindName(GridEventKind kind) => kind switch
    {
        GridEventKind.Curtailment => "curtailment",
        GridEventKind.DemandResponse => "demand-response",
        GridEventKind.Outage => "outage",
        GridEventKind.HeatWave => "heat-wave",
        _ => "failure",
    };

    private void StartEvent(int index)
    {
        var e = _events[index];
        double now = _sim.Now.TotalSeconds;
        _active[index] = new ActiveEvent
        {
            OverCapS = _p.Grid.SecondsOverCapacity,
            InletHours = _p.Cooling.InletOutsideAllowableRackHours,
            Depletions = _p.Ups.Depletions,
            UpsJ = _p.Ups.EnergyDeliveredJ,
            Shutdowns = _p.Cooling.Protection.Shutdowns,
            Interruptions = TrainingInterruptions,
            LostWorkS = TrainingLostWorkS,
            RequestsLost = RequestsLostToFailures,
            UnholdableSteps = _unholdableSteps,
        };
        Log(new TwinEvent(now, TwinEventKind.EventStart, KindName(e.Kind), e.Describe(), e.MagnitudeW > 0 ? e.MagnitudeW : double.NaN));
        switch (e.Kind)
        {
            case GridEventKind.Curtailment:
                _p.Grid.SetCapacity(e.MagnitudeW);
                break;
            case GridEventKind.DemandResponse:
                _drReductionW = e.MagnitudeW;
                _drBaselineW = _lastStep.GridW > 0 ? _lastStep.GridW : _lastStep.TotalW;
                break;
            case GridEventKind.Outage:
                _p.Grid.SetAvailable(false);
                _p.Generator.Start();
                Log(new TwinEvent(now, TwinEventKind.GeneratorStart, "generator", "generators starting", double.NaN));
                break;
            case GridEventKind.EquipmentFailure:
                Fail(e.Target, true);
                break;
        }

        Redecide();
    }

    private void EndEvent(int index)
    {
        var e = _events[index];
        double now = _sim.Now.TotalSeconds;
        switch (e.Kind)
        {
            case GridEventKind.Curtailment:
                _p.Grid.SetCapacity(null);
                break;
            case GridEventKind.DemandResponse:
                _drReductionW = 0;
                break;
            case GridEventKind.Outage:
                _p.Grid.SetAvailable(true);
                _p.Generator.Stop();
                break;
            case GridEventKind.EquipmentFailure:
                Fail(e.Target, false);
                break;
        }

        Redecide();
        Log(new TwinEvent(now, TwinEventKind.EventEnd, KindName(e.Kind), e.Describe(), double.NaN));
        if (_active.Remove(index, out var a))
        {
            _outcomes.Add(Outcome(e, a));
        }
    }

    private EventOutcome Outcome(GridEventSpec e, ActiveEvent a)
    {
        double overS = _p.Grid.SecondsOverCapacity - a.OverCapS;
        double inletH = _p.Cooling.InletOutsideAllowableRackHours - a.InletHours;
        bool depleted = _p.Ups.Depletions > a.Depletions;
        var inv = CultureInfo.InvariantCulture;
        switch (e.Kind)
        {
            case GridEventKind.DemandResponse:
            {
                double meanW = a.Seconds > 0 ? a.DrawJ / a.Seconds : 0;
                double compliance = e.MagnitudeW > 0 ? (_drBaselineW - meanW) / e.MagnitudeW : 1;
                return new EventOutcome("demand-response", e.Describe(), e.Start.TotalSeconds, compliance >= 0.99,
                    string.Format(inv, "baseline {0:F0} kW, mean draw {1:F0} kW: {2:P1} of the reduction delivered", _drBaselineW / 1e3, meanW / 1e3, compliance), compliance);
            }

            case GridEventKind.Outage:
            {
                double upsKWh = (_p.Ups.EnergyDeliveredJ - a.UpsJ) / 3.6e6;
                string detail = depleted
                    ? string.Format(inv, "UPS ran out after delivering {0:F2} kWh; IT load lost until the generators took over", upsKWh)
                    : string.Format(inv, "UPS delivered {0:F2} kWh until the generators took over; state of charge {1:P2}", upsKWh, _p.Ups.StateOfCharge);
                return new EventOutcome("outage", e.Describe(), e.Start.TotalSeconds, !depleted && inletH == 0, detail, double.NaN);
            }

            case GridEventKind.Curtailment:
                return new EventOutcome("curtailment", e.Describe(), e.Start.TotalSeconds, overS == 0,
                    string.Format(inv, "{0:F0} s over the curtailed limit", overS)
                    + (_unholdableSteps > a.UnholdableSteps ? $"; {_unholdableReason}" : ""), double.NaN);
            default:
            {
                // Judged on what the event can hurt: dies (a shutdown), jobs (work lost), requests
                // (lost with their replicas) and air inlets, not air inlets alone.
                int shutdowns = _p.Cooling.Protection.Shutdowns - a.Shutdowns;
                int stops = TrainingInterruptions - a.Interruptions;
                double lostH = (TrainingLostWorkS - a.LostWorkS) / 3600;
                double lostRequests = RequestsLostToFailures - a.RequestsLost;
                bool survived = inletH == 0 && !depleted && shutdowns == 0 && stops == 0 && lostRequests < 0.5;
                string detail = string.Format(inv,
                    "die max {0:F1} °C (throttle {1:F0}, shutdown {2:F0} °C), coolant max {3} °C; {4} rack shutdowns; {5} training stops, {6:F2} h of work lost; {7:F0} requests lost; {8:F2} rack-hours with inlet outside the allowable envelope",
                    double.IsFinite(a.MaxDieC) ? a.MaxDieC : double.NaN, _p.Cooling.Spec.Accelerators.LimitC, _p.Cooling.Spec.Accelerators.ShutdownC,
                    double.IsFinite(a.MaxCoolantC) ? a.MaxCoolantC.ToString("F1", inv) : "–", shutdowns, stops, lostH, lostRequests, inletH);
                return new EventOutcome(KindName(e.Kind), e.Describe(), e.Start.TotalSeconds, survived, detail, double.NaN);
            }
        }
    }

    private void TrackEvents(in FacilitySample s)
    {
        foreach (var (index, a) in _active)
        {
            if (_events[index].Kind == GridEventKind.DemandResponse)
            {
                a.DrawJ += s.GridW * s.DurationS;
                a.Seconds += s.DurationS;
            }
        }

        if (s.GridW > s.GridCapW * (1 + 1e-9) && !_overLimit)
        {
            Log(new TwinEvent(s.StartS, TwinEventKind.GridLimitExceeded, "grid", string.Format(CultureInfo.InvariantCulture,
                "facility drew {0:F0} kW against a {1:F0} kW limit", s.GridW / 1e3, s.GridCapW / 1e3) + ManualInForce(), s.GridW));
        }

        _overLimit = s.GridW > s.GridCapW * (1 + 1e-9);
    }

    private bool _overLimit;
    private int[]? _failedStartsSeen;
    private bool[]? _outsideDataLogged;

    /// <summary>Chiller-hours run outside the curves' data (extrapolated on lift or held at the capacity curve's edge).</summary>
    public double ChillerHoursOutsideCurveData { get; private set; }

    // Engine starts that failed since the last step, one event each; chillers running outside their
    // curves' data, an event the first time each does and the hours in the summary.
    private void TrackPlant(in FacilitySample s)
    {
        var chillers = _p.Cooling.Plant.ChillerUnits;
        _failedStartsSeen ??= new int[chillers.Length];
        _outsideDataLogged ??= new bool[chillers.Length];
        for (int i = 0; i < chillers.Length; i++)
        {
            var c = chillers[i];
            // Only a chiller carrying load can run outside its data: an idle one's curves are not read.
            if (c.CoolingW > 0)
            {
                // The reformulated EIR chiller's curves take the leaving condenser water, the others the entering.
                var (eir, minLiftK, condenserC, outside) = c switch
                {
                    { Spec: Cooling.ElectricChillerSpec e } => (e.EirFromTemps, e.EffectiveMinLiftK, c.EnteringCondenserC,
                        e.IsOutsideData(c.LeavingChilledWaterC, c.EnteringCondenserC)),
                    { Spec: Cooling.HybridChillerSpec { Compressor: var e } } => (e.EirFromTemps, e.EffectiveMinLiftK, c.EnteringCondenserC,
                        e.IsOutsideData(c.LeavingChilledWaterC, c.EnteringCondenserC)),
                    Cooling.ReformulatedEirChiller { Spec: Cooling.ReformulatedEirChillerSpec r } re => (r.EirFromTemps, r.EffectiveMinLiftK, re.LeavingCondenserC,
                        r.IsOutsideData(c.LeavingChilledWaterC, re.LeavingCondenserC)),
                    _ => (null, 0, 0, false),
                };
                if (eir is not null && outside)
                {
                    ChillerHoursOutsideCurveData += s.DurationS / 3600;
                    if (!_outsideDataLogged[i])
                    {
                        _outsideDataLogged[i] = true;
                        Log(new TwinEvent(s.StartS, TwinEventKind.CurveExtrapolated, c.Spec.Name, string.Format(CultureInfo.InvariantCulture,
                            "outside its curve data ({0:F1} °C leaving chilled water, {1:F1} °C condenser; data {2:F2}–{3:F2} and {4:F2}–{5:F2} °C): COP extrapolated on lift at a constant fraction of Carnot (lift floor {6:F1} K), capacity held at the data edge",
                            c.LeavingChilledWaterC, condenserC, eir.XMin, eir.XMax, eir.YMin, eir.YMax, minLiftK), double.NaN));
                    }
                }
            }

            if (chillers[i] is Cooling.HybridChiller h && h.FailedStarts != _failedStartsSeen[i])
            {
                _failedStartsSeen[i] = h.FailedStarts;
                Log(new TwinEvent(s.StartS + s.DurationS, TwinEventKind.EngineStartFailed, h.Spec.Name,
                    "engine failed to start; the motor keeps the load", double.NaN));
            }
        }
    }

    private void Fail(string target, bool failed)
    {
        if (failed)
        {
            _failedEquipment.Add(target);
        }
        else
        {
            _failedEquipment.Remove(target);
        }

        if (target.StartsWith("rack-", StringComparison.Ordinal)
            && int.TryParse(target.AsSpan(5), NumberStyles.Integer, CultureInfo.InvariantCulture, out int rack) && rack >= 0 && rack < _racks)
        {
            SetRackFeed(rack, !failed);
            return;
        }

        if (!failed && Names.ChillerIndexOf(target) is int chiller and >= 0 && ChillerMode(chiller) == ChillerModeSetting.Off)
        {
            // Repaired while switched off by hand: it stays off until released.
            return;
        }

        if (_p.Equipment.TryGetValue(target, out var act))
        {
            act(failed);
        }
    }
}
