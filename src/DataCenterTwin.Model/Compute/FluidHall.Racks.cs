using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Parallel;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// A pool's racks in a fluid step, over <see cref="Workers"/>. Each rack's own part (its serving
/// replicas, the solved iteration, what it serves, its backlog, energy and requests in flight)
/// reads the step's pool inputs and writes only that rack's slots, so its slices run on any thread;
/// what the racks share (the hall's and the pool's busy time and tokens, the wake-up waiters, the
/// latencies recorded by runs of racks that saw the same solution) is then taken on the caller's
/// thread in rack order, the same additions in the same order as on one thread.
/// </summary>
/// <remarks>
/// A slice solves with its own copy of the pool's one-entry solution cache. A solution is a pure
/// function of its key (clock factor, arrival rate, mean tokens, serving replicas) and the step's
/// prefill mix (mean one-prompt prefill time and the expected-time table), and the cache is emptied
/// whenever that mix changes from one step to the next, so a hit returns the bits a fresh solve would
/// and no rack's result depends on which slice, or which earlier rack, filled the cache.
/// </remarks>
public sealed partial class FluidHall
{
    [NotState] // how the step is run, not what it holds: a restored hall keeps its own
    private StepWorkers _workers = StepWorkers.Sequential;
    [NotState]
    private RackServeWork? _rackServeWork;

    // Per rack, what its own part of the step gave the shared part (rewritten every step before it
    // is read, so not state).
    [NotState]
    private RackServe[]? _rackServe;

    // Per pool, the prefill mix the solution cache was filled under; a restored hall starts with
    // none, empties the caches on its first step and solves afresh, which gives the same bits.
    [NotState]
    private double[]?[]? _cachedBatchS;
    [NotState]
    private double[]? _cachedPrefill1;
    [NotState]
    private bool[]? _cachedMixKnown;
    [NotState]
    private bool[]? _cachedBatchNull;

    // Per pool, each class's arrival rate on it at the last pass of ForgetSolutionsIfMixChanged: the
    // same bits now give the mix that pass kept (hourly profiles: 59 steps in 60). Not state, as what
    // that pass kept is not: a restored hall compares against what it last passed itself.
    [NotState]
    private double[][]? _keptClassLoads;
    [NotState]
    private bool[]? _keptClassLoadsKnown;

    // Per pool, the solutions solved on one thread under its current prefill table (emptied when the
    // table changes), by their full key: a diurnal profile brings the same rates back every week, and
    // a design year misses 130 times in 16,790 solves.
    [NotState]
    private SolveMemo?[]? _solveMemos;

    /// <summary>The threads a pool's per-rack work of a step runs over (one by default; the outputs are the same on any number).</summary>
    public StepWorkers Workers
    {
        get => _workers;
        set => _workers = value ?? StepWorkers.Sequential;
    }

    // Everything a solution is worked from but the pool's spec and step mix, by bits.
    private readonly record struct SolveKey(int Active, long Lambda, long F, long Prompt, long Output, long Prefill1)
    {
        public SolveKey(int active, double lambda, double f, double prompt, double output, double prefill1)
            : this(active, BitConverter.DoubleToInt64Bits(lambda), BitConverter.DoubleToInt64Bits(f), BitConverter.DoubleToInt64Bits(prompt),
                BitConverter.DoubleToInt64Bits(output), BitConverter.DoubleToInt64Bits(prefill1))
        {
        }
    }

    // A pool's solutions by key, capacity included, under one step mix. Bounded: when full it starts
    // again (keys that never come back, a backlog's served rates, cannot grow it); sized once, so
    // neither adding nor emptying allocates.
    private sealed class SolveMemo
    {
        private const int MaxEntries = 1024;
        private readonly Dictionary<SolveKey, Solution> _solutions = new(MaxEntries);

        public bool TryGet(in SolveKey key, out Solution s) => _solutions.TryGetValue(key, out s);

        public void Add(in SolveKey key, in Solution s)
        {
            if (_solutions.Count >= MaxEntries)
            {
                _solutions.Clear();
            }

            _solutions[key] = s;
        }

        public void Clear() => _solutions.Clear();
    }

    private struct RackServe
    {
        public Solution S;
        public double F, Served, BacklogPer, NewBacklog, Busy, Phases, SolvedLambda;

        // Serving replicas that solved this step; 0 when the rack served nothing (down, or none serving).
        public int N;

