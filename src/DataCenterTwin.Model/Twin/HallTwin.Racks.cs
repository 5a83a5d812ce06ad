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

    // Per rack, the CDU whose supply its liquid leaves on, or -1 for a rack without one; and per CDU
    // its supply this step. Read per rack per step, they were an interface call each (the spec's rack
    // list and the CDU list); the rack layout is fixed when the twin is built, so not state.
    [NotState]
    private int[]? _rackSupplyCdu;
    [NotState]
    private double[]? _cduSupplyC;

    // The CDU supplies of this step, read once before the racks' slices.
    private void ReadCduSupplies()
    {
        var c = _p.Cooling;
        if (_rackSupplyCdu is null)
        {
            var racks = c.Spec.Racks;
            var map = new int[_racks];
            for (int r = 0; r < _racks; r++)
            {
                var spec = racks[r];
                map[r] = spec.Cooling == RackCoolingType.DirectToChip && spec.Cdu >= 0 ? spec.Cdu : -1;
            }

            _rackSupplyCdu = map;
            _cduSupplyC = new double[c.Cdus.Count];
        }

        var cdus = c.Cdus;
        for (int u = 0; u < cdus.Count; u++)
        {
            _cduSupplyC![u] = cdus[u].SupplyTempC;
        }
    }

    // Racks [start, end) of the step's output accumulation (AccumulateRacksAndPlant).
    private void AccumulateRacks(int start, int end)
    {
        var c = _p.Cooling;
        var inlet = c.RackInletTempC;
        var die = c.RackAcceleratorTempC;
        var coolantOut = c.RackCoolantOutletTempC;
        var airflow = c.RackAirflowM3PerS;
        var airHeat = c.RackAirHeatW;
        var supplyCdu = _rackSupplyCdu!;
        var cduSupply = _cduSupplyC!;
        var acc = _rackAcc;
        var power = _rackPowerW;
        var speed = _rackSpeed;
        var same = _accSameAsPrevious!;
        double dt = _stepS;
        for (int r = start; r < end; r++)
        {
            ref var a = ref acc[r];

            // A rack whose accumulator holds the previous rack's bits and whose step reads the same
            // bits gets the previous rack's sums: the same additions on the same numbers. Pools spread
            // their load evenly, so this is most racks. Never across a slice's start, whose previous
            // rack another thread may not have reached.
            if (r > start && same[r] && supplyCdu[r] == supplyCdu[r - 1]
                && SameBits(power, r) && SameBits(inlet, r) && SameBits(airHeat, r) && SameBits(airflow, r)
                && SameBits(die, r) && SameBits(coolantOut, r) && SameBits(speed, r))
            {
                a = acc[r - 1];
                continue;
            }

            same[r] = false;
            a.PowerJ += power[r] * dt;
            a.InletCs += inlet[r] * dt;
            a.InletMaxC = Math.Max(a.InletMaxC, inlet[r]);

            // RackOutletAirC, the same expression.
            double outletC = airflow[r] > 0 ? inlet[r] + (airHeat[r] / (AirPathSpec.AirVolumetricHeatCapacity * airflow[r])) : inlet[r];
            a.OutletCs += outletC * dt;
            int cdu = supplyCdu[r];
            bool liquid = cdu >= 0;
            a.SupplyCs += (liquid ? cduSupply[cdu] : double.NaN) * dt;
            a.ReturnCs += (liquid ? coolantOut[r] : double.NaN) * dt;
            a.AccelMaxC = Math.Max(a.AccelMaxC, die[r]);
            a.ThrottledS += speed[r] < 1 ? dt : 0;
            a.SpeedS += speed[r] * dt;
        }
    }

    private static bool SameBits(ReadOnlySpan<double> values, int r) =>
        BitConverter.DoubleToInt64Bits(values[r]) == BitConverter.DoubleToInt64Bits(values[r - 1]);

    // Per rack, whether its interval accumulator holds the same bits as the previous rack's: set
    // when an interval's accumulators are cleared, cleared when a step gives the rack other inputs.
    // All false in a restored twin until its next interval (so it only works the sums out): a
    // property of the accumulators, which it never changes, so not state.
    [NotState]
    private bool[]? _accSameAsPrevious;

    private sealed class RackAccumulation(HallTwin twin) : IRangeWork
    {
        public void Run(int start, int end) => twin.AccumulateRacks(start, end);
    }
}
