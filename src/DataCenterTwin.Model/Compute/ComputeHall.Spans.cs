using System.Runtime.Intrinsics;
using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// Decode spans: between two changes of a replica's batch (a member finishing, an arrival that can
// join, a prefill, a clock change) its decode iterations are determined — the batch is fixed and
// the mean context grows by one token an iteration — so their boundaries are computed at once and
// one kernel event covers them all, instead of one event an iteration. The boundaries are the same
// numbers the iteration-by-iteration path computes (the same step-time call per iteration, rounded
// to the tick the same way), so finish times and token counts are identical and energies agree to
// rounding (a span's energy is booked in one sum, not one per iteration).
//
// Anything that looks at or changes a replica between its events treats a boundary at the current
// tick as already passed (boundaries first), in both paths, so the two agree even when an arrival
// or a clock change falls on the microsecond a decode iteration ends.
public sealed partial class ComputeHall
{
    /// <summary>The most decode iterations one event may cover (the bound on boundaries computed ahead).</summary>
    internal const int MaxDecodeSpan = 32;

    private int _decodeSpanLimit = MaxDecodeSpan;

    /// <summary>
    /// Decode iterations one kernel event may cover, 1..<see cref="MaxDecodeSpan"/>; 1 is the
    /// iteration-by-iteration path, kept so a test can run both and compare.
    /// </summary>
    internal int DecodeSpanLimit
    {
        get => _decodeSpanLimit;
        set => _decodeSpanLimit = Math.Clamp(value, 1, MaxDecodeSpan);
    }

    /// <summary>
    /// Per replica, <see cref="MaxDecodeSpan"/> slots: the end tick of each iteration of its current
    /// span (the last is the event's time), in one array so a replica's lie together.
    /// </summary>
    private long[] _bounds = [];

    // A replica's span length it computes ahead (Replica.SpanTarget) is doubled after a span that ran
    // to its end and halved after one cut short by an arrival or a clock change, so that at high
    // occupancy (an arrival every few iterations) the boundaries computed and then dropped stay few.

    private readonly long[] _poolIterations; // per pool: a lane's events count their own pools' iterations

    // Superseded ends: an arrival that joins a replica mid-span cuts the span at the iteration in
    // progress, most arrivals on a busy hall. Cancelling the span's end and scheduling the earlier
    // one cost the kernel a set insert and removal and a heap of cancelled keys that every event
    // then checks; instead the replica's end generation advances, the earlier end is scheduled
    // with it, and the old end, when it fires, finds its generation past and does nothing (one
    // queue pop). Only cuts do this: a change of clocks (a control step's, rare) still moves the
    // end in the kernel, so the iteration-by-iteration path has no superseded ends and its tests can
    // tell the two apart. The 640-rack campus's night hour on one thread took 7.21-7.31 s → 6.93-6.99 s, the
    // metro day on two 23.4-24.1 → 21.9-23.1 s, with 0.78 more kernel events a request
    // (docs/performance.md). An event's payload holds the replica below ReplicaBits and the
    // generation above, which wraps: a superseded end is at most a span (MaxDecodeSpan iterations)
    // ahead, and each cut before it fires needs an arrival joining this replica's batch, so far
    // fewer than 2^27 generations pass while it is queued.
    private const int ReplicaBits = 20;
    private const int EndGenerationMask = (1 << 27) - 1;
    private const int MaxReplicas = 1 << ReplicaBits;
    private readonly long[] _poolSupersededEnds;

    private long EndArg(int r) => (uint)r | ((long)_replicas[r].EndGeneration << ReplicaBits);

    private static int ReplicaOfEnd(long arg) => (int)(arg & (MaxReplicas - 1));

    private bool IsSupersededEnd(int r, long arg)
    {
        if ((int)(arg >> ReplicaBits) == _replicas[r].EndGeneration)
        {
            return false;
        }

        _poolSupersededEnds[PoolSlot(_replicas[r].Pool)]++;
        return true;
    }