        // Racks after this one that took its results, their own part done (the threaded path: their slots hold nothing).
        public int Run;
    }

    // The pool's one-entry caches of the last solution and of the capacity (as PoolState holds them).
    private struct SolveCache
    {
        public int Active;
        public double F, Lambda, Prompt, Output;
        public Solution Value;
        public double CapF, CapPrompt, CapOutput, CapPrefill, Capacity;

        public static SolveCache Of(PoolState pool) => new()
        {
            Active = pool.CachedActive,
            F = pool.CachedF,
            Lambda = pool.CachedLambda,
            Prompt = pool.CachedPrompt,
            Output = pool.CachedOutput,
            Value = pool.Cached,
            CapF = pool.CapF,
            CapPrompt = pool.CapPrompt,
            CapOutput = pool.CapOutput,
            CapPrefill = pool.CapPrefill,
            Capacity = pool.Capacity,
        };

        public readonly void SaveTo(PoolState pool)
        {
            pool.CachedActive = Active;
            (pool.CachedF, pool.CachedLambda, pool.CachedPrompt, pool.CachedOutput) = (F, Lambda, Prompt, Output);
            pool.Cached = Value;
            (pool.CapF, pool.CapPrompt, pool.CapOutput, pool.CapPrefill, pool.Capacity) = (CapF, CapPrompt, CapOutput, CapPrefill, Capacity);
        }
    }

    // The pool's inputs of one step, read by every rack; Run is a slice of the threaded path.
    private sealed class RackServeWork : IRangeWork
    {
        private readonly FluidHall _hall;

        public RackServeWork(FluidHall hall)
        {
            _hall = hall;
            Inline = new InlineWork(this);
        }

        public PoolState Pool = null!;
        public int PoolIndex;
        public bool Scaled;
        public int Active, ReplicasPerRack;
        public SolveMemo? Memo; // on one thread only: the slices of the threaded path do not share it
        public SolveMemo? InlineMemo; // the pool's memo, which Inline puts in Memo for its pass
        public double Lambda, LambdaReplica, Prompt, Output, Prefill1, Dt, PerReplicaAccels, ParkedW;

        // The whole pool on the caller's thread, both parts rack by rack (StepWorkers' inline way).
        public readonly IRangeWork Inline;

        public void Run(int start, int end)
        {
            var cache = SolveCache.Of(Pool);
            var last = default(LastRack);
            int first = Pool.Spec.FirstRack;
            int stop = first + end;
            var serve = _hall._rackServe!;
            for (int k = first + start; k < stop; k++)
            {
                ref var r = ref serve[k];
                _hall.ServeRack(this, k, ref cache, ref last, ref r, keepSolution: true);
                r.Run = _hall.TakeOwnRun(this, k, stop, in last);
                k += r.Run;
            }
        }

        private sealed class InlineWork(RackServeWork w) : IRangeWork
        {
            public void Run(int start, int end)
            {
                w.Memo = w.InlineMemo;
                w._hall.ServeRacksInline(w);
            }
        }
    }

    // Every rack of the pool for the step: each rack's own part (sliced over the workers where the
    // pool is large, its racks are not all alike, and slicing has paid), then the shared part in
    // rack order.
    private void ServeRacks(int poolIndex, double lambda, double lambdaReplica, double prompt, double output, double prefill1,
        double dt, bool scaled, int active, double perReplicaAccels, double parkedW)
    {
        var pool = _pools[poolIndex];
        var spec = pool.Spec;
        ForgetSolutionsIfMixChanged(poolIndex, prefill1);
        var work = _rackServeWork ??= new RackServeWork(this);
        // ReplicasPerRack is a division worked on each read: once a step, not once a rack.
        (work.PoolIndex, work.Pool, work.Scaled, work.Active, work.ReplicasPerRack) = (poolIndex, pool, scaled, active, spec.ReplicasPerRack);
        (work.Lambda, work.LambdaReplica, work.Prompt, work.Output, work.Prefill1) = (lambda, lambdaReplica, prompt, output, prefill1);
        (work.Dt, work.PerReplicaAccels, work.ParkedW) = (dt, perReplicaAccels, parkedW);
        work.InlineMemo = (_solveMemos ??= new SolveMemo?[_pools.Length])[poolIndex] ??= new SolveMemo();
        work.Memo = null;

        // A pool whose racks all have one rack's inputs is one run, a few nanoseconds a rack on one
        // thread: less than handing slices over costs.
        if (_workers.Threads == 1 || spec.RackCount < 2 * StepWorkers.MinPerSlice || AllAlike(work))
        {
            work.Inline.Run(0, spec.RackCount);
            return;
        }

        _rackServe ??= new RackServe[RackCount];
        if (_workers.Run(spec.RackCount, work, work.Inline))
        {
            ShareSlices(work);
        }
    }

