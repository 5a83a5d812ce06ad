using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Control;

namespace DataCenterTwin.Model.Twin;

/// <summary>
/// What the grid-limit controller looks ahead with: the rise in arrivals the next step will bring
/// (the workload's own profile, known in advance), the highest cooling draw of the last minutes
/// (chiller staging and economiser trim swing it by tens of kW from one step to the next), and
/// whether the limit can be held at all with IT at its floor. Without the first two the IT cap
/// was set from the step that just ended, and the hall overshot the limit for a step at every
/// hourly rise of the arrival profile and every time a chiller started.
/// </summary>
public sealed partial class HallTwin
{
    // Ten minutes at the default 60 s step: longer than the plant's staging swings, short enough
    // that a cooling draw that has really fallen frees the cap within a quarter hour.
    private const int CoolingHistorySteps = 10;
    private readonly double[] _coolingHistoryW = new double[CoolingHistorySteps];
    private int _coolingHistoryNext;
    private double _loadRise = 1;
    private double _heldCoolingW;
    private double _lastRatePerS;
    private SimTime _stepEnd;
    private long _unholdableSteps;
    private bool _unholdable;
    private string _unholdableReason = "";
    [NotState] // wiring to the compute, as Compute is
    private IArrivalForecast? _forecast;

    /// <summary>The compute's expected arrivals, for the controller's feed-forward; null when there is none (request level).</summary>
    public IArrivalForecast? ArrivalForecast
    {
        get => _forecast;
        set => _forecast = value;
    }

    /// <summary>Control steps in which the grid limit in force could not be held even with IT at its floor.</summary>
    public long GridLimitUnholdableSteps => _unholdableSteps;

    // The factor by which the arrivals of the step ahead exceed those of the step just ended (at
    // least 1: a fall in load is left to the integral term, which then raises the clocks; taking
    // it early would cross the limit wherever power falls less than arrivals do, as batch power does).
    // Called at each control step with the step that just ended; again (with no argument) when a
    // manual control or an event decides anew between steps, against the same step's arrivals, so
    // that an arrival scale given now counts as a rise.
    private double LoadRiseAhead(SimTime now)
    {
        if (_forecast is not { } f)
        {
            return 1;
        }

        _stepEnd = now;
        _lastRatePerS = f.ExpectedArrivalRatePerS(new SimTime(now.Ticks - _step.Ticks), now);
        return LoadRiseAhead();
    }

    private double LoadRiseAhead()
    {
        if (_forecast is not { } f)
        {
            return 1;
        }

        double nextPerS = f.ExpectedArrivalRatePerS(_stepEnd, _stepEnd + _step);
        return _lastRatePerS > 0 && nextPerS > _lastRatePerS ? nextPerS / _lastRatePerS : 1;
    }

    // The cooling draw to budget for: the highest of the last minutes and, while IT is capped, the
    // highest since capping began. A cap that rose as soon as a chiller's swing left the window
    // would start that chiller again (the extra IT heat is what starts it) and cross the limit
    // once a window: on a curtailment at 1,500 kW a 40 kW chiller swing did so every 11 minutes.
    private double RecordCoolingPeak(double coolingW)
    {
        _coolingHistoryW[_coolingHistoryNext] = coolingW;
        _coolingHistoryNext = (_coolingHistoryNext + 1) % CoolingHistorySteps;
        double peak = 0;
        for (int i = 0; i < CoolingHistorySteps; i++)
        {
            peak = Math.Max(peak, _coolingHistoryW[i]);
        }

        _heldCoolingW = double.IsFinite(_decision.ItPowerCapW) ? Math.Max(_heldCoolingW, peak) : 0;
        return Math.Max(peak, _heldCoolingW);
    }

    // The draw with IT at its floor (every accelerator at the lowest clock capping may impose) and
    // the least cooling draw the plant can reach (every movable chiller on gas): above the limit,
    // no IT cap can hold it, and the log says so with the figures, once each time it becomes so.
    private void CheckHoldable(in FacilitySnapshot f, in ControlDecision d)
    {
        bool holdable = true;
        double floorDrawW = 0, coolingW = 0;
        if (f.GridAvailable && double.IsFinite(d.ItPowerCapW) && f.ItPowerW > 0)
        {
            coolingW = Math.Min(f.CoolingElectricW, Math.Max(0, f.CoolingAllElectricW - f.MovableChillerElectricW));
            double fixedW = f.FacilityPowerW - (f.ItPowerW * (1 + f.OverheadPerItW)) - f.CoolingElectricW;
            double perItW = 1 + f.OverheadPerItW + (coolingW / f.ItPowerW);
            floorDrawW = fixedW + (f.ItFloorW * perItW);
            holdable = floorDrawW <= f.GridCapacityW;
        }

        if (holdable)
        {
            _unholdable = false;
            return;
        }

        _unholdableSteps++;
        if (_unholdable)
        {
            return;
        }

        _unholdable = true;
        _unholdableReason = string.Format(CultureInfo.InvariantCulture,
            "the {0:F0} kW grid limit cannot be held: IT at its floor ({1:F0} kW, clocks at {2:P0}) with cooling at {3:F0} kW and losses and other loads at {4:F0} kW draws {5:F0} kW",
            f.GridCapacityW / 1e3, f.ItFloorW / 1e3, _p.MinSpeedFactor, coolingW / 1e3, (floorDrawW - f.ItFloorW - coolingW) / 1e3, floorDrawW / 1e3);
        Log(new TwinEvent(f.TimeS, TwinEventKind.GridLimitExceeded, _p.Policy.Name, _unholdableReason, floorDrawW));
    }
}
