using System.Runtime.InteropServices;
using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Compute;

// Latency recording at the cost of its changes, not of its steps. A pool's latency distribution in a
// step (every class over its token strata, slot waits, time-per-token points and, for a bursty class,
// its arrival phases: thousands of weighted points) is a function of the step's solution and class
// rates alone, and linear in the share of the step's arrivals served. Arrival profiles hold for an
// hour (diurnal tables) and the solution with them, so the same distribution was recorded sixty times
// an hour; it was half of a fluid year's time. Each pool keeps the distribution of its last flush
// for one unit of served share, with the inputs it came from (the key), and a flush whose inputs
// match adds only its share: a multiplier on the pattern, poured into the sketches' bins when the
// pattern changes or a sketch is read (WeightedQuantiles). The figures are those of recording every
// step, to rounding (weights summed in another order).
public sealed partial class FluidHall
{
    // Two per pool: a pool whose racks run at two clocks (one throttled) alternates two solutions a step.
    private const int PatternsPerPool = 2;
    private LatencyPattern?[]? _patterns;
    private long _patternUses;
    private LatencyPattern? _recording;
    private LatencyPattern? _direct;
    private double[]?[]? _stratumPrefillS; // [class × pools + pool]

    /// <summary>Whether a flush whose inputs match the last one's reuses its pattern (true); false records every flush afresh, the reference a test compares with.</summary>
    internal bool ReusesLatencyPatterns { get; set; } = true;

    /// <summary>Flushes recorded afresh so far (those that could not reuse a pattern).</summary>
    internal long LatencyPatternsRecorded { get; private set; }

    // One flush's latency distribution per class, for one unit of served share, and what it was recorded at.
    private sealed class LatencyPattern
    {
        public LatencyPattern(int classes)
        {
            Ttft = New(classes);
            Tpot = New(classes);
            E2e = New(classes);
            SloMet = new double[classes];
            Completed = new double[classes];
            Touched = new bool[classes];
            Rates = new double[classes];
        }

        public readonly WeightedPattern[] Ttft, Tpot, E2e;
        public readonly double[] SloMet, Completed;
        public readonly bool[] Touched;

        // The key: everything the flush reads that changes during a run.
        public bool Valid;
        public long LastUsed;
        public Solution Pending;
        public double WaitS, F, Lambda, Prompt, Output, Prefill1;
        public int Active;
        public bool Records;
        public readonly double[] Rates;

        // Whether the pattern is a kept recording (FluidHall.KeptFlushes), which a pool's place
        // refers to and never empties, rather than a place's own.
        public bool Kept;

        private static WeightedPattern[] New(int n)
        {
            var a = new WeightedPattern[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = new WeightedPattern();
            }

            return a;
        }
    }

    // Records the pool's pending latencies: the pattern of its last flush again when nothing it was
    // recorded from has changed, else a new one. Where recordings are kept (FluidHall.KeptFlushes), a
    // pool's patterns are kept recordings themselves, referred to rather than copied; else each of
    // its places holds a pattern of its own, recorded again whenever its inputs change.
    private void FlushLatencies(int poolIndex)
    {
        var pool = _pools[poolIndex];
        if (!pool.HasPending)
        {
            return;
        }

        pool.HasPending = false;
        _patterns ??= new LatencyPattern?[_pools.Length * PatternsPerPool];
        int at = poolIndex * PatternsPerPool;
        LatencyPattern? pattern = ReusesLatencyPatterns ? ReplayedFlush(poolIndex) : null;
        if (pattern is not null)
        {
            pattern.LastUsed = ++_patternUses;
        }

        for (int i = at; ReusesLatencyPatterns && pattern is null && i < at + PatternsPerPool; i++)
        {
            if (_patterns[i] is { } p && Matches(p, poolIndex, pool))
            {
                pattern = p;
                p.LastUsed = ++_patternUses;
            }
        }

        if (pattern is null)
        {
            // The pattern used least recently makes way: what the sketches still hold of it is poured
            // into their bins (a kept recording itself stays as it is, for its inputs' return).
            int oldest = at;
            for (int i = at; i < at + PatternsPerPool; i++)
            {
                if ((_patterns[i]?.LastUsed ?? 0) < (_patterns[oldest]?.LastUsed ?? 0))
                {
                    oldest = i;
                }
            }

            LatencyPatternsRecorded++;
            if (_patterns[oldest] is { } old)
            {
                if (old.Kept)
                {
                    Settle(old);
                }
                else
                {
                    Retire(old);
                }
            }

            // Recorded for one unit of served share (the flush is linear in it), then scaled.
            double share = pool.PendingShare;
            pool.PendingShare = 1;
            try
            {
                pattern = KeepsFlushes ? KeptFlush(poolIndex, pool) : RecordOwn(poolIndex, pool, oldest);
            }
            finally
            {
                _recording = null;
                pool.PendingShare = share;
            }

            _patterns[oldest] = pattern;
            pattern.LastUsed = ++_patternUses;
        }

        KeepFlushed(poolIndex, pattern);
        Apply(pattern, pool.PendingShare);
    }