    // Decode iterations ended by now inside spans whose event has not fired yet (booked at the span's end).
    private long IterationsInOpenSpans()
    {
        long now = _sim.Now.Ticks, n = 0;
        for (int r = 0; r < _replicas.Length; r++)
        {
            n += SpanItersDone(r, now);
        }

        return n;
    }

    private void AllocateSpans(int replicas)
    {
        _bounds = new long[replicas * MaxDecodeSpan];
    }

    private Span<long> Bounds(int r) => _bounds.AsSpan(r * MaxDecodeSpan, MaxDecodeSpan);

    // The step time of one decode iteration at full clocks, the one place both paths ask for it
    // (ServingModel.DecodeIterationTimeS's number, the context curve searched from the replica's segment).
    private double DecodeStepS(int r, int members, long contextSum) =>
        _poolSteps[_replicas[r].Pool].Serving.DecodeIterationTimeFromSegmentS(members, contextSum / (double)members, ref _replicas[r].ContextSegment);

    /// <summary>
    /// Starts a decode span at <paramref name="now"/>: its first iteration takes <paramref name="firstWorkS"/>
    /// at full clocks; it runs until the first member finishes, the KV cache would need a preemption,
    /// or <see cref="DecodeSpanLimit"/> iterations, whichever comes first.
    /// </summary>
    private void StartDecodeSpan(int r, int members, double speed, long now, double firstWorkS)
    {
        ref var s = ref _replicas[r];
        long span = s.HeapMinFinish - s.DecodeIter;
        s.SpanTarget = s.SpanCut ? Math.Max(1, s.SpanTarget >> 1) : Math.Min(MaxDecodeSpan, s.SpanTarget << 1);
        s.SpanCut = false;
        span = Math.Min(span, Math.Min(_decodeSpanLimit, s.SpanTarget));
        var batching = _poolSteps[s.Pool];
        if (batching.Preempt && members > 1 && batching.KvCacheTokens != long.MaxValue)
        {
            // Iteration j starts with kv0 + j·members tokens used and needs members more without a preemption.
            long fits = (batching.KvCacheTokens - s.KvUsed - members) / members;
            span = Math.Min(span, fits + 1);
        }

        // A queued request that did not fit now may fit at the next boundary (a preempted one, whose
        // context was just freed): then the span is one iteration. If it does not fit then, it never
        // does within the span: the batch is full and stays so, or the KV cache only fills.
        int head = s.QHead;
        if (head >= 0 && members < batching.MaxBatch)
        {
            bool preempt = batching.Preempt;
            ref var q = ref Req(head);
            long need = preempt ? q.PrefillNeeded : (long)q.Prompt + q.Output;
            long kvNext = s.KvUsed + (preempt ? members : 0);
            if (kvNext + need <= batching.KvCacheTokens)
            {
                span = 1;
            }
        }

        int k = (int)Math.Max(1, span);
        var bounds = Bounds(r);
        long t = now + Ticks(firstWorkS / speed);
        bounds[0] = t;
        if (k > 1)
        {
            // DecodeStepS iteration by iteration, with the batch term (fixed in a span) taken once
            // and the context curve's segment kept across iterations (ServingModel computes four
            // at a time where they share it), each rounded to ticks as Ticks does and summed.
            var serving = batching.Serving;
            double batchTermS = serving.DecodeBatchTermS(members);
            var cursor = serving.CursorAt(s.ContextSegment);
            var steps = batching.SpanSteps.AsSpan(0, k - 1);
            serving.DecodeIterationTimesS(batchTermS, s.ContextSum, members, steps, ref cursor, ref s.ContextSegment);
            t = AccumulateTicks(steps, speed, t, bounds[1..k]);
        }

        s.SpanLen = k;
        s.End = SimOf(r).Schedule(new SimTime(t), SelfOf(r), IterationEnd, EndArg(r));
    }

