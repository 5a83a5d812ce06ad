using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Compute;

// A pool-step again. An hourly profile holds the class rates for sixty steps, and an unthrottled
// pool's racks all run at one clock: a step is then one rack worked and the rest taking its results
// (FluidHall.Racks), and the next step reads the same bits again — the class loads, the step's
// length, every rack's inputs — and so gives the same bits: the same solution, the same per-rack
// results, the same shares, the same pending latencies. What it adds to (each rack's energy and busy
// time, the hall's and pool's totals) moved on, so the additions are made again, one a rack in rack
// order, as the step would make them; the rest of its work (the solve, the rack's own part, the
// shares, the pending solution) is what the step before left. Not state: a restored hall works its
// first step afresh, which gives the same bits.
public sealed partial class FluidHall
{
    // Per pool, the step worked last, when it was one run of racks alike taken at once (else not Known).
    [NotState]
    private PoolReplay[]? _replays;

    [NotState]
    private long _stepsReplayed;

    /// <summary>Whether a pool-step whose inputs are the step before's bits takes its results (true); false works every step, the reference a test compares with.</summary>
    internal bool ReplaysSteps { get; set; } = true;

    /// <summary>Pool-steps that took the step before's results.</summary>
    internal long StepsReplayed => _stepsReplayed;

    private struct PoolReplay
    {
        public bool Known;
        public long DtBits;

        // Whether its racks shared nothing (FluidHall.SharesNothing), so that Shares is not worked.
        public bool SharedNothing;

        // The first rack's inputs and results (those of every rack), and the shares each rack added.
        public LastRack Rack;
        public RackShares Shares;

        // The pattern the pool's last flush added (FluidHall.LatencyPatterns).
        public LatencyPattern? Flushed;
    }

    // Whether the flush under way is that of a replayed pool-step.
    [NotState]
    private bool _flushReplayed;

    // Keeps the pattern a flush of the pool added, for a replayed step's flush to take again.
    private void KeepFlushed(int poolIndex, LatencyPattern pattern)
    {
        if (_replays is { } replays)
        {
            replays[poolIndex].Flushed = pattern;
        }
    }

    // The pattern a replayed step's flush adds, or null where it is not one (then the pool's patterns
    // are searched). Such a flush is the first of the pool since the flush that ended the step before,
    // and its key (the pending solution, wait and what it was solved at, the class loads on the pool,
    // its serving replicas) is that step's bits, as everything a replay reads is: so the pattern that
    // flush added matches it, while it is still one of the pool's and records as the hall does now.
    private LatencyPattern? ReplayedFlush(int poolIndex)
    {
        if (!_flushReplayed || _replays is not { } replays || replays[poolIndex].Flushed is not { } p
            || !p.Valid || p.Records != RecordsLatencyDistributions)
        {
            return null;
        }

        for (int i = poolIndex * PatternsPerPool; i < (poolIndex + 1) * PatternsPerPool; i++)
        {
            if (ReferenceEquals(_patterns![i], p))
            {
                return p;
            }
        }

        return null;
    }

    // Keeps the step just worked (ServeRacksInline, its racks all one run taken at once) for the next.
    private void KeepForReplay(RackServeWork w, in LastRack rack, in RackShares shares)
    {
        ref var replay = ref (_replays ??= new PoolReplay[_pools.Length])[w.PoolIndex];
        replay.Known = !w.Scaled && _wakeWaiters is null && _poolStoppedRacks[w.PoolIndex] == 0 && !_poolHadStopped[w.PoolIndex];
        replay.DtBits = BitConverter.DoubleToInt64Bits(w.Dt);
        replay.SharedNothing = SharesNothing;
        replay.Rack = rack;
        replay.Shares = shares;
        replay.Flushed = null; // until the step's own flush
    }

    // A step worked afresh keeps itself where it can (KeepForReplay), and no step before it is kept.
    private void ForgetReplay(int poolIndex)
    {
        if (_replays is { } replays)
        {
            replays[poolIndex].Known = false;
        }
    }

    // The pool's step as the one before, where the caller found the class loads on it the same bits
    // and the pool unscaled, and here the step's length and every rack's inputs are too; false (and
    // nothing done) where not. The caller then flushes the pending latencies, as after any step.
    private bool TryReplay(int poolIndex, double dt)
    {
        if (_replays is not { } replays || !ReplaysSteps)
        {
            return false;
        }

        ref var replay = ref replays[poolIndex];
        var spec = _pools[poolIndex].Spec;
        if (!replay.Known || replay.DtBits != BitConverter.DoubleToInt64Bits(dt) || replay.SharedNothing != SharesNothing
            || _wakeWaiters is not null || _poolStoppedRacks[poolIndex] > 0 || _poolHadStopped[poolIndex]
            || !AllUnscaledAlike(spec.FirstRack, spec.RackCount, in replay.Rack))
        {
            return false;
        }

        TakeOwnParts(spec.FirstRack, spec.RackCount, in replay.Rack);
        if (replay.Rack.ServeN > 0)
        {
            if (SharesNothing)
            {
                _stepsReplayed++;
                return true;
            }

            // The first rack's shared part set the pending solution (Pending and the rest, as the step
            // before left them) and its share; each rack adds its share to it from nothing, as the
            // first set it (0 + a share is that share).
            var pool = _pools[poolIndex];
            pool.HasPending = true;
            pool.PendingShare = 0;
            RepeatShares(poolIndex, pool, spec.FirstRack, spec.RackCount, in replay.Shares);
        }

        _stepsReplayed++;
        return true;
    }
}