    // Records the flush into the pattern of place `slot`, its own: emptied (Retire) when it last made
    // way, and made where the place had none or held a kept recording (recordings no longer kept, or a
    // restored hall's).
    private LatencyPattern RecordOwn(int poolIndex, PoolState pool, int slot)
    {
        var pattern = _patterns![slot] is { Kept: false } own ? own : new LatencyPattern(_classes.Length);
        Remember(pattern, poolIndex, pool);
        _recording = pattern;
        RecordFlush(poolIndex);
        return pattern;
    }

    private bool Matches(LatencyPattern p, int poolIndex, PoolState pool)
    {
        if (!p.Valid || p.WaitS != pool.PendingWaitS || p.F != pool.PendingF || p.Lambda != pool.PendingLambda || p.Prompt != pool.StepPrompt
            || p.Output != pool.StepOutput || p.Prefill1 != pool.StepPrefill1 || p.Active != pool.Active || p.Records != RecordsLatencyDistributions)
        {
            return false;
        }

        for (int c = 0; c < _classes.Length; c++)
        {
            if (p.Rates[c] != _classRate[c] * _classShare[c][poolIndex])
            {
                return false;
            }
        }

        // Every field of the solution, byte for byte, so one added later joins the key by itself.
        return MemoryMarshal.AsBytes(new ReadOnlySpan<Solution>(in p.Pending)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<Solution>(in pool.Pending)));
    }

    private void Remember(LatencyPattern p, int poolIndex, PoolState pool)
    {
        p.Valid = true;
        p.Pending = pool.Pending;
        (p.WaitS, p.F, p.Lambda, p.Prompt, p.Output, p.Prefill1) = (pool.PendingWaitS, pool.PendingF, pool.PendingLambda, pool.StepPrompt, pool.StepOutput, pool.StepPrefill1);
        p.Active = pool.Active;
        p.Records = RecordsLatencyDistributions;
        for (int c = 0; c < _classes.Length; c++)
        {
            p.Rates[c] = _classRate[c] * _classShare[c][poolIndex];
        }
    }

    // Adds a pattern times a served share to the class metrics: counts at once, distributions as a
    // pending multiplier on the pattern.
    private void Apply(LatencyPattern p, double share)
    {
        for (int c = 0; c < _classes.Length; c++)
        {
            if (!p.Touched[c])
            {
                continue;
            }

            var m = Metrics[c];
            var cls = _classes[c];
            double count = p.Completed[c] * share;
            m.Ttft.Add(p.Ttft[c], share);
            m.Tpot.Add(p.Tpot[c], share);
            m.E2e.Add(p.E2e[c], share);
            m.SloMet += p.SloMet[c] * share;
            m.Completed += count;
            m.OutputTokensServed += count * cls.MeanOutput;
            m.PromptTokensServed += count * cls.MeanPrompt;
        }
    }

    // Pours what the sketches still hold of the pattern into their bins.
    private void Settle(LatencyPattern p)
    {
        for (int c = 0; c < _classes.Length; c++)
        {
            if (p.Touched[c])
            {
                var m = Metrics[c];
                m.Ttft.Settle(p.Ttft[c]);
                m.Tpot.Settle(p.Tpot[c]);
                m.E2e.Settle(p.E2e[c]);
            }
        }
    }

    // Pours what the sketches still hold of the pattern into their bins, then empties it for reuse.
    private void Retire(LatencyPattern p)
    {
        Settle(p);
        for (int c = 0; c < _classes.Length; c++)
        {
            if (!p.Touched[c])
            {
                continue;
            }

            p.Ttft[c].Clear();
            p.Tpot[c].Clear();
            p.E2e[c].Clear();
            p.SloMet[c] = 0;
            p.Completed[c] = 0;
            p.Touched[c] = false;
        }

        p.Valid = false;
    }

    // Full-clock prefill time of each prompt stratum of class c on pool p's serving model, s: fixed
    // when the hall is built, so worked out once instead of per stratum per flush.
    private double[] StratumPrefillS(int c, int poolIndex)
    {
        _stratumPrefillS ??= new double[]?[_classes.Length * _pools.Length];
        int at = (c * _pools.Length) + poolIndex;
        if (_stratumPrefillS[at] is { } table)
        {
            return table;
        }

        var serving = _pools[poolIndex].Spec.Serving;
        var cls = _classes[c];
        table = new double[TokenQuantiles];
        for (int j = 0; j < TokenQuantiles; j++)
        {
            table[j] = serving.PrefillTimeS(cls.PromptQ[j]);
        }

        _stratumPrefillS[at] = table;
        return table;
    }
}
