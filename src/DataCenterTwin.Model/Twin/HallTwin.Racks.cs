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

    // Racks [start, end) of the step's output accumulation (AccumulateRacksAndPlant).
    private void AccumulateRacks(int start, int end)
    {
        var c = _p.Cooling;
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
