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

    // Per rack, the CDU whose supply its liquid leaves on, or -1 for a rack without one; and per rack
    // 1 where it has one, 0 where not. Read per rack per step, they were an interface call each (the
    // spec's rack list and the CDU list); the rack layout is fixed when the twin is built, so not state.
    [NotState]
    private int[]? _rackSupplyCdu;
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
        if (_rackSupplyCdu is null)
        {
            var racks = c.Spec.Racks;
            var map = new int[_racks];
            var liquid = new double[_racks];
            for (int r = 0; r < _racks; r++)
            {
                var spec = racks[r];
                map[r] = spec.Cooling == RackCoolingType.DirectToChip && spec.Cdu >= 0 ? spec.Cdu : -1;
                liquid[r] = map[r] >= 0 ? 1 : 0;
            }

            _rackSupplyCdu = map;
            _rackLiquid = liquid;
            _rackSupplyC = new double[_racks];
        }

        var cdus = c.Cdus;
        var cduSupply = _cduSupplyC ??= new double[cdus.Count];
        for (int u = 0; u < cduSupply.Length; u++)
        {
            cduSupply[u] = cdus[u].SupplyTempC;
        }

        var supplyCdu = _rackSupplyCdu;
        var supply = _rackSupplyC!;
        for (int r = 0; r < supply.Length; r++)
        {
            int cdu = supplyCdu[r];
            supply[r] = cdu >= 0 ? cduSupply[cdu] : double.NaN;
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