    // On one thread both parts go in rack order: a rack worked (or taken from the last), then the
    // run of racks after it with its inputs, taken at once (TakeOwnRun, ShareRun). The shared part
    // reads the rack's solution where the solve left it, in the cache (a Solution is 184 bytes,
    // copied by a memmove call: two a rack a step were 5-10 % of a fluid step). A pool that is one
    // such run, taken at once, is kept for the next step to take again (FluidHall.Replay).
    private void ServeRacksInline(RackServeWork w)
    {
        var pool = w.Pool;
        var spec = pool.Spec;
        int end = spec.FirstRack + spec.RackCount;
        var cache = SolveCache.Of(pool);
        var lastRack = default(LastRack);
        var shares = default(RackShares);
        RackServe r = default;
        for (int k = spec.FirstRack; k < end; k++)
        {
            bool sameAsLast = ServeRack(w, k, ref cache, ref lastRack, ref r, keepSolution: false);
            ShareRack(w, k, in r, in cache.Value, sameAsLast, ref shares);
            int run = TakeOwnRun(w, k, end, in lastRack);
            bool atOnce = ShareRun(w, k, run, in r, in cache.Value, ref shares);
            if (k == spec.FirstRack && run == spec.RackCount - 1 && atOnce)
            {
                KeepForReplay(w, in lastRack, in shares);
            }

            k += run;
        }

        cache.SaveTo(pool);
    }

    // The shared part of a sliced step, in rack order: each rack a slice worked, then the run of
    // racks that took its results.
    private void ShareSlices(RackServeWork w)
    {
        var pool = w.Pool;
        var spec = pool.Spec;
        int end = spec.FirstRack + spec.RackCount;
        int last = -1;
        var shares = default(RackShares);
        for (int k = spec.FirstRack; k < end; k++)
        {
            ref var r = ref _rackServe![k];
            ShareRack(w, k, in r, in r.S, sameAsLast: false, ref shares);
            ShareRun(w, k, r.Run, in r, in r.S, ref shares);
            if (r.N > 0)
            {
                last = k;
            }

            k += r.Run;
        }

        if (last >= 0)
        {
            // One thread leaves the cache holding the last serving rack's last solve; so does this.
            ref var r = ref _rackServe![last];
            var cache = new SolveCache
            {
                Active = pool.Active,
                F = r.F,
                Lambda = r.SolvedLambda,
                Prompt = w.Prompt,
                Output = w.Output,
                Value = r.S,
                CapF = r.F,
                CapPrompt = w.Prompt,
                CapOutput = w.Output,
                CapPrefill = w.Prefill1,
                Capacity = r.S.CapacityPerS,
            };
            cache.SaveTo(pool);
        }
    }

    // Whether every rack of an unscaled pool has its first rack's inputs (ServeRack's test).
    private bool AllAlike(RackServeWork w)
    {
        int first = w.Pool.Spec.FirstRack;
        var firstRack = new LastRack
        {
            Known = true,
            N = _rackReplicas[first],
            F = _rackSpeed[first],
            Backlog = _backlog[first],
            StaticW = _rackStaticW[first],
        };
        return !w.Scaled && SameInputsRun(w, first + 1, first + w.Pool.Spec.RackCount, in firstRack) == w.Pool.Spec.RackCount - 1;
    }

    // What the last rack served gave, with the inputs it gave it at: a rack whose inputs are the same
    // bits (its serving, waking and parked replicas, clock factor, backlog and static power) gets the
    // same bits out, and the solution cache holds what it would after solving them again, so it takes
    // these instead. The racks of a pool at one clock with no backlog are all such racks.
    private struct LastRack
    {
        public bool Known;
        public int N, Waking, Parked;
        public double F, Backlog, StaticW;
        public double BacklogAfter, InFlight, EnergyJ;

