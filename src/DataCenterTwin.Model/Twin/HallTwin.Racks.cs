using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Parallel;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Twin;

/// <summary>
/// The twin's per-rack output work of a control step over <see cref="Workers"/>:
/// each rack's interval accumulator is its own, so the racks' slices run on any thread and give
/// the same sums (each rack's in time order, as on one thread).
/// </summary>
public sealed partial class HallTwin
{
    [NotState] // how the step is run, not what it holds: a restored twin keeps its own
    private RackAccumulation? _rackAccumulation;

    [NotState]
    private StepWorkers _workers = StepWorkers.Sequential;

    /// <summary>The threads the per-rack work of a control step runs over (the cooling system's included).</summary>
    public StepWorkers Workers
    {
        get => _workers;
        set
        {
            _workers = value ?? StepWorkers.Sequential;
            _p.Cooling.Workers = _workers;
        }
    }

    // Runs of adjacent racks whose liquid leaves on one CDU (-1: racks without liquid), as (first
    // rack, CDU), the last run closed by (rack count, -1); and per rack 1 where it has liquid, 0 where
    // not. Read per rack per step, they were an interface call each (the spec's rack list and the CDU
    // list); the rack layout is fixed when the twin is built, so not state.
    [NotState]
    private (int First, int Cdu)[]? _cduRuns;
    [NotState]
    private double[]? _rackLiquid;

    // Per CDU and per rack (NaN for a rack without liquid), the supply this step: written before the
    // racks' slices and read only by them, so not state.
    [NotState]
    private double[]? _rackSupplyC;
    [NotState]
    private double[]? _cduSupplyC;

    // The CDU supplies of this step, per rack, read once before the racks' slices.
    private void ReadCduSupplies()
    {
        var c = _p.Cooling;
        if (_cduRuns is null)
        {
            var racks = c.Spec.Racks;
            var runs = new List<(int, int)>();
            var liquid = new double[_racks];
            for (int r = 0; r < _racks; r++)
            {
                var spec = racks[r];
                int cdu = spec.Cooling == RackCoolingType.DirectToChip && spec.Cdu >= 0 ? spec.Cdu : -1;
                liquid[r] = cdu >= 0 ? 1 : 0;
                if (runs.Count == 0 || runs[^1].Item2 != cdu)
                {
                    runs.Add((r, cdu));
                }
            }

            runs.Add((_racks, -1));
            _cduRuns = [.. runs];
            _rackLiquid = liquid;
            _rackSupplyC = new double[_racks];
            _cduSupplyC = new double[c.Cdus.Count];
        }

        var cdus = c.Cdus;
        var cduSupply = _cduSupplyC!;
        for (int u = 0; u < cduSupply.Length; u++)
        {
            cduSupply[u] = cdus[u].SupplyTempC;
        }

        var rackSupply = _rackSupplyC.AsSpan();
        var runsOf = _cduRuns;
        for (int k = 0; k < runsOf.Length - 1; k++)
        {
            var (first, cdu) = runsOf[k];
            rackSupply[first..runsOf[k + 1].First].Fill(cdu >= 0 ? cduSupply[cdu] : double.NaN);
        }
    }

    [NotState] // how the run is observed, set by whoever runs it: a restored twin keeps its own
    private RackReadings _rackReadingsKept = RackReadings.All;

    // The rack sums added at the open interval's first step, and those added at every step of it
    // since (the first, less any a later step did not add): PowerAndInlets or All.
    private RackReadings _rackSumsOpened = RackReadings.All;
    private RackReadings _rackSumsComplete = RackReadings.All;

    /// <summary>
    /// Which of the racks' interval sums the twin keeps: every one by default (a live stream, a
    /// Parquet trace read them all); a run whose outputs read only the power and inlets (a run folder
    /// without traces: its report) says so, and the control step adds only those three. Beyond
    /// <see cref="RackReadings.PowerAndInlets"/> every sum is kept. An interval not kept whole (more
    /// asked for partway through it) gives NaN for what it lacks.
    /// </summary>
    public RackReadings RackReadingsKept
    {
        get => _rackReadingsKept;
        set => _rackReadingsKept = value;
    }

    // The sums this step adds: the set asked for at the interval's first step; after it, what the
    // first added and is still asked for (a sum that missed a step would be wrong all interval).
    private RackReadings KeptRackSums()
    {
        var asked = (_rackReadingsKept & ~RackReadings.PowerAndInlets) != 0 ? RackReadings.All : RackReadings.PowerAndInlets;
        if (_stepInInterval == 0)
        {
            _rackSumsOpened = asked;
            _rackSumsComplete = asked;
        }
        else
        {
            _rackSumsComplete &= asked;
        }

        return _rackSumsComplete;
    }

    // The closing interval's samples; where only the power and inlets were kept (all false), NaN
    // for the rest.
    private void IntervalSamples(RackSample[] samples, double startS, double t, bool all)
    {
        var sums = _rackSums;
        for (int r = 0; r < _racks; r++)
        {
            samples[r] = new RackSample
            {
                StartS = startS,
                DurationS = t,
                Rack = r,
                PowerW = sums.PowerJ[r] / t,
                InletC = sums.InletCs[r] / t,
                InletMaxC = sums.InletMaxC[r],
                OutletC = all ? sums.OutletCs[r] / t : double.NaN,
                LiquidSupplyC = all ? sums.SupplyCs[r] / t : double.NaN,
                LiquidReturnC = all ? sums.ReturnCs[r] / t : double.NaN,
                AcceleratorMaxC = all ? sums.AccelMaxC[r] : double.NaN,
                ThrottleFraction = all ? sums.ThrottledS[r] / t : double.NaN,
                SpeedFactor = all ? sums.SpeedS[r] / t : double.NaN,
            };
        }
    }

    // Racks [start, end) of the step's output accumulation (AccumulateRacksAndPlant).
    private void AccumulateRacks(int start, int end)
    {
        var c = _p.Cooling;
        if (_rackSumsComplete != RackReadings.All)
        {
            var lean = new RackStepReadings { DtS = _stepS, PowerW = _rackPowerW, InletC = c.RackInletTempC };
            _rackSums.AddPowerAndInlets(lean, start, end);
            return;
        }

        var step = new RackStepReadings
        {
            DtS = _stepS,
            PowerW = _rackPowerW,
            InletC = c.RackInletTempC,
            AirHeatW = c.RackAirHeatW,
            AirflowM3PerS = c.RackAirflowM3PerS,
            SupplyC = _rackSupplyC,
            Liquid = _rackLiquid,
            CoolantOutC = c.RackCoolantOutletTempC,
            AcceleratorC = c.RackAcceleratorTempC,
            SpeedFactor = _rackSpeed,
        };
        _rackSums.Add(step, start, end);
    }

    private sealed class RackAccumulation(HallTwin twin) : IRangeWork
    {
        public void Run(int start, int end) => twin.AccumulateRacks(start, end);
    }
}
