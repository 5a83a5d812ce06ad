using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Parallel;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Cooling;

/// <summary>
/// The per-rack parts of <see cref="Step"/>, run over <see cref="Workers"/>: each rack's heat split
/// and airflow, and each rack's inlet, coolant, die temperature and throttling, write only that
/// rack's slots; the hall totals are summed afterwards in rack order, so they are the same bytes
/// whatever the number of threads.
/// </summary>
public sealed partial class CoolingSystem
{
    [NotState] // how the step is run, not what it holds: a restored system keeps its own
    private StepWorkers _workers = StepWorkers.Sequential;
    [NotState]
    private HeatSplitWork? _heatSplit;
    [NotState]
    private RackTemperatureWork? _rackTemperatures;

    // Per rack, the step's IT power in (a copy the worker threads can read), its heat after
    // throttling and its server fan power above the ramp's floor, W, and whether its inlet was
    // outside the allowable envelope: written by the slices, summed in rack order after them, and
    // rewritten every step before they are read (so not state).
    [NotState]
    private double[]? _rackPowerInW;
    [NotState]
    private double[]? _rackHeatW;
    [NotState]
    private double[]? _rackFanExtraW;
    [NotState]
    private bool[]? _inletOutside;

    /// <summary>The threads the per-rack work of a step runs over (one by default).</summary>
    public StepWorkers Workers
    {
        get => _workers;
        set => _workers = value ?? StepWorkers.Sequential;
    }

    // Step 1: the heat split, the airflow and the extra server fan power of racks [start, end).
    private void SplitHeat(int start, int end, bool throttleReducesPower, ReadOnlySpan<double> power)
    {
        var air = Spec.Air;
        var heat = _rackHeatW!;
        var fanExtra = _rackFanExtraW!;
        for (int i = start; i < end; i++)
        {
            var r = _racks[i];
            double p = Math.Max(0, power[i]) * (throttleReducesPower ? _speed[i] : 1);
            heat[i] = p;
            double liquid = r.Cooling == RackCoolingType.Air ? 0 : p * r.LiquidFraction;
            _liquidHeatW[i] = liquid;
            _airHeatW[i] = p - liquid;
            double fanCarriedW = r.Cooling == RackCoolingType.DirectToChip ? p - liquid : p;
            double speedRatio = air.ServerFanSpeedRatio(_inletC[i]);
            _rackAirflow[i] = _rackAirflowPerW[i] * fanCarriedW * speedRatio;
            fanExtra[i] = air.ServerFanPowerFraction * fanCarriedW * ((speedRatio * speedRatio * speedRatio) - 1);
        }
    }

    // Step 5: inlet air, coolant outlet, die temperature and throttling of racks [start, end).
    private void RackTemperatures(int start, int end, double dtS, double recirculation)
    {
        var air = Spec.Air;
        var acc = Spec.Accelerators;
        var outside = _inletOutside!;

        // FirstOrder.Exact, its decay worked once for every rack (one time constant, one step): the
        // same bits without an exponential per rack per step.
        bool instant = acc.TimeConstantS <= 0;
        double decay = instant ? 0 : Math.Exp(-dtS / acc.TimeConstantS);
        for (int i = start; i < end; i++)
        {
            var r = _racks[i];
            double rackRecirculation = _recirculationWeight is { } rw ? Math.Min(1, recirculation * rw[i]) : recirculation;
            _inletC[i] = air.InletTempC(SupplyAirC, _airHeatW[i], _rackAirflow[i], rackRecirculation);
            double reference;
            double rise;
            if (r.Cooling == RackCoolingType.DirectToChip)
            {
                var cdu = _cdus[r.Cdu];
                double rackRate = cdu.FlowKgPerS * _rackFlowShare[i] * cdu.Spec.SecondaryLoop.Coolant.SpecificHeatJPerKgK;
                _coolantOutC[i] = rackRate > 0 ? cdu.SupplyTempC + (_liquidHeatW[i] / rackRate) : cdu.ReturnTempC;
                reference = _coolantOutC[i];
                rise = acc.RiseAtDesignPowerLiquidK;
            }
            else
            {
                reference = _inletC[i];
                rise = acc.RiseAtDesignPowerAirK;
            }

            double p = _airHeatW[i] + _liquidHeatW[i];
            double target = reference + (rise * p / r.DesignPowerW);
            _dieC[i] = instant ? target : target + ((_dieC[i] - target) * decay);
            _speed[i] = Protection.Step(i, _dieC[i], dtS);
            if (_speed[i] < 1)
            {
                _throttledS[i] += dtS;
            }

            outside[i] = Spec.Envelope.Classify(_inletC[i]) == EnvelopeZone.Outside;
        }
    }

    // Step 1 over the threads, then its totals in rack order.
    private void SplitHeatOverRacks(ReadOnlySpan<double> rackItPowerW,
        out double itHeat, out double airHeat, out double doorHeat, out double rackFlow, out double serverFanExtraW)
    {
        int n = _racks.Length;
        _rackPowerInW ??= new double[n];
        _rackHeatW ??= new double[n];
        _rackFanExtraW ??= new double[n];
        _heatSplit ??= new HeatSplitWork(this);
        bool throttleReducesPower = Spec.Accelerators.ThrottleReducesItPower;
        if (_workers.Threads == 1)
        {
            // One thread reads the caller's powers where they are; only other threads need the copy.
            SplitHeat(0, n, throttleReducesPower, rackItPowerW);
        }
        else
        {
            rackItPowerW.CopyTo(_rackPowerInW);
            _heatSplit.ThrottleReducesPower = throttleReducesPower;
            _workers.Run(n, _heatSplit);
        }

        itHeat = 0;
        airHeat = 0;
        doorHeat = 0;
        rackFlow = 0;
        serverFanExtraW = 0;
        for (int i = 0; i < n; i++)
        {
            itHeat += _rackHeatW[i];
            airHeat += _airHeatW[i];
            rackFlow += _rackAirflow[i];
            serverFanExtraW += _rackFanExtraW[i];
            var r = _racks[i];
            if (r.Cooling == RackCoolingType.DirectToChip)
            {
                _cduHeatW[r.Cdu] += _liquidHeatW[i];
            }
            else
            {
                doorHeat += _liquidHeatW[i];
            }
        }
    }

    // Step 5 over the threads, then its totals in rack order.
    private void RackTemperaturesOverRacks(double dtS, double recirculation, out double throttledAccS, out double outsideS)
    {
        int n = _racks.Length;
        _inletOutside ??= new bool[n];
        _rackTemperatures ??= new RackTemperatureWork(this);
        _rackTemperatures.DtS = dtS;
        _rackTemperatures.Recirculation = recirculation;
        _workers.Run(n, _rackTemperatures);

        throttledAccS = 0;
        outsideS = 0;
        for (int i = 0; i < n; i++)
        {
            if (_speed[i] < 1)
            {
                throttledAccS += _racks[i].Accelerators * dtS;
            }

            if (_inletOutside[i])
            {
                outsideS += dtS;
            }
        }
    }

    private sealed class HeatSplitWork(CoolingSystem system) : IRangeWork
    {
        public bool ThrottleReducesPower;

        public void Run(int start, int end) => system.SplitHeat(start, end, ThrottleReducesPower, system._rackPowerInW!);
    }

    private sealed class RackTemperatureWork(CoolingSystem system) : IRangeWork
    {
        public double DtS;
        public double Recirculation;

        public void Run(int start, int end) => system.RackTemperatures(start, end, DtS, Recirculation);
    }
}
