using System.Runtime.InteropServices;
using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Compute;

// Latency recordings kept past their patterns. A pool holds the patterns of its last two flushes
// (FluidHall.LatencyPatterns), but a diurnal profile brings the same hourly inputs back every day or
// week, and each came back as a new recording: thousands of weighted points, a logarithm each, once a
// pool-hour, four fifths of the fluid hall's latency work over a year. A recording is a function of
// its key alone (what LatencyPatterns.Matches compares), so each pool keeps the last KeptPerPool
// recordings by key, and a flush whose inputs match one copies it: the same entries and totals, bit
// for bit, as recording again gives. A cache, not state: a restored hall starts with none and records
// again, which gives the same bits.
public sealed partial class FluidHall
{
    // A week of hourly inputs per pool, with room for the clocks a throttle brings.
    private const int KeptPerPool = 192;

    [NotState]
    private LatencyPattern?[]?[]? _kept; // [pool][entry], a ring

    [NotState]
    private ulong[]?[]? _keptKeys;

    [NotState]
    private int[]? _keptCount;

    [NotState]
    private int[]? _keptNext;

    /// <summary>Whether recordings are kept and copied (true); false records every new pattern afresh, the reference a test compares with.</summary>
    internal bool KeepsLatencyRecordings { get; set; } = true;

    /// <summary>Flushes that copied a kept recording instead of recording afresh (of <see cref="LatencyPatternsRecorded"/>).</summary>
    internal long LatencyPatternsReplayed => _latencyPatternsReplayed;

    [NotState]
    private long _latencyPatternsReplayed;

    // Counts alone (no distributions) are recorded in less time than a search of the kept ones takes.
    private bool KeepsFlushes => ReusesLatencyPatterns && KeepsLatencyRecordings && RecordsLatencyDistributions;

    // A hash of everything LatencyPatterns.Matches compares, by bits: equal hashes are then checked field by field.
    private ulong KeptFlushKey(int poolIndex, PoolState pool)
    {
        ulong h = 14695981039346656037;
        foreach (ulong word in MemoryMarshal.Cast<byte, ulong>(MemoryMarshal.AsBytes(new ReadOnlySpan<Solution>(in pool.Pending))))
        {
            h = Mix(h, word);
        }

        h = Mix(h, Bits(pool.PendingWaitS));
        h = Mix(h, Bits(pool.PendingF));
        h = Mix(h, Bits(pool.PendingLambda));
        h = Mix(h, Bits(pool.StepPrompt));
        h = Mix(h, Bits(pool.StepOutput));
        h = Mix(h, Bits(pool.StepPrefill1));
        h = Mix(h, (ulong)pool.Active);
        h = Mix(h, RecordsLatencyDistributions ? 1UL : 0UL);
        for (int c = 0; c < _classes.Length; c++)
        {
            h = Mix(h, Bits(_classRate[c] * _classShare[c][poolIndex]));
        }

        return h;

        static ulong Bits(double x) => (ulong)BitConverter.DoubleToInt64Bits(x);

        // FNV-1a over 64-bit words, with the high bits folded down so that they reach the low ones.
        static ulong Mix(ulong h, ulong word)
        {
            h = (h ^ word) * 1099511628211UL;
            return h ^ (h >> 29);
        }
    }

    // Copies into the (empty) pattern being recorded the pool's kept recording of these inputs; whether there was one.
    private bool ReplayKeptFlush(int poolIndex, PoolState pool, ulong key, LatencyPattern into)
    {
        if (!KeepsFlushes || _kept?[poolIndex] is not { } kept)
        {
            return false;
        }

        var keys = _keptKeys![poolIndex]!;
        for (int i = 0; i < _keptCount![poolIndex]; i++)
        {
            if (keys[i] == key && Matches(kept[i]!, poolIndex, pool))
            {
                CopyRecording(kept[i]!, into);
                _latencyPatternsReplayed++;
                return true;
            }
        }

        return false;
    }

    // Keeps a copy of what was just recorded into the pattern (its key set by LatencyPatterns.Remember),
    // in place of the pool's oldest kept one when the ring is full.
    private void KeepFlush(int poolIndex, ulong key, LatencyPattern recorded)
    {
        if (!KeepsFlushes)
        {
            return;
        }

        _kept ??= new LatencyPattern?[]?[_pools.Length];
        _keptKeys ??= new ulong[]?[_pools.Length];
        _keptCount ??= new int[_pools.Length];
        _keptNext ??= new int[_pools.Length];
        var kept = _kept[poolIndex] ??= new LatencyPattern?[KeptPerPool];
        var keys = _keptKeys[poolIndex] ??= new ulong[KeptPerPool];
        int at = _keptNext[poolIndex];
        var entry = kept[at] ??= new LatencyPattern(_classes.Length);
        CopyRecording(recorded, entry);
        entry.Valid = recorded.Valid;
        entry.Pending = recorded.Pending;
        (entry.WaitS, entry.F, entry.Lambda, entry.Prompt, entry.Output, entry.Prefill1) = (recorded.WaitS, recorded.F, recorded.Lambda, recorded.Prompt, recorded.Output, recorded.Prefill1);
        (entry.Active, entry.Records) = (recorded.Active, recorded.Records);
        recorded.Rates.AsSpan().CopyTo(entry.Rates);
        keys[at] = key;
        _keptNext[poolIndex] = (at + 1) % KeptPerPool;
        _keptCount[poolIndex] = Math.Min(KeptPerPool, _keptCount[poolIndex] + 1);
    }

    // The recorded distributions and counts of one pattern into another, bit for bit (not its key).
    private void CopyRecording(LatencyPattern from, LatencyPattern to)
    {
        for (int c = 0; c < _classes.Length; c++)
        {
            to.Ttft[c].CopyFrom(from.Ttft[c]);
            to.Tpot[c].CopyFrom(from.Tpot[c]);
            to.E2e[c].CopyFrom(from.E2e[c]);
            to.SloMet[c] = from.SloMet[c];
            to.Completed[c] = from.Completed[c];
            to.Touched[c] = from.Touched[c];
        }
    }
}
