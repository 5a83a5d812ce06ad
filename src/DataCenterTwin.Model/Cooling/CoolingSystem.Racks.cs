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
    private HeatSplitWork? _heatSplitWhole;
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

    // Per rack, whether its design reads the same as the previous rack's in RackTemperatures
    // (cooling type, CDU, design power, CDU flow share): fixed when the system is built.
    [NotState]
    private readonly bool[] _sameDesignAsPrevious;

    // Whether RackTemperatures hands a rack the previous rack's results when its inputs are the
    // same bits; off only in the test that shows both ways give the same bits.
    [NotState]
    internal bool ReuseIdenticalRacks = true;

    // Per CDU, what the racks' temperatures read of it this step (ReadCdus; rewritten every step).
    [NotState]
    private double[]? _cduFlowKgPerS;
    [NotState]
    private double[]? _cduSpecificHeat;
    [NotState]
    private double[]? _cduSupplyC;
    [NotState]
    private double[]? _cduReturnC;

    /// <summary>The threads the per-rack work of a step runs over (one by default).</summary>
    public StepWorkers Workers
    {
        get => _workers;
        set => _workers = value ?? StepWorkers.Sequential;
    }

    // Step 1: the heat split, the airflow and the extra server fan power of racks [start, end); with
    // sum, also the hall totals, added in rack order (the sequential path: one pass over the racks).
    private void SplitHeat(int start, int end, bool throttleReducesPower, ReadOnlySpan<double> power, bool sum, ref HeatTotals totals)
    {
        var air = Spec.Air;
        var heat = _rackHeatW!;
        var fanExtra = _rackFanExtraW!;
        var racks = _racks;
        var speed = _speed;
        var liquidHeatW = _liquidHeatW;
        var airHeatW = _airHeatW;
        var inletArr = _inletC;
        var airflow = _rackAirflow;
        var airflowPerW = _rackAirflowPerW;
        double fanPowerFraction = air.ServerFanPowerFraction;

        // The fan speed is a power of two of the inlet: racks of one design and load share an inlet,
        // so the last one's ratio is kept (the same bits as working it again).
        double lastInletC = double.NaN, lastRatio = 1;
        for (int i = start; i < end; i++)
        {
            var r = racks[i];
            double p = Math.Max(0, power[i]) * (throttleReducesPower ? speed[i] : 1);
            heat[i] = p;
            double liquid = r.Cooling == RackCoolingType.Air ? 0 : p * r.LiquidFraction;
            liquidHeatW[i] = liquid;
            double airW = p - liquid;
            airHeatW[i] = airW;
            bool directToChip = r.Cooling == RackCoolingType.DirectToChip;
            double fanCarriedW = directToChip ? airW : p;
            double inletC = inletArr[i];
            if (inletC != lastInletC)
            {
                lastRatio = air.ServerFanSpeedRatio(inletC);
                lastInletC = inletC;
            }

            double speedRatio = lastRatio;
            double flow = airflowPerW[i] * fanCarriedW * speedRatio;
            airflow[i] = flow;
            double extra = fanPowerFraction * fanCarriedW * ((speedRatio * speedRatio * speedRatio) - 1);
            fanExtra[i] = extra;
            if (sum)
            {
                totals.Add(this, i, r);
            }
        }
    }

    // The hall totals of the heat split, added rack by rack in rack order.
    private struct HeatTotals
    {
        public double ItHeat, AirHeat, DoorHeat, RackFlow, ServerFanExtraW;

        public void Add(CoolingSystem c, int i, RackThermalSpec r)
        {
            ItHeat += c._rackHeatW![i];
            AirHeat += c._airHeatW[i];
            RackFlow += c._rackAirflow[i];
            ServerFanExtraW += c._rackFanExtraW![i];
            if (r.Cooling == RackCoolingType.DirectToChip)
            {
                c._cduHeatW[r.Cdu] += c._liquidHeatW[i];
            }
            else
            {
                DoorHeat += c._liquidHeatW[i];
            }
        }
    }

    // Step 5: inlet air, coolant outlet, die temperature and throttling of racks [start, end).
    private void RackTemperatures(int start, int end, double dtS, double recirculation)
    {
        var air = Spec.Air;
        var acc = Spec.Accelerators;
        var envelope = Spec.Envelope;
        var outside = _inletOutside!;
        var cduFlow = _cduFlowKgPerS!;
        var cduCp = _cduSpecificHeat!;
        var cduSupply = _cduSupplyC!;
        var cduReturn = _cduReturnC!;
        var weights = _recirculationWeight;
        var sameDesign = _sameDesignAsPrevious;
        bool reuse = ReuseIdenticalRacks;
        var protection = Protection;
        var racks = _racks;
        var airHeatW = _airHeatW;
        var liquidHeatW = _liquidHeatW;
        var airflow = _rackAirflow;
        var inletArr = _inletC;
        var dieArr = _dieC;
        var coolantOutArr = _coolantOutC;
        var speedArr = _speed;
        var throttledS = _throttledS;
        var flowShare = _rackFlowShare;
        double supplyAirC = SupplyAirC;
        double riseLiquid = acc.RiseAtDesignPowerLiquidK, riseAir = acc.RiseAtDesignPowerAirK;
        double shutdownC = acc.ShutdownC;

        // FirstOrder.Exact, its decay worked once for every rack (one time constant, one step).
        bool instant = acc.TimeConstantS <= 0;
        double decay = instant ? 0 : FirstOrder.Decay(acc.TimeConstantS, dtS);

        // A rack of the previous rack's design (its CDU and flow share too) with the same heat, airflow,
        // recirculation weight and die temperature before the step, up and below the shutdown limit as
        // the previous was, gets the previous rack's results: the same expressions on the same bits.
        // Pools spread their load evenly, so runs of such racks are the common case.
        long lastAirBits = 0, lastLiquidBits = 0, lastFlowBits = 0, lastDieBits = 0;
        bool lastReusable = false;
        double lastInletC = 0, lastCoolantOutC = 0, lastDieC = 0, lastSpeed = 1;
        bool lastOutside = false;
        for (int i = start; i < end; i++)
        {
            long airBits = BitConverter.DoubleToInt64Bits(airHeatW[i]);
            long liquidBits = BitConverter.DoubleToInt64Bits(liquidHeatW[i]);
            long flowBits = BitConverter.DoubleToInt64Bits(airflow[i]);
            long dieBits = BitConverter.DoubleToInt64Bits(dieArr[i]);
            if (lastReusable && sameDesign[i] && airBits == lastAirBits && liquidBits == lastLiquidBits
                && flowBits == lastFlowBits && dieBits == lastDieBits && !protection.IsDown(i)
                && (weights is null || BitConverter.DoubleToInt64Bits(weights[i]) == BitConverter.DoubleToInt64Bits(weights[i - 1])))
            {
                inletArr[i] = lastInletC;
                if (racks[i].Cooling == RackCoolingType.DirectToChip)
                {
                    coolantOutArr[i] = lastCoolantOutC;
                }

                dieArr[i] = lastDieC;
                speedArr[i] = lastSpeed;
                if (lastSpeed < 1)
                {
                    throttledS[i] += dtS;
                }

                outside[i] = lastOutside;
                continue;
            }

            var r = racks[i];
            double rackRecirculation = weights is not null ? Math.Min(1, recirculation * weights[i]) : recirculation;
            double inletC = air.InletTempC(supplyAirC, airHeatW[i], airflow[i], rackRecirculation);
            inletArr[i] = inletC;
            double reference;
            double rise;
            double coolantOutC = 0;
            if (r.Cooling == RackCoolingType.DirectToChip)
            {
                int u = r.Cdu;
                double rackRate = cduFlow[u] * flowShare[i] * cduCp[u];
                coolantOutC = rackRate > 0 ? cduSupply[u] + (liquidHeatW[i] / rackRate) : cduReturn[u];
                coolantOutArr[i] = coolantOutC;
                reference = coolantOutC;
                rise = riseLiquid;
            }
            else
            {
                reference = inletC;
                rise = riseAir;
            }

            double p = airHeatW[i] + liquidHeatW[i];
            double target = reference + (rise * p / r.DesignPowerW);
            double dieC = instant ? target : FirstOrder.Toward(dieArr[i], target, decay);
            dieArr[i] = dieC;

            // DieProtection.Step's common case (up, below the shutdown limit) has no state to keep,
            // so only it is reused.
            bool up = !protection.IsDown(i) && dieC < shutdownC;
            double speed = protection.Step(i, dieC, dtS);
            speedArr[i] = speed;
            if (speed < 1)
            {
                throttledS[i] += dtS;
            }

            bool isOutside = envelope.Classify(inletC) == EnvelopeZone.Outside;
            outside[i] = isOutside;

            lastReusable = up && reuse;
            lastAirBits = airBits;
            lastLiquidBits = liquidBits;
            lastFlowBits = flowBits;
            lastDieBits = dieBits;
            lastInletC = inletC;
            lastCoolantOutC = coolantOutC;
            lastDieC = dieC;
            lastSpeed = speed;
            lastOutside = isOutside;
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
        _heatSplit ??= new HeatSplitWork(this, sum: false);
        bool throttleReducesPower = Spec.Accelerators.ThrottleReducesItPower;
        var totals = default(HeatTotals);
        if (_workers.Threads == 1)
        {
            // One thread reads the caller's powers where they are and sums as it goes; only other
            // threads need the copy and the sums after them.
            SplitHeat(0, n, throttleReducesPower, rackItPowerW, sum: true, ref totals);
        }
        else
        {
            rackItPowerW.CopyTo(_rackPowerInW);
            _heatSplitWhole ??= new HeatSplitWork(this, sum: true);
            _heatSplit.ThrottleReducesPower = throttleReducesPower;
            _heatSplitWhole.ThrottleReducesPower = throttleReducesPower;
            _heatSplitWhole.Totals = default;
            if (_workers.Run(n, _heatSplit, _heatSplitWhole))
            {
                for (int i = 0; i < n; i++)
                {
                    totals.Add(this, i, _racks[i]);
                }
            }
            else
            {
                // Run on this thread in one pass that summed as it went.
                totals = _heatSplitWhole.Totals;
            }
        }

        itHeat = totals.ItHeat;
        airHeat = totals.AirHeat;
        doorHeat = totals.DoorHeat;
        rackFlow = totals.RackFlow;
        serverFanExtraW = totals.ServerFanExtraW;
    }

    // Step 5 over the threads, then its totals in rack order.
    private void RackTemperaturesOverRacks(double dtS, double recirculation, out double throttledAccS, out double outsideS)
    {
        int n = _racks.Length;
        _inletOutside ??= new bool[n];
        _rackTemperatures ??= new RackTemperatureWork(this);
        ReadCdus();
        _rackTemperatures.DtS = dtS;
        _rackTemperatures.Recirculation = recirculation;
        _workers.Run(n, _rackTemperatures);

        // The step's totals in rack order, and the hall's inlet and die extremes in the same pass
        // (the twin's facility sample reads them rather than going over the racks again).
        throttledAccS = 0;
        outsideS = 0;
        var speed = _speed;
        var inletC = _inletC;
        var dieC = _dieC;
        var outside = _inletOutside;
        var racks = _racks;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, dieMax = double.NegativeInfinity;
        int throttled = 0;
        for (int i = 0; i < n; i++)
        {
            if (speed[i] < 1)
            {
                throttledAccS += racks[i].Accelerators * dtS;
                throttled++;
            }

            if (outside[i])
            {
                outsideS += dtS;
            }

            double inlet = inletC[i];
            min = Math.Min(min, inlet);
            max = Math.Max(max, inlet);
            sum += inlet;
            dieMax = Math.Max(dieMax, dieC[i]);
        }

        RackInletMinC = min;
        RackInletMaxC = max;
        RackInletMeanC = n > 0 ? sum / n : double.NaN;
        RackAcceleratorMaxC = dieMax;
        ThrottledRacks = throttled;
    }

    /// <summary>Coolest rack inlet at the last step, °C (+∞ without racks).</summary>
    public double RackInletMinC { get; private set; } = double.PositiveInfinity;

    /// <summary>Hottest rack inlet at the last step, °C (−∞ without racks).</summary>
    public double RackInletMaxC { get; private set; } = double.NegativeInfinity;

    /// <summary>Mean of the racks' inlets at the last step (each rack counted once), °C; NaN without racks.</summary>
    public double RackInletMeanC { get; private set; } = double.NaN;

    /// <summary>Hottest accelerator (die) at the last step, °C (−∞ without racks).</summary>
    public double RackAcceleratorMaxC { get; private set; } = double.NegativeInfinity;

    /// <summary>Racks whose clock factor from throttling or protection was below 1 at the last step.</summary>
    public int ThrottledRacks { get; private set; }

    // The CDUs' flow, coolant heat capacity, supply and return of this step, read once before the racks'
    // slices rather than through each CDU's pumps, spec and loop per rack.
    private void ReadCdus()
    {
        int m = _cdus.Length;
        _cduFlowKgPerS ??= new double[m];
        _cduSpecificHeat ??= new double[m];
        _cduSupplyC ??= new double[m];
        _cduReturnC ??= new double[m];
        for (int u = 0; u < m; u++)
        {
            var cdu = _cdus[u];
            _cduFlowKgPerS[u] = cdu.FlowKgPerS;
            _cduSpecificHeat[u] = cdu.Spec.SecondaryLoop.Coolant.SpecificHeatJPerKgK;
            _cduSupplyC[u] = cdu.SupplyTempC;
            _cduReturnC[u] = cdu.ReturnTempC;
        }
    }

    // The heat split of a slice of racks, or (sum) of every rack on the caller's thread, summing
    // as it goes in rack order as one thread does.
    private sealed class HeatSplitWork(CoolingSystem system, bool sum) : IRangeWork
    {
        public bool ThrottleReducesPower;
        public HeatTotals Totals;

        public void Run(int start, int end) =>
            system.SplitHeat(start, end, ThrottleReducesPower, system._rackPowerInW!, sum, ref Totals);
    }

    private sealed class RackTemperatureWork(CoolingSystem system) : IRangeWork
    {
        public double DtS;
        public double Recirculation;

        public void Run(int start, int end) => system.RackTemperatures(start, end, DtS, Recirculation);
    }
}
