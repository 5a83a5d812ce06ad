using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Compute;
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
    [NotState]
    private RackTemperatureWork? _rackTemperaturesWhole;

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

    // Per rack, the CDU its cold plates are on, or -1 (not direct-to-chip): fixed when the system is built.
    [NotState]
    private readonly int[] _rackCdu;

    // The racks' runs on one CDU for SumHeatSplit (CduRuns): fixed when the system is built.
    [NotState]
    private readonly int[] _cduRunStart;
    [NotState]
    private readonly int[] _cduRunCdu;

    // Per rack, for SplitHeat in vector lanes: its liquid fraction, and all ones where it is air
    // cooled or direct-to-chip (lane masks): fixed when the system is built.
    [NotState]
    private readonly double[] _rackLiquidFraction;
    [NotState]
    private readonly long[] _rackAirMask;
    [NotState]
    private readonly long[] _rackChipMask;

    // Per rack, a number shared by the racks whose temperatures read the same design less the CDU
    // (cooling type, design power, CDU flow share, recirculation weight; the racks of every CDU whose
    // coolant reads the same this step share results, CduClasses), and the weights it was worked
    // with: worked again when the weights are set (or restored).
    [NotState]
    private double[]? _designClassWeights;
    [NotState]
    private int[] _designClassAnyCdu;

    // Per rack, its design class less the CDU joined with its CDU's class this step (CduClasses):
    // racks with one key read the same design and coolant, so a run of them with the same heat,
    // airflow and die takes one rack's results (RackTemperatures' table and runs, across CDUs
    // alike). Worked again when the CDU classes or the design classes change (stale).
    [NotState]
    private long[]? _rackKey;
    [NotState]
    private bool _rackKeysStale = true;

    // Per CDU, the first CDU whose flow, coolant, supply and return have the same bits this step
    // (rows of one pool on CDUs of their own run alike): rewritten every step (ReadCdus).
    [NotState]
    private int[]? _cduClass;

    // Whether a rack may take the results of an earlier rack of the step worked on the same bits
    // (RackTemperatures' table and runs, also across CDUs alike; SplitHeat's fan speed ratio) and
    // SplitHeat runs in vector lanes; off only in the tests that show both ways give the same bits.
    [NotState]
    internal bool ReuseIdenticalRacks = true;

    // The one-thread pass's table of racks' results to reuse (a slice on another thread keeps its
    // own on its stack); rewritten from its first slot every step.
    [NotState]
    private readonly RackResult[] _reuseTable = new RackResult[ReuseSlots];

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

    // Step 1: the heat split, the airflow and the extra server fan power of racks [start, end).
    private void SplitHeat(int start, int end, bool throttleReducesPower, ReadOnlySpan<double> power)
    {
        // The fan speed is a power of two of the inlet: racks of one design and load share an inlet,
        // so the last one's ratio is kept (the same bits as working it again).
        double lastInletC = double.NaN, lastRatio = 1;
        int i = start;
        if (ReuseIdenticalRacks && Vector256.IsHardwareAccelerated)
        {
            i = SplitHeatInLanes(start, end, throttleReducesPower, power, ref lastInletC, ref lastRatio);
        }

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
        bool reuse = ReuseIdenticalRacks;
        for (; i < end; i++)
        {
            var r = racks[i];
            double p = Math.Max(0, power[i]) * (throttleReducesPower ? speed[i] : 1);
            heat[i] = p;
            double liquid = r.Cooling == RackCoolingType.Air ? 0 : p * r.LiquidFraction;
            liquidHeatW[i] = liquid;
            double airW = p - liquid;
            airHeatW[i] = airW;
            double fanCarriedW = r.Cooling == RackCoolingType.DirectToChip ? airW : p;
            double inletC = inletArr[i];
            if (inletC != lastInletC || !reuse)
            {
                lastRatio = air.ServerFanSpeedRatio(inletC);
                lastInletC = inletC;
            }

            double speedRatio = lastRatio;
            airflow[i] = airflowPerW[i] * fanCarriedW * speedRatio;
            fanExtra[i] = fanPowerFraction * fanCarriedW * ((speedRatio * speedRatio * speedRatio) - 1);
        }
    }

    // SplitHeat four racks at a time, each lane doing the scalar loop's operations in its order
    // (IEEE + - * and Max are exact per lane, so a lane's bits are the scalar rack's); the fan speed
    // ratio, a Math.Pow, stays scalar, kept from the last rack as the scalar loop keeps it. Returns
    // where the scalar loop takes over (fewer than four racks left).
    private int SplitHeatInLanes(int start, int end, bool throttleReducesPower, ReadOnlySpan<double> power, ref double lastInletC, ref double lastRatio)
    {
        var air = Spec.Air;
        ref double powerRef = ref MemoryMarshal.GetReference(power);
        ref double speedRef = ref MemoryMarshal.GetArrayDataReference(_speed);
        ref double inletRef = ref MemoryMarshal.GetArrayDataReference(_inletC);
        ref double perWRef = ref MemoryMarshal.GetArrayDataReference(_rackAirflowPerW);
        ref double fractionRef = ref MemoryMarshal.GetArrayDataReference(_rackLiquidFraction);
        ref long airMaskRef = ref MemoryMarshal.GetArrayDataReference(_rackAirMask);
        ref long chipMaskRef = ref MemoryMarshal.GetArrayDataReference(_rackChipMask);
        ref double heatRef = ref MemoryMarshal.GetArrayDataReference(_rackHeatW!);
        ref double liquidRef = ref MemoryMarshal.GetArrayDataReference(_liquidHeatW);
        ref double airRef = ref MemoryMarshal.GetArrayDataReference(_airHeatW);
        ref double flowRef = ref MemoryMarshal.GetArrayDataReference(_rackAirflow);
        ref double extraRef = ref MemoryMarshal.GetArrayDataReference(_rackFanExtraW!);
        var one = Vector256.Create(1.0);
        var fanPowerFraction = Vector256.Create(air.ServerFanPowerFraction);

        // The arrays are one slot per rack and power is checked to be as long, so [start, end) is in all of them.
        int i = start;
        for (; i + 4 <= end; i += 4)
        {
            nuint k = (nuint)i;
            var p = Vector256.Max(Vector256<double>.Zero, Vector256.LoadUnsafe(ref powerRef, k))
                * (throttleReducesPower ? Vector256.LoadUnsafe(ref speedRef, k) : one);
            var liquid = Vector256.ConditionalSelect(Vector256.LoadUnsafe(ref airMaskRef, k).AsDouble(), Vector256<double>.Zero,
                p * Vector256.LoadUnsafe(ref fractionRef, k));
            var airW = p - liquid;
            var fanCarriedW = Vector256.ConditionalSelect(Vector256.LoadUnsafe(ref chipMaskRef, k).AsDouble(), airW, p);
            var inletC = Vector256.LoadUnsafe(ref inletRef, k);
            Vector256<double> speedRatio;
            if (Vector256.EqualsAll(inletC, Vector256.Create(lastInletC)))
            {
                speedRatio = Vector256.Create(lastRatio);
            }
            else
            {
                double r0 = Ratio(air, inletC.GetElement(0), ref lastInletC, ref lastRatio);
                double r1 = Ratio(air, inletC.GetElement(1), ref lastInletC, ref lastRatio);
                double r2 = Ratio(air, inletC.GetElement(2), ref lastInletC, ref lastRatio);
                double r3 = Ratio(air, inletC.GetElement(3), ref lastInletC, ref lastRatio);
                speedRatio = Vector256.Create(r0, r1, r2, r3);
            }

            p.StoreUnsafe(ref heatRef, k);
            liquid.StoreUnsafe(ref liquidRef, k);
            airW.StoreUnsafe(ref airRef, k);
            (Vector256.LoadUnsafe(ref perWRef, k) * fanCarriedW * speedRatio).StoreUnsafe(ref flowRef, k);
            (fanPowerFraction * fanCarriedW * ((speedRatio * speedRatio * speedRatio) - one)).StoreUnsafe(ref extraRef, k);
        }

        return i;
    }

    // The fan speed ratio at an inlet, kept from the last rack when the inlet is the same.
    private static double Ratio(AirPathSpec air, double inletC, ref double lastInletC, ref double lastRatio)
    {
        if (inletC != lastInletC)
        {
            lastRatio = air.ServerFanSpeedRatio(inletC);
            lastInletC = inletC;
        }

        return lastRatio;
    }

    // The hall totals of the heat split, each in rack order, and each CDU's liquid heat (or the
    // rear doors') in its racks' order. Racks alike (a pool spreads its load evenly over racks of
    // one design) come in runs whose five values have the same bits, and a run's additions to a
    // total are jumped through (RepeatedSum: the same bits); a CDU's racks within such a run from a
    // zero slot give the bits the last such CDU gave with that heat and rack count. Other racks are
    // added one by one. Plain, rack by rack, without ReuseIdenticalRacks.
    private void SumHeatSplit(out double itHeat, out double airHeat, out double doorHeat, out double rackFlow, out double serverFanExtraW)
    {
        if (!ReuseIdenticalRacks)
        {
            SumHeatSplitPlain(out itHeat, out airHeat, out doorHeat, out rackFlow, out serverFanExtraW);
            return;
        }

        var heat = _rackHeatW!;
        var air = _airHeatW;
        var liquid = _liquidHeatW;
        var flow = _rackAirflow;
        var fanExtra = _rackFanExtraW!;
        var rackCdu = _rackCdu;
        var cduHeat = _cduHeatW;
        int n = heat.Length;
        double it = 0, airSum = 0, flowSum = 0, extraSum = 0;
        var door = new LiquidRuns { Segment = 0 };
        for (int i = 0; i < n;)
        {
            // A short run costs more to find than to add: a run is looked for only where the rack
            // RunMin on repeats this one's heat.
            int end = i + RunMin <= n && BitConverter.DoubleToInt64Bits(heat[i + RunMin - 1]) == BitConverter.DoubleToInt64Bits(heat[i])
                ? RunEnd5(heat, air, flow, fanExtra, liquid, i, n)
                : i;
            if (end - i >= RunMin)
            {
                int count = end - i;
                it = RepeatedSum.Add(it, heat[i], count);
                airSum = RepeatedSum.Add(airSum, air[i], count);
                flowSum = RepeatedSum.Add(flowSum, flow[i], count);
                extraSum = RepeatedSum.Add(extraSum, fanExtra[i], count);
                AddLiquidRun(i, end, liquid[i], ref door);
                i = end;
                continue;
            }

            int to = Math.Min(n, Math.Max(end, i + RunMin));
            for (; i < to; i++)
            {
                it += heat[i];
                airSum += air[i];
                flowSum += flow[i];
                extraSum += fanExtra[i];
                int u = rackCdu[i];
                if (u >= 0)
                {
                    cduHeat[u] += liquid[i];
                }
                else
                {
                    door.DoorW += liquid[i];
                }
            }
        }

        itHeat = it;
        airHeat = airSum;
        rackFlow = flowSum;
        serverFanExtraW = extraSum;
        doorHeat = door.DoorW;
    }

    // Shortest run of racks alike whose additions SumHeatSplit jumps through.
    private const int RunMin = 8;

    // The end of the run of racks from `from` whose five values all have rack from's bits.
    private static int RunEnd5(double[] a, double[] b, double[] c, double[] d, double[] e, int from, int end)
    {
        end = RepeatedSum.RunEnd(a, from, end);
        end = RepeatedSum.RunEnd(b, from, end);
        end = RepeatedSum.RunEnd(c, from, end);
        end = RepeatedSum.RunEnd(d, from, end);
        return RepeatedSum.RunEnd(e, from, end);
    }

    // SumHeatSplit's liquid walk: the CDU run (CduRuns) it is in, the rear doors' heat so far, and
    // the last CDU run that started from a zero slot, its heat, rack count and sum.
    private struct LiquidRuns
    {
        public int Segment;
        public double DoorW;
        public long LastBits;
        public int LastCount;
        public double LastSum;
    }

    // Racks [from, end), all with one liquid heat, added to their CDUs' slots (or the rear doors')
    // run by run of CduRuns, each in rack order.
    private void AddLiquidRun(int from, int end, double liquidW, ref LiquidRuns walk)
    {
        var runStart = _cduRunStart;
        var runCdu = _cduRunCdu;
        var cduHeat = _cduHeatW;
        long bits = BitConverter.DoubleToInt64Bits(liquidW);
        while (runStart[walk.Segment + 1] <= from)
        {
            walk.Segment++;
        }

        for (int at = from; at < end;)
        {
            int to = Math.Min(end, runStart[walk.Segment + 1]);
            int u = runCdu[walk.Segment];
            int count = to - at;
            double sum = u >= 0 ? cduHeat[u] : walk.DoorW;
            if (BitConverter.DoubleToInt64Bits(sum) == 0 && bits == walk.LastBits && count == walk.LastCount)
            {
                sum = walk.LastSum;
            }
            else
            {
                double after = RepeatedSum.Add(sum, liquidW, count);
                if (BitConverter.DoubleToInt64Bits(sum) == 0)
                {
                    (walk.LastBits, walk.LastCount, walk.LastSum) = (bits, count, after);
                }

                sum = after;
            }

            if (u >= 0)
            {
                cduHeat[u] = sum;
            }
            else
            {
                walk.DoorW = sum;
            }

            at = to;
            if (to == runStart[walk.Segment + 1])
            {
                walk.Segment++;
            }
        }
    }

    // The plain SumHeatSplit: the hall totals of the heat split, added in rack order in a pass of their own, short enough
    // for the sums to stay in registers; a CDU's heat (or the rear doors') summed over each run of
    // racks on it (CduRuns) and written back after the run: the same additions in the same order as
    // adding to its slot rack by rack, without a branch per rack.
    private void SumHeatSplitPlain(out double itHeat, out double airHeat, out double doorHeat, out double rackFlow, out double serverFanExtraW)
    {
        var heat = _rackHeatW!;
        var air = _airHeatW;
        var liquid = _liquidHeatW;
        var flow = _rackAirflow;
        var fanExtra = _rackFanExtraW!;
        var runStart = _cduRunStart;
        var runCdu = _cduRunCdu;
        var cduHeat = _cduHeatW;
        double it = 0, airSum = 0, door = 0, flowSum = 0, extraSum = 0;
        for (int s = 0; s < runCdu.Length; s++)
        {
            int u = runCdu[s];
            int from = runStart[s];
            int length = runStart[s + 1] - from;
            var h = heat.AsSpan(from, length);
            var a = air.AsSpan(from, length);
            var l = liquid.AsSpan(from, length);
            var f = flow.AsSpan(from, length);
            var x = fanExtra.AsSpan(from, length);
            double cduSum = u >= 0 ? cduHeat[u] : door;
            for (int i = 0; i < h.Length; i++)
            {
                it += h[i];
                airSum += a[i];
                flowSum += f[i];
                extraSum += x[i];
                cduSum += l[i];
            }

            if (u >= 0)
            {
                cduHeat[u] = cduSum;
            }
            else
            {
                door = cduSum;
            }
        }

        itHeat = it;
        airHeat = airSum;
        doorHeat = door;
        rackFlow = flowSum;
        serverFanExtraW = extraSum;
    }

    // The racks as runs of neighbours on one CDU (-1: not direct-to-chip, their liquid heat goes to
    // the rear doors): each run's first rack and CDU, and one more start at the rack count.
    private static (int[] Start, int[] Cdu) CduRuns(int[] rackCdu)
    {
        var start = new List<int>();
        var cdu = new List<int>();
        for (int i = 0; i < rackCdu.Length; i++)
        {
            if (i == 0 || rackCdu[i] != rackCdu[i - 1])
            {
                start.Add(i);
                cdu.Add(rackCdu[i]);
            }
        }

        start.Add(rackCdu.Length);
        return ([.. start], [.. cdu]);
    }

    // Results of racks worked in full this step, reused by racks with the same inputs: pools give
    // their racks a few distinct powers, interleaved, so a rack often repeats a rack before the
    // previous one. Sixteen covers the distinct inputs of a step in the metro hall.
    private const int ReuseSlots = 16;

    // One rack's temperatures worked in full, and the bits of the inputs they were worked from.
    private struct RackResult
    {
        public long AirBits, LiquidBits, FlowBits, DieBits;
        public long Key;
        public double InletC, CoolantOutC, DieC, Speed;
        public bool Outside, DirectToChip;
    }

    // Step 5's hall totals: throttled accelerator-seconds and racks, seconds of inlets outside the
    // envelope, and the inlet and die extremes and the inlet sum.
    private struct RackTotals
    {
        public double ThrottledAccS, OutsideS, InletMin, InletMax, InletSum, DieMax;
        public int Throttled;
    }

    // Step 5: inlet air, coolant outlet, die temperature and throttling of racks [start, end); with
    // sum, also the hall totals, in rack order (the one-thread path: one pass over the racks).
    private void RackTemperatures(int start, int end, double dtS, double recirculation, Span<RackResult> table, bool sum, out RackTotals totals)
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
        var protection = Protection;
        var rackKey = _rackKey!;
        var down = protection.DownFlags;
        bool reuse = ReuseIdenticalRacks;
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

        double throttledAccS = 0, outsideS = 0, inletSum = 0;
        double inletMin = double.PositiveInfinity, inletMax = double.NegativeInfinity, dieMax = double.NegativeInfinity;
        int throttled = 0;

        // A rack of an earlier rack's design (its flow share too, on a CDU whose coolant reads the same
        // bits) with the same heat, airflow,
        // recirculation weight and die temperature before the step, up and below the shutdown limit as
        // that one was, gets its results: the same expressions on the same bits. The table holds the
        // step's racks worked in full (the oldest replaced); the last one matched is tried first.
        int filled = 0, next = 0, last = 0;
        for (int i = start; i < end; i++)
        {
            long airBits = BitConverter.DoubleToInt64Bits(airHeatW[i]);
            long liquidBits = BitConverter.DoubleToInt64Bits(liquidHeatW[i]);
            long flowBits = BitConverter.DoubleToInt64Bits(airflow[i]);
            long dieBits = BitConverter.DoubleToInt64Bits(dieArr[i]);
            long key = rackKey[i];
            int hit = -1;
            if (filled > 0 && !down[i])
            {
                if (Same(in table[last], airBits, liquidBits, flowBits, dieBits, key))
                {
                    hit = last;
                }
                else
                {
                    for (int k = 0; k < filled; k++)
                    {
                        if (Same(in table[k], airBits, liquidBits, flowBits, dieBits, key))
                        {
                            hit = k;
                            break;
                        }
                    }
                }
            }

            double inletC, dieC, speed, coolantOutC;
            bool isOutside, directToChip, reusable;
            if (hit >= 0)
            {
                ref readonly var e = ref table[hit];
                last = hit;
                inletC = e.InletC;
                coolantOutC = e.CoolantOutC;
                directToChip = e.DirectToChip;
                if (directToChip)
                {
                    coolantOutArr[i] = coolantOutC;
                }

                dieC = e.DieC;
                speed = e.Speed;
                isOutside = e.Outside;
                reusable = true;
            }
            else
            {
                var r = racks[i];
                double rackRecirculation = weights is not null ? Math.Min(1, recirculation * weights[i]) : recirculation;
                inletC = air.InletTempC(supplyAirC, airHeatW[i], airflow[i], rackRecirculation);
                double reference;
                double rise;
                coolantOutC = 0;
                directToChip = r.Cooling == RackCoolingType.DirectToChip;
                if (directToChip)
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
                dieC = instant ? target : FirstOrder.Toward(dieArr[i], target, decay);

                // DieProtection.Step's common case (up, below the shutdown limit) has no state to keep,
                // so only it is reused.
                bool up = !down[i] && dieC < shutdownC;
                speed = protection.Step(i, dieC, dtS);
                isOutside = envelope.Classify(inletC) == EnvelopeZone.Outside;
                reusable = up && reuse;
                if (reusable)
                {
                    last = next;
                    table[next] = new RackResult
                    {
                        AirBits = airBits, LiquidBits = liquidBits, FlowBits = flowBits, DieBits = dieBits, Key = key,
                        InletC = inletC, CoolantOutC = coolantOutC, DieC = dieC, Speed = speed, Outside = isOutside,
                        DirectToChip = directToChip,
                    };
                    next = next + 1 == table.Length ? 0 : next + 1;
                    filled = Math.Max(filled, next == 0 ? table.Length : next);
                }

                // A reused rack's inlet and die were counted in the extremes with the rack it repeats.
                inletMin = Math.Min(inletMin, inletC);
                inletMax = Math.Max(inletMax, inletC);
                dieMax = Math.Max(dieMax, dieC);
            }

            inletArr[i] = inletC;
            dieArr[i] = dieC;
            speedArr[i] = speed;
            outside[i] = isOutside;
            if (speed < 1)
            {
                throttledS[i] += dtS;
                if (sum)
                {
                    throttledAccS += racks[i].Accelerators * dtS;
                    throttled++;
                }
            }

            if (sum)
            {
                outsideS += isOutside ? dtS : 0;
                inletSum += inletC;
            }

            // The racks right after it that repeat it (a pool spreads its load evenly over racks of
            // one design) take its results in one pass over the run rather than rack by rack.
            if (reusable && i + 1 < end && rackKey[i + 1] == key && BitConverter.DoubleToInt64Bits(dieArr[i + 1]) == dieBits
                && BitConverter.DoubleToInt64Bits(airHeatW[i + 1]) == airBits)
            {
                int from = i + 1;
                int to = FillRun(from, end, in table[last], down, sum, ref inletSum);
                if (speed < 1)
                {
                    for (int k = from; k < to; k++)
                    {
                        throttledS[k] += dtS;
                        if (sum)
                        {
                            throttledAccS += racks[k].Accelerators * dtS;
                            throttled++;
                        }
                    }
                }

                // Adding +0 leaves the sum's bits as they are (it is never -0), so only an outside run adds.
                if (sum && isOutside)
                {
                    outsideS = RepeatedSum.Add(outsideS, dtS, to - from);
                }

                i = to - 1;
            }
        }

        totals = new RackTotals
        {
            ThrottledAccS = throttledAccS, OutsideS = outsideS, InletMin = inletMin, InletMax = inletMax,
            InletSum = inletSum, DieMax = dieMax, Throttled = throttled,
        };
    }

    // The racks from `from` on with the inputs, state (up) and key (design and CDU class) of the
    // table entry take its results (and, with sum, add its inlet to the
    // sum in rack order); returns where the run ends.
    // Four racks at a time where they all repeat it, then rack by rack up to the first that does not.
    private int FillRun(int from, int end, in RackResult e, ReadOnlySpan<bool> down, bool sum, ref double inletSum)
    {
        ref long dieRef = ref Unsafe.As<double, long>(ref MemoryMarshal.GetArrayDataReference(_dieC));
        ref long airRef = ref Unsafe.As<double, long>(ref MemoryMarshal.GetArrayDataReference(_airHeatW));
        ref long liquidRef = ref Unsafe.As<double, long>(ref MemoryMarshal.GetArrayDataReference(_liquidHeatW));
        ref long flowRef = ref Unsafe.As<double, long>(ref MemoryMarshal.GetArrayDataReference(_rackAirflow));
        ref long keyRef = ref MemoryMarshal.GetArrayDataReference(_rackKey!);
        ref byte downRef = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(down));
        ref double inletRef = ref MemoryMarshal.GetArrayDataReference(_inletC);
        ref double dieOutRef = ref MemoryMarshal.GetArrayDataReference(_dieC);
        ref double speedRef = ref MemoryMarshal.GetArrayDataReference(_speed);
        ref double coolantRef = ref MemoryMarshal.GetArrayDataReference(_coolantOutC);
        ref byte outsideRef = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetArrayDataReference(_inletOutside!));
        double inletC = e.InletC;

        // Every per-rack array holds one slot per rack, and end is at most the rack count.
        int k = from;
        if (Vector256.IsHardwareAccelerated)
        {
            var dieBits = Vector256.Create(e.DieBits);
            var airBits = Vector256.Create(e.AirBits);
            var liquidBits = Vector256.Create(e.LiquidBits);
            var flowBits = Vector256.Create(e.FlowBits);
            var keyV = Vector256.Create(e.Key);
            var inletV = Vector256.Create(inletC);
            var dieV = Vector256.Create(e.DieC);
            var speedV = Vector256.Create(e.Speed);
            var coolantV = Vector256.Create(e.CoolantOutC);
            uint outside4 = e.Outside ? 0x01010101u : 0;
            for (; k + 4 <= end; k += 4)
            {
                nuint at = (nuint)k;
                if (!(Vector256.EqualsAll(Vector256.LoadUnsafe(ref dieRef, at), dieBits)
                    && Vector256.EqualsAll(Vector256.LoadUnsafe(ref airRef, at), airBits)
                    && Vector256.EqualsAll(Vector256.LoadUnsafe(ref liquidRef, at), liquidBits)
                    && Vector256.EqualsAll(Vector256.LoadUnsafe(ref flowRef, at), flowBits)
                    && Vector256.EqualsAll(Vector256.LoadUnsafe(ref keyRef, at), keyV)
                    && Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref downRef, k)) == 0))
                {
                    break;
                }

                inletV.StoreUnsafe(ref inletRef, at);
                dieV.StoreUnsafe(ref dieOutRef, at);
                speedV.StoreUnsafe(ref speedRef, at);
                if (e.DirectToChip)
                {
                    coolantV.StoreUnsafe(ref coolantRef, at);
                }

                Unsafe.WriteUnaligned(ref Unsafe.Add(ref outsideRef, k), outside4);
            }
        }

        for (; k < end; k++)
        {
            if (!(Unsafe.Add(ref dieRef, k) == e.DieBits && Unsafe.Add(ref airRef, k) == e.AirBits
                && Unsafe.Add(ref liquidRef, k) == e.LiquidBits && Unsafe.Add(ref flowRef, k) == e.FlowBits
                && Unsafe.Add(ref keyRef, k) == e.Key && Unsafe.Add(ref downRef, k) == 0))
            {
                break;
            }

            Unsafe.Add(ref inletRef, k) = inletC;
            Unsafe.Add(ref dieOutRef, k) = e.DieC;
            Unsafe.Add(ref speedRef, k) = e.Speed;
            if (e.DirectToChip)
            {
                Unsafe.Add(ref coolantRef, k) = e.CoolantOutC;
            }

            Unsafe.Add(ref outsideRef, k) = e.Outside ? (byte)1 : (byte)0;
        }

        // The run's inlets added to the sum one by one, in rack order: the same bits jumped through.
        if (sum)
        {
            inletSum = RepeatedSum.Add(inletSum, inletC, k - from);
        }

        return k;
    }

    // The design first, then the die: racks of a pool draw one power, so the entries of its other
    // designs share the heat and airflow bits and differ in these.
    private static bool Same(in RackResult e, long airBits, long liquidBits, long flowBits, long dieBits, long key) =>
        e.Key == key && e.DieBits == dieBits && e.AirBits == airBits && e.LiquidBits == liquidBits && e.FlowBits == flowBits;

    // Per rack, a number shared by racks of one design as RackTemperatures reads it, the CDU left
    // out (the CDU's class this step joins it in the rack's key, RackKeys).
    private static int[] DesignClasses(RackThermalSpec[] racks, double[] flowShare, double[]? weights)
    {
        var classes = new int[racks.Length];
        var seen = new Dictionary<(RackCoolingType, long, long, long), int>();
        for (int i = 0; i < racks.Length; i++)
        {
            var r = racks[i];
            var key = (r.Cooling, BitConverter.DoubleToInt64Bits(r.DesignPowerW), BitConverter.DoubleToInt64Bits(flowShare[i]),
                weights is null ? 0 : BitConverter.DoubleToInt64Bits(weights[i]));
            if (!seen.TryGetValue(key, out int c))
            {
                c = seen.Count;
                seen.Add(key, c);
            }

            classes[i] = c;
        }

        return classes;
    }

    // Step 1 over the threads, then its totals in rack order.
    private void SplitHeatOverRacks(ReadOnlySpan<double> rackItPowerW,
        out double itHeat, out double airHeat, out double doorHeat, out double rackFlow, out double serverFanExtraW)
    {
        int n = _racks.Length;
        _rackHeatW ??= new double[n];
        _rackFanExtraW ??= new double[n];
        bool throttleReducesPower = Spec.Accelerators.ThrottleReducesItPower;
        if (_workers.Threads == 1)
        {
            // One thread reads the caller's powers where they are; only other threads need the copy.
            SplitHeat(0, n, throttleReducesPower, rackItPowerW);
        }
        else
        {
            _rackPowerInW ??= new double[n];
            _heatSplit ??= new HeatSplitWork(this);
            rackItPowerW.CopyTo(_rackPowerInW);
            _heatSplit.ThrottleReducesPower = throttleReducesPower;
            _workers.Run(n, _heatSplit);
        }

        SumHeatSplit(out itHeat, out airHeat, out doorHeat, out rackFlow, out serverFanExtraW);
    }

    // Step 5 over the threads, then its totals in rack order.
    private void RackTemperaturesOverRacks(double dtS, double recirculation, out double throttledAccS, out double outsideS)
    {
        int n = _racks.Length;
        _inletOutside ??= new bool[n];
        ReadCdus();
        if (!ReferenceEquals(_designClassWeights, _recirculationWeight))
        {
            _designClassAnyCdu = DesignClasses(_racks, _rackFlowShare, _recirculationWeight);
            _designClassWeights = _recirculationWeight;
            _rackKeysStale = true;
        }

        RackKeys();

        RackTotals totals;
        if (_workers.Threads == 1)
        {
            // One thread sums as it goes; only other threads need the totals after them.
            RackTemperatures(0, n, dtS, recirculation, _reuseTable, sum: true, out totals);
        }
        else
        {
            _rackTemperatures ??= new RackTemperatureWork(this, whole: false);
            _rackTemperaturesWhole ??= new RackTemperatureWork(this, whole: true);
            _rackTemperatures.DtS = dtS;
            _rackTemperatures.Recirculation = recirculation;
            _rackTemperaturesWhole.DtS = dtS;
            _rackTemperaturesWhole.Recirculation = recirculation;
            totals = _workers.Run(n, _rackTemperatures, _rackTemperaturesWhole) ? SumRackTemperatures(dtS) : _rackTemperaturesWhole.Totals;
        }

        throttledAccS = totals.ThrottledAccS;
        outsideS = totals.OutsideS;
        RackInletMinC = totals.InletMin;
        RackInletMaxC = totals.InletMax;
        RackInletMeanC = n > 0 ? totals.InletSum / n : double.NaN;
        RackAcceleratorMaxC = totals.DieMax;
        ThrottledRacks = totals.Throttled;
    }

    // The step's totals in rack order after sliced racks, and the hall's inlet and die extremes in
    // the same pass (the twin's facility sample reads them rather than going over the racks again).
    private RackTotals SumRackTemperatures(double dtS)
    {
        double throttledAccS = 0, outsideS = 0;
        var speed = _speed;
        var inletC = _inletC;
        var dieC = _dieC;
        var outside = _inletOutside!;
        var racks = _racks;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, dieMax = double.NegativeInfinity;
        int throttled = 0;
        for (int i = 0; i < racks.Length; i++)
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

        return new RackTotals
        {
            ThrottledAccS = throttledAccS, OutsideS = outsideS, InletMin = min, InletMax = max,
            InletSum = sum, DieMax = dieMax, Throttled = throttled,
        };
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

        CduClasses();
    }

    // Each rack's key (_rackKey) from its design class less the CDU and its CDU's class, when either changed.
    private void RackKeys()
    {
        if (!_rackKeysStale && _rackKey is not null)
        {
            return;
        }

        var keys = _rackKey ??= new long[_racks.Length];
        var cduClass = _cduClass!;
        var designAnyCdu = _designClassAnyCdu;
        var rackCdu = _rackCdu;
        long stride = cduClass.Length + 1;
        for (int i = 0; i < keys.Length; i++)
        {
            int u = rackCdu[i];
            keys[i] = (designAnyCdu[i] * stride) + (u >= 0 ? cduClass[u] + 1 : 0);
        }

        _rackKeysStale = false;
    }

    // Each CDU's class: the first CDU before it whose four values have its bits, among the first
    // few distinct ones (a hall of CDUs all unlike leaves the rest in classes of their own).
    private void CduClasses()
    {
        int m = _cdus.Length;
        _cduClass ??= new int[m];
        var flow = _cduFlowKgPerS!;
        var cp = _cduSpecificHeat!;
        var supply = _cduSupplyC!;
        var ret = _cduReturnC!;
        var classes = _cduClass;
        Span<int> firsts = stackalloc int[16];
        int distinct = 0;
        for (int u = 0; u < m; u++)
        {
            int c = u;
            for (int k = 0; k < distinct; k++)
            {
                int f = firsts[k];
                if (BitConverter.DoubleToInt64Bits(supply[f]) == BitConverter.DoubleToInt64Bits(supply[u])
                    && BitConverter.DoubleToInt64Bits(flow[f]) == BitConverter.DoubleToInt64Bits(flow[u])
                    && BitConverter.DoubleToInt64Bits(ret[f]) == BitConverter.DoubleToInt64Bits(ret[u])
                    && BitConverter.DoubleToInt64Bits(cp[f]) == BitConverter.DoubleToInt64Bits(cp[u]))
                {
                    c = f;
                    break;
                }
            }

            if (c == u && distinct < firsts.Length)
            {
                firsts[distinct++] = u;
            }

            _rackKeysStale |= classes[u] != c;
            classes[u] = c;
        }
    }

    // The heat split of a slice of racks.
    private sealed class HeatSplitWork(CoolingSystem system) : IRangeWork
    {
        public bool ThrottleReducesPower;

        public void Run(int start, int end) => system.SplitHeat(start, end, ThrottleReducesPower, system._rackPowerInW!);
    }

    // The temperatures of a slice of racks (with its own reuse table), or (whole) of every rack on
    // the caller's thread, summing as it goes in rack order as one thread does.
    private sealed class RackTemperatureWork(CoolingSystem system, bool whole) : IRangeWork
    {
        public double DtS;
        public double Recirculation;
        public RackTotals Totals;

        public void Run(int start, int end)
        {
            if (whole)
            {
                system.RackTemperatures(start, end, DtS, Recirculation, system._reuseTable, sum: true, out Totals);
            }
            else
            {
                Span<RackResult> table = stackalloc RackResult[ReuseSlots];
                system.RackTemperatures(start, end, DtS, Recirculation, table, sum: false, out _);
            }
        }
    }
}