        // What it handed its shared part (RackServe less the solution, which is the cache's).
        public int ServeN;
        public double ServeF, Served, BacklogPer, NewBacklog, Busy, Phases, SolvedLambda;
    }

    // Rack k's own part: serving replicas fill the racks in order (consolidation), then the waking,
    // then the parked; demand on each serving replica is its share of the arrivals plus what its
    // backlog can drain this step. The solution solved stays in the cache; with keepSolution it is
    // also copied into r (the threaded path, whose shared part runs after every slice).
    // Returns whether it took the last rack's results.
    private bool ServeRack(RackServeWork w, int k, ref SolveCache cache, ref LastRack last, ref RackServe r, bool keepSolution)
    {
        RackReplicas(w, k, out int n, out int waking, out int parked);
        double f = _rackSpeed[k];
        double backlog = _backlog[k];
        double staticW = _rackStaticW[k];
        if (last.Known && n == last.N && waking == last.Waking && parked == last.Parked
            && SameBits(f, last.F) && SameBits(backlog, last.Backlog) && SameBits(staticW, last.StaticW))
        {
            r.N = last.ServeN;
            if (last.ServeN > 0)
            {
                _backlog[k] = last.BacklogAfter;
                _rackInFlight![k] = last.InFlight;
                (r.F, r.Served, r.BacklogPer, r.NewBacklog, r.Busy, r.Phases, r.SolvedLambda) =
                    (last.ServeF, last.Served, last.BacklogPer, last.NewBacklog, last.Busy, last.Phases, last.SolvedLambda);
                if (keepSolution)
                {
                    r.S = cache.Value;
                }
            }

            _rackEnergyJ[k] += last.EnergyJ;
            return true;
        }

        double energyJ = ServeRackAfresh(w, k, n, waking, parked, ref cache, ref r, keepSolution);
        last = new LastRack
        {
            Known = true,
            N = n,
            Waking = waking,
            Parked = parked,
            F = f,
            Backlog = backlog,
            StaticW = staticW,
            BacklogAfter = _backlog[k],
            InFlight = _rackInFlight![k],
            EnergyJ = energyJ,
            ServeN = r.N,
            ServeF = r.F,
            Served = r.Served,
            BacklogPer = r.BacklogPer,
            NewBacklog = r.NewBacklog,
            Busy = r.Busy,
            Phases = r.Phases,
            SolvedLambda = r.SolvedLambda,
        };
        return false;
    }

    // Rack k's serving, waking and parked replicas: serving replicas fill the racks in order
    // (consolidation), then the waking, then the parked.
    private void RackReplicas(RackServeWork w, int k, out int n, out int waking, out int parked)
    {
        int replicas = _rackReplicas[k];
        (n, waking) = (replicas, 0);
        if (w.Scaled)
        {
            int baseReplica = (k - w.Pool.Spec.FirstRack) * w.ReplicasPerRack;
            n = Math.Clamp(w.Active - baseReplica, 0, replicas);
            waking = Math.Clamp(w.Active + w.Pool.Waking - baseReplica, 0, replicas) - n;
        }

        parked = replicas - n - waking;
    }

    // After rack k (worked or taken from the last), the racks that follow it with the last rack's
    // inputs take its results: their own part here, their slots as ServeRack's shortcut writes them
    // (ShareRun adds their shared part). Returns how many it took, up to `end`.
    private int TakeOwnRun(RackServeWork w, int k, int end, in LastRack last)
    {
        if (k + 1 >= end || !last.Known)
        {
            return 0;
        }

        int from = k + 1;
        int count = SameInputsRun(w, from, end, in last);
        TakeOwnParts(from, count, in last);
        return count;
    }

    // The own part of `count` racks from `from` on that take `last`'s results: its energy added,
    // its backlog and requests in flight where it served.
    private void TakeOwnParts(int from, int count, in LastRack last)
    {
        RackSpans.AddToEach(_rackEnergyJ.AsSpan(from, count), last.EnergyJ);

        if (last.ServeN > 0)
        {
            _backlog.AsSpan(from, count).Fill(last.BacklogAfter);
            _rackInFlight!.AsSpan(from, count).Fill(last.InFlight);
        }
    }

