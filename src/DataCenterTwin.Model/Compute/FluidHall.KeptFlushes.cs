using System.Runtime.InteropServices;
using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Compute;

// Latency recordings kept past their patterns. A pool holds the patterns of its last two flushes
// (FluidHall.LatencyPatterns), but a diurnal profile brings the same hourly inputs back every day or
// week, and each came back as a new recording: thousands of weighted points, a logarithm each, once a
// pool-hour, four fifths of the fluid hall's latency work over a year. A recording is a function of
// its key alone (what LatencyPatterns.Matches compares), so each pool keeps its last recordings by
// key (a week of hourly ones), and a flush whose inputs match one takes it as its pattern: the same
// entries and totals, bit for bit, as recording again gives. Taken, not copied: copying thousands of
// entries from a week of recordings that lie far from the cache, once a pool-hour, was most of a
// flush's time. The ring never records over a kept recording one of the pool's patterns refers to
// (it passes it by), so none changes while it is pending in a sketch. A cache, not state: a restored
// hall starts with none and records again, which gives the same bits (the patterns it restores are
// its own, no longer kept).
public sealed partial class FluidHall
{
    // A week of hourly inputs per pool, with room for the clocks a throttle brings.
    [NotState]
    private int _keptPerPool = 192;

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

    /// <summary>Recordings kept per pool (192, a week of hourly inputs with room for a throttle's clocks); set before the first step. A test sets a few, so that the ring passes by the recordings in use.</summary>
    internal int KeptRecordingsPerPool
    {
        get => _keptPerPool;
        set => _keptPerPool = _kept is null ? Math.Max(PatternsPerPool + 1, value) : throw new InvalidOperationException("Set before the first step.");
    }

    /// <summary>Flushes that took a kept recording instead of recording afresh (of <see cref="LatencyPatternsRecorded"/>).</summary>
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

    // The pool's kept recording of these inputs, or a new one recorded and kept in place of its
    // oldest (passing by those its patterns refer to) when the ring is full.
    private LatencyPattern KeptFlush(int poolIndex, PoolState pool)
    {
        ulong key = KeptFlushKey(poolIndex, pool);
        _kept ??= new LatencyPattern?[]?[_pools.Length];
        _keptKeys ??= new ulong[]?[_pools.Length];
        _keptCount ??= new int[_pools.Length];
        _keptNext ??= new int[_pools.Length];
        var kept = _kept[poolIndex] ??= new LatencyPattern?[_keptPerPool];
        var keys = _keptKeys[poolIndex] ??= new ulong[_keptPerPool];
        for (int i = 0; i < _keptCount[poolIndex]; i++)
        {
            if (keys[i] == key && Matches(kept[i]!, poolIndex, pool))
            {
                _latencyPatternsReplayed++;
                return kept[i]!;
            }
        }

        int at = _keptNext[poolIndex];
        while (kept[at] is { } inUse && IsPoolPattern(poolIndex, inUse))
        {
            at = (at + 1) % _keptPerPool;
        }

        var entry = kept[at] ??= new LatencyPattern(_classes.Length) { Kept = true };
        Retire(entry);
        Remember(entry, poolIndex, pool);
        _recording = entry;
        RecordFlush(poolIndex);
        keys[at] = key;
        _keptNext[poolIndex] = (at + 1) % _keptPerPool;
        _keptCount[poolIndex] = Math.Min(_keptPerPool, _keptCount[poolIndex] + 1);
        return entry;
    }

    // Whether one of the pool's patterns is this one.
    private bool IsPoolPattern(int poolIndex, LatencyPattern p)
    {
        for (int i = poolIndex * PatternsPerPool; i < (poolIndex + 1) * PatternsPerPool; i++)
        {
            if (ReferenceEquals(_patterns![i], p))
            {
                return true;
            }
        }

        return false;
    }
}