    /// <summary>
    /// The running sum of step times in ticks: <paramref name="bounds"/>[j] = <paramref name="t"/> plus
    /// the first j + 1 steps, each Math.Max(1, (long)Math.Round((speed == 1 ? s : s / speed) · ticks
    /// per second)) as Ticks rounds one (a division by a speed of exactly 1 is skipped, x / 1 being x
    /// in IEEE arithmetic). Returns the last bound. Four steps at a time in vector lanes, each lane the
    /// scalar's division, product and rounding to even; a lane's rounded value, an integer, is its
    /// long exactly when in [1, 2^52) (read from the mantissa of value + 2^52), and four lanes of
    /// one or more are summed in place; a group with a lane outside goes one by one.
    /// </summary>
    internal static long AccumulateTicks(ReadOnlySpan<double> seconds, double speed, long t, Span<long> bounds)
    {
        bool fullSpeed = speed == 1.0;
        int n = Math.Min(seconds.Length, bounds.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            const double Two52 = 4503599627370496.0;
            var speedV = Vector256.Create(speed);
            var perSecondV = Vector256.Create((double)SimTime.TicksPerSecond);
            var oneV = Vector256.Create(1.0);
            var two52V = Vector256.Create(Two52);
            var two52Bits = two52V.AsInt64();
            var running = Vector256.Create(t);
            for (; i + 4 <= n; i += 4)
            {
                var v = Vector256.Create(seconds[i..]);
                if (!fullSpeed)
                {
                    v /= speedV;
                }

                v = Vector256.Round(v * perSecondV);
                if (!(Vector256.GreaterThanOrEqualAll(v, oneV) && Vector256.LessThanAll(v, two52V)))
                {
                    break;
                }

                // Prefix sum of the four lanes: shifted up one lane, then two, added in.
                var ticks = (v + two52V).AsInt64() - two52Bits;
                ticks += Vector256.Shuffle(ticks, Vector256.Create(0L, 0, 1, 2)) & Vector256.Create(0L, -1, -1, -1);
                ticks += Vector256.Shuffle(ticks, Vector256.Create(0L, 0, 0, 1)) & Vector256.Create(0L, 0, -1, -1);
                running = ticks + Vector256.Shuffle(running, Vector256.Create(3L, 3, 3, 3));
                running.CopyTo(bounds[i..]);
            }

            t = i > 0 ? bounds[i - 1] : t;
        }

        for (; i < n; i++)
        {
            t += Math.Max(1, (long)Math.Round((fullSpeed ? seconds[i] : seconds[i] / speed) * SimTime.TicksPerSecond));
            bounds[i] = t;
        }

        return t;
    }

    // Iterations of the replica's current decode span ended by now (a boundary at now counts).
    private int SpanItersDone(int r, long now)
    {
        ref var s = ref _replicas[r];
        if (s.Phase != AcceleratorPhase.Decode || s.End.IsNone)
        {
            return 0;
        }

        var bounds = Bounds(r);
        int n = s.SpanLen;
        int j = 0;
        while (j < n && bounds[j] <= now)
        {
            j++;
        }

        return j;
    }

    /// <summary>The end of the decode iteration in progress (the next boundary after now), ticks.</summary>
    private long CurrentIterationEnd(int r, long now)
    {
        if (_replicas[r].Phase != AcceleratorPhase.Decode)
        {
            return _replicas[r].End.Time.Ticks;
        }

        int j = SpanItersDone(r, now);
        return j < _replicas[r].SpanLen ? Bounds(r)[j] : _replicas[r].End.Time.Ticks;
    }