    // The shared part of the `count` racks after k that took its results (r and s): rack by rack as
    // ShareRack adds it for a rack the same as the last, until that part is known ahead (no wake-up
    // waiters, and the pool's pending latencies already those of this solution and wait), then the
    // rest at once (RepeatShares). Returns whether it took them all at once (or had none to take).
    private bool ShareRun(RackServeWork w, int k, int count, in RackServe r, in Solution s, ref RackShares a)
    {
        if (count == 0 || r.N == 0 || SharesNothing)
        {
            return true;
        }

        var pool = w.Pool;
        for (int j = k + 1; j <= k + count; j++)
        {
            if (a.Known && _wakeWaiters is null && pool.HasPending && pool.PendingWaitS == a.WaitS && SameSolution(pool.Pending, s))
            {
                RepeatShares(w.PoolIndex, pool, j, k + count + 1 - j, in a);
                return j == k + 1;
            }

            ShareRack(w, j, in r, in s, sameAsLast: true, ref a);
        }

        return false;
    }

    // ShareRack's additions for `count` racks from `from` on, each adding `a`, in rack order: each
    // total's chain of additions, one a rack, jumped through (RepeatedSum: the same bits in a few
    // steps a binade rather than an addition's latency a rack).
    private void RepeatShares(int poolIndex, PoolState pool, int from, int count, in RackShares a)
    {
        RackSpans.AddToEach((_rackBusyAccelS ??= new double[RackCount]).AsSpan(from, count), a.BusyS);
        _busyAccelS = RepeatedSum.Add(_busyAccelS, a.BusyS, count);
        _poolBusyAccelS[poolIndex] = RepeatedSum.Add(_poolBusyAccelS[poolIndex], a.BusyS, count);
        _computeBusyAccelS = RepeatedSum.Add(_computeBusyAccelS, a.ComputeS, count);
        _memoryBusyAccelS = RepeatedSum.Add(_memoryBusyAccelS, a.MemoryS, count);
        _occupancyReplicaS = RepeatedSum.Add(_occupancyReplicaS, a.OccupancyS, count);
        _poolRequests[poolIndex] = RepeatedSum.Add(_poolRequests[poolIndex], a.Requests, count);
        _poolPromptTokens[poolIndex] = RepeatedSum.Add(_poolPromptTokens[poolIndex], a.PromptTokens, count);
        _poolOutputTokens[poolIndex] = RepeatedSum.Add(_poolOutputTokens[poolIndex], a.OutputTokens, count);
        pool.PendingShare = RepeatedSum.Add(pool.PendingShare, a.Share, count);
    }

    // How many racks from `from` on have the last rack's inputs, by bits: its serving, waking and
    // parked replicas, clock factor, backlog and static power (ServeRack's test, rack by rack).
    // Unscaled, a rack's replicas all serve, so each input is a run of equal values in its array,
    // found by a vectorised search.
    private int SameInputsRun(RackServeWork w, int from, int end, in LastRack last)
    {
        int count = end - from;
        if (w.Scaled)
        {
            long f = BitConverter.DoubleToInt64Bits(last.F), backlogBits = BitConverter.DoubleToInt64Bits(last.Backlog), staticBits = BitConverter.DoubleToInt64Bits(last.StaticW);
            for (int j = from; j < end; j++)
            {
                RackReplicas(w, j, out int n, out int waking, out int parked);
                if (n != last.N || waking != last.Waking || parked != last.Parked
                    || BitConverter.DoubleToInt64Bits(_rackSpeed[j]) != f || BitConverter.DoubleToInt64Bits(_backlog[j]) != backlogBits
                    || BitConverter.DoubleToInt64Bits(_rackStaticW[j]) != staticBits)
                {
                    return j - from;
                }
            }

            return count;
        }

        return UnscaledRun(from, count, in last);
    }

    // SameInputsRun where every replica of a rack serves (no waking, none parked).
    private int UnscaledRun(int from, int count, in LastRack last)
    {
        if (last.Waking != 0 || last.Parked != 0)
        {
            return 0;
        }

        count = RunOf(_rackReplicas.AsSpan(from, count), last.N);
        count = RunOf(MemoryMarshal.Cast<double, long>(_rackSpeed.AsSpan(from, count)), BitConverter.DoubleToInt64Bits(last.F));
        count = RunOf(MemoryMarshal.Cast<double, long>(_backlog.AsSpan(from, count)), BitConverter.DoubleToInt64Bits(last.Backlog));
        return RunOf(MemoryMarshal.Cast<double, long>(_rackStaticW.AsSpan(from, count)), BitConverter.DoubleToInt64Bits(last.StaticW));
    }

