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

    // Racks [start, end) of the step's output accumulation (AccumulateRacksAndPlant).
    private void AccumulateRacks(int start, int end)
    {
        var c = _p.Cooling;
        var inlet = c.RackInletTempC;
        var die = c.RackAcceleratorTempC;
        var coolantOut = c.RackCoolantOutletTempC;
        var racks = c.Spec.Racks;
        double dt = _stepS;
        for (int r = start; r < end; r++)
        {
            ref var a = ref _rackAcc[r];
            var spec = racks[r];
            a.PowerJ += _rackPowerW[r] * dt;
            a.InletCs += inlet[r] * dt;
            a.InletMaxC = Math.Max(a.InletMaxC, inlet[r]);
            a.OutletCs += RackOutletAirC(r) * dt;
            bool liquid = spec.Cooling == RackCoolingType.DirectToChip && spec.Cdu >= 0;
            a.SupplyCs += (liquid ? c.Cdus[spec.Cdu].SupplyTempC : double.NaN) * dt;
            a.ReturnCs += (liquid ? coolantOut[r] : double.NaN) * dt;
            a.AccelMaxC = Math.Max(a.AccelMaxC, die[r]);
            a.ThrottledS += _rackSpeed[r] < 1 ? dt : 0;
            a.SpeedS += _rackSpeed[r] * dt;
        }
    }

    private sealed class RackAccumulation(HallTwin twin) : IRangeWork
    {
        public void Run(int start, int end) => twin.AccumulateRacks(start, end);
    }
}