    // Members that finish at a span end falling on this tick (boundaries first: they count as done).
    private int FinishingNow(int r)
    {
        long now = SimOf(r).Now.Ticks;
        if (_replicas[r].Phase != AcceleratorPhase.Decode || _replicas[r].End.IsNone || _replicas[r].End.Time.Ticks > now)
        {
            return 0;
        }

        long last = _replicas[r].DecodeIter + _replicas[r].SpanLen;
        var heap = _rHeap[r];
        int n = 0;
        for (int i = 0; i < _replicas[r].HeapCount; i++)
        {
            n += heap[i].FinishIter <= last ? 1 : 0;
        }

        return n;
    }

    /// <summary>
    /// Brings the replica to now before something outside its own events acts on it: a span ending
    /// now ends now (boundaries first); with <paramref name="truncate"/>, a span running past now is
    /// cut at the end of the iteration in progress, so that an arrival joins at the next boundary.
    /// Its callers <see cref="Touch"/> the replica once they are done with it, not this.
    /// </summary>
    private void CatchUp(int r, bool truncate)
    {
        ref var s = ref _replicas[r];
        if (s.End.IsNone)
        {
            return;
        }

        long now = SimOf(r).Now.Ticks;
        if (s.End.Time.Ticks <= now)
        {
            SimOf(r).Cancel(s.End);
            EndIteration(r);
            return;
        }

        if (!truncate || s.Phase != AcceleratorPhase.Decode)
        {
            return;
        }

        int j = SpanItersDone(r, now);
        if (j + 1 < s.SpanLen)
        {
            // The old end stays queued and fires as a no-op (superseded ends, above).
            s.SpanCut = true;
            s.SpanLen = j + 1;
            s.EndGeneration = (s.EndGeneration + 1) & EndGenerationMask;
            s.End = SimOf(r).Schedule(new SimTime(Bounds(r)[j]), SelfOf(r), IterationEnd, EndArg(r));
        }
    }

    /// <summary>
    /// Books the iterations of the span ended by now (none finish a member: the span stops at the
    /// first finish) and leaves the one in progress as a single iteration with its work left and its
    /// start, as the iteration-by-iteration path holds it, for a change of clocks.
    /// </summary>
    private void SettleSpanForClockChange(int r, long now)
    {
        if (_replicas[r].Phase != AcceleratorPhase.Decode || _replicas[r].End.IsNone)
        {
            return;
        }

        int done = SpanItersDone(r, now);
        long start = done == 0 ? _replicas[r].SegStart : Bounds(r)[done - 1];
        if (done > 0)
        {
            // The power is constant over the span, so the energy up to the last boundary passed is
            // what was accrued less what came after it (a control step may have accrued past it).
            AccrueReplica(r, start);
            double energy = _replicas[r].EnergyJ - _replicas[r].IterEnergyStart - _replicas[r].PowerW * (Math.Max(0, _replicas[r].Last - start) / 1e6);
            BookDecodeIterations(r, done, _replicas[r].HeapCount, energy, _replicas[r].ThrottledIter);
            _replicas[r].IterEnergyStart += energy;
            _replicas[r].RemainingS = DecodeStepS(r, _replicas[r].HeapCount, _replicas[r].ContextSum);
            _replicas[r].SegStart = start;
        }

        Bounds(r)[0] = Bounds(r)[done];
        _replicas[r].SpanCut |= _replicas[r].SpanLen > done + 1;
        _replicas[r].SpanLen = 1;
    }

    // Every member got one token per iteration: counters per replica, marks per request, so O(1) in the batch.
    private long BookDecodeIterations(int r, int iterations, int members, double energyJ, bool throttled)
    {
        ref var s = ref _replicas[r];
        _poolIterations[PoolSlot(_replicas[r].Pool)] += iterations;
        long iter = s.DecodeIter += iterations;
        s.EnergyIndex += energyJ / members;
        if (throttled)
        {
            s.ThrottledIters += iterations;
        }

        long tokens = (long)members * iterations;
        s.ContextSum += tokens;
        s.OutstandingTok -= tokens;
        if (_poolSteps[s.Pool].Preempt)
        {
            s.KvUsed += tokens;
        }

        return iter;
    }
}