    // Whether all `count` racks from `from` on have the last rack's inputs where every replica of a
    // rack serves: UnscaledRun(from, count, last) == count, in one pass over the four inputs.
    private bool AllUnscaledAlike(int from, int count, in LastRack last)
    {
        if (last.Waking != 0 || last.Parked != 0 || (uint)from > (uint)RackCount || (uint)count > (uint)(RackCount - from))
        {
            return false;
        }

        ref int replicas = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rackReplicas), from);
        ref long speed = ref Unsafe.As<double, long>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rackSpeed), from));
        ref long backlog = ref Unsafe.As<double, long>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_backlog), from));
        ref long staticW = ref Unsafe.As<double, long>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rackStaticW), from));
        long f = BitConverter.DoubleToInt64Bits(last.F), b = BitConverter.DoubleToInt64Bits(last.Backlog), w = BitConverter.DoubleToInt64Bits(last.StaticW);
        nuint n = (nuint)count, i = 0;
        if (Vector256.IsHardwareAccelerated && Vector128.IsHardwareAccelerated)
        {
            var (fV, bV, wV, nV) = (Vector256.Create(f), Vector256.Create(b), Vector256.Create(w), Vector128.Create(last.N));
            for (; i + 4 <= n; i += 4)
            {
                var same = Vector256.Equals(Vector256.LoadUnsafe(ref speed, i), fV) & Vector256.Equals(Vector256.LoadUnsafe(ref backlog, i), bV)
                    & Vector256.Equals(Vector256.LoadUnsafe(ref staticW, i), wV);
                if (same != Vector256<long>.AllBitsSet || Vector128.Equals(Vector128.LoadUnsafe(ref replicas, i), nV) != Vector128<int>.AllBitsSet)
                {
                    return false;
                }
            }
        }

        for (; i < n; i++)
        {
            if (Unsafe.Add(ref speed, i) != f || Unsafe.Add(ref backlog, i) != b || Unsafe.Add(ref staticW, i) != w || Unsafe.Add(ref replicas, i) != last.N)
            {
                return false;
            }
        }

        return true;
    }

    // The length of the span's leading run of `value`.
    private static int RunOf<T>(ReadOnlySpan<T> span, T value)
        where T : IEquatable<T>
    {
        int i = span.IndexOfAnyExcept(value);
        return i < 0 ? span.Length : i;
    }

    // Records each class's arrival rate on the pool this step in loads[pool]; whether all were
    // already those bits.
    private bool SameClassLoads(int poolIndex, double[][] loads, bool[] known)
    {
        var last = loads[poolIndex];
        bool same = known[poolIndex];
        for (int c = 0; c < last.Length; c++)
        {
            double l = _classRate[c] * _classShare[c][poolIndex];
            if (!SameBits(l, last[c]))
            {
                last[c] = l;
                same = false;
            }
        }

        known[poolIndex] = true;
        return same;
    }

    private static double[][] CreateLoads(int pools, int classes)
    {
        var a = new double[pools][];
        for (int i = 0; i < pools; i++)
        {
            a[i] = new double[classes];
        }

        return a;
    }

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    // Rack k's own part worked from its inputs; returns the energy it drew this step, J.
    private double ServeRackAfresh(RackServeWork w, int k, int n, int waking, int parked, ref SolveCache cache, ref RackServe r, bool keepSolution)
    {
        var pool = w.Pool;
        var spec = pool.Spec;
        var accel = spec.Server.Accelerator;
        double dt = w.Dt;
        double f = _rackSpeed[k];
        double replicaW = w.PerReplicaAccels * accel.IdleW;
        r.N = 0;
        if (f > 0 && n > 0)
        {
            double backlogPer = _backlog[k] / n;
            ref readonly Solution s = ref Solve(ref cache, pool, w.Memo, w.LambdaReplica, f, w.Prompt, w.Output, w.Prefill1);
            double offered = w.LambdaReplica + (backlogPer / dt);
            double served = Math.Min(offered, s.CapacityPerS);
            r.SolvedLambda = w.LambdaReplica;
            if (served < offered || backlogPer > 0)
            {
                s = ref Solve(ref cache, pool, w.Memo, served, f, w.Prompt, w.Output, w.Prefill1);
                r.SolvedLambda = served;
            }

            double newBacklog = Math.Max(0, backlogPer + ((w.LambdaReplica - served) * dt));
            _backlog[k] = newBacklog * n;
            double busy = Math.Min(1, s.Prefill + s.Decode);

            // A replica is in one phase at a time: where the solved phase shares overrun its time, they share it.
            double phases = Math.Max(1, s.Prefill + s.Decode);
            replicaW = w.PerReplicaAccels * (accel.IdleW + (AcceleratorSpec.DynamicScale(f) * (((s.PrefillBusyW - accel.IdleW) * s.Prefill) + ((s.DecodeBusyW - accel.IdleW) * s.Decode)) / phases));
            _rackInFlight![k] = n * served * (s.TtftS + (Math.Max(0, w.Output - 1) * s.TpotS));
            if (keepSolution)
            {
                r.S = s;
            }

            (r.F, r.Served, r.BacklogPer, r.NewBacklog, r.Busy, r.Phases, r.N) = (f, served, backlogPer, newBacklog, busy, phases, n);
        }

        double energyJ = (_rackStaticW[k] + (n * replicaW) + (waking * w.PerReplicaAccels * accel.IdleW) + (parked * w.ParkedW)) * dt;
        _rackEnergyJ[k] += energyJ;
        return energyJ;
    }

    // What a rack's shared part adds to the hall's and pool's totals, and its latency weight and wait:
    // a rack that took the last rack's results (sameAsLast) adds the same, so where no wake-up waiters
    // make the shared part depend on what came before, it takes them as they were worked for that rack.
    private struct RackShares
    {
        public bool Known;
        public double BusyS, ComputeS, MemoryS, OccupancyS, Requests, PromptTokens, OutputTokens, WaitS, Share;
    }

    // Rack k's shared part, in rack order: the hall's and pool's busy time and tokens, the wake-up
    // waiters it served, and its latencies (racks whose replicas saw the same solution record together).
    private void ShareRack(RackServeWork w, int k, in RackServe r, in Solution s, bool sameAsLast, ref RackShares a)
    {
        if (r.N == 0 || SharesNothing)
        {
            return;
        }

        int poolIndex = w.PoolIndex;
        var pool = w.Pool;
        double dt = w.Dt, perReplicaAccels = w.PerReplicaAccels, lambda = w.Lambda, lambdaReplica = w.LambdaReplica;
        int n = r.N;
        double served = r.Served, busy = r.Busy;

        // Without wake-up waiters (a pool never scaled to zero) both their calls give 0: skipped.
        bool waiters = _wakeWaiters is not null;
        bool known = sameAsLast && a.Known && !waiters;
        if (!known)
        {
            // n replicas ran the solved phase shares for dt seconds.
            a.BusyS = busy * perReplicaAccels * n * dt;
            double accelS = perReplicaAccels * n * dt / r.Phases;
            a.ComputeS = accelS * ((s.Prefill * s.PrefillComputeWall) + (s.Decode * s.DecodeComputeWall));
            a.MemoryS = accelS * ((s.Prefill * (1 - s.PrefillComputeWall)) + (s.Decode * (1 - s.DecodeComputeWall)));
            a.OccupancyS = n * dt * busy * s.Occupancy;
            a.Requests = served * n * dt;
            a.PromptTokens = served * n * dt * w.Prompt;
            a.OutputTokens = served * n * dt * w.Output;
        }

        _busyAccelS += a.BusyS;
        BankRackBusy(k, a.BusyS);
        _computeBusyAccelS += a.ComputeS;
        _memoryBusyAccelS += a.MemoryS;
        _occupancyReplicaS += a.OccupancyS;
        _poolBusyAccelS[poolIndex] += a.BusyS;
        _poolRequests[poolIndex] += a.Requests;
        _poolPromptTokens[poolIndex] += a.PromptTokens;
        _poolOutputTokens[poolIndex] += a.OutputTokens;
        if (!known)
        {
            double waitS = served > 0 ? r.NewBacklog / served : 0;
            a.Share = ((served * n * dt) - (waiters ? ServeWakeWaiters(poolIndex, s, waitS, r.BacklogPer * n, served * n * dt) : 0)) / Math.Max(lambda, 1e-300);
            waitS += waiters ? BehindWakeWaitersS(poolIndex, s, lambdaReplica, dt) : 0;
            a.WaitS = waitS;
            a.Known = true;
        }

        double share = a.Share;
        if (pool.HasPending && SameSolution(pool.Pending, s) && pool.PendingWaitS == a.WaitS)
        {
            pool.PendingShare += share;
        }
        else
        {
            FlushPending(poolIndex);
            pool.HasPending = true;
            pool.Pending = s;
            pool.PendingWaitS = a.WaitS;
            pool.PendingShare = share;
            (pool.PendingF, pool.PendingLambda, pool.StepPrompt, pool.StepOutput, pool.StepPrefill1) = (r.F, served, w.Prompt, w.Output, w.Prefill1);
        }
    }

    // The solution at these inputs, left in (and returned as a reference to) the cache's value. Past
    // the one-entry cache, the memo (where there is one) holds what SolveAt and Capacity gave at the
    // same bits of every input under the same mix: the same bits again.
    private ref readonly Solution Solve(ref SolveCache c, PoolState pool, SolveMemo? memo, double lambda, double f, double prompt, double output, double prefill1)
    {
        if (f == c.F && lambda == c.Lambda && prompt == c.Prompt && output == c.Output && pool.Active == c.Active)
        {
            return ref c.Value;
        }

        var key = new SolveKey(pool.Active, lambda, f, prompt, output, prefill1);
        bool known = memo is not null && memo.TryGet(in key, out c.Value);
        if (!known)
        {
            c.Value = SolveAt(pool.Spec, pool.Active, lambda, f, prompt, output, prefill1, pool.StepBatchS);
        }

        if (f != c.CapF || prompt != c.CapPrompt || output != c.CapOutput || prefill1 != c.CapPrefill)
        {
            c.Capacity = known ? c.Value.CapacityPerS : Capacity(pool.Spec, f, prompt, output, prefill1, pool.StepBatchS);
            (c.CapF, c.CapPrompt, c.CapOutput, c.CapPrefill) = (f, prompt, output, prefill1);
        }

        c.Value.CapacityPerS = c.Capacity;
        if (!known)
        {
            memo?.Add(in key, in c.Value);
        }

        (c.F, c.Lambda, c.Prompt, c.Output, c.Active) = (f, lambda, prompt, output, pool.Active);
        return ref c.Value;
    }

    // Empties the pool's solution and capacity caches when the step's prefill mix (the mean
    // one-prompt prefill time, and the expected-time table of the classes the pool serves) is not the
    // one they were filled under: their keys leave it out, so a hit across such a change would return
    // a solution of the old mix.
    private void ForgetSolutionsIfMixChanged(int poolIndex, double prefill1)
    {
        // The class loads of the last pass give its mix, which it kept.
        bool sameLoads = SameClassLoads(poolIndex, _keptClassLoads ??= CreateLoads(_pools.Length, _classes.Length), _keptClassLoadsKnown ??= new bool[_pools.Length]);
        if (sameLoads && _cachedMixKnown is { } mixKnown && mixKnown[poolIndex])
        {
            return;
        }

        var pool = _pools[poolIndex];
        _cachedBatchS ??= new double[]?[_pools.Length];
        _cachedPrefill1 ??= new double[_pools.Length];
        _cachedMixKnown ??= new bool[_pools.Length];
        _cachedBatchNull ??= new bool[_pools.Length];
        var table = pool.StepBatchS;
        var kept = _cachedBatchS[poolIndex];
        bool sameTable = _cachedMixKnown[poolIndex]
            && (table is null ? kept is null || _cachedBatchNull![poolIndex] : kept is not null && !_cachedBatchNull![poolIndex] && table.AsSpan().SequenceEqual(kept));
        if (sameTable && prefill1.Equals(_cachedPrefill1[poolIndex]))
        {
            return;
        }

        pool.CachedF = double.NaN;
        pool.CapF = double.NaN;

        // The memo's keys hold the one-prompt prefill time (a pool's mean of it moves by a rounding
        // as its rate does), so only a new table empties it.
        if (!sameTable)
        {
            _solveMemos?[poolIndex]?.Clear();
        }

        _cachedPrefill1[poolIndex] = prefill1;
        _cachedMixKnown[poolIndex] = true;
        _cachedBatchNull![poolIndex] = table is null;
        if (table is not null)
        {
            kept ??= _cachedBatchS[poolIndex] = new double[table.Length];
            table.CopyTo(kept, 0);
        }
    }
}
