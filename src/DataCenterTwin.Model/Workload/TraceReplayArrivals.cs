using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Workload;

/// <summary>
/// Replays a <see cref="RequestTrace"/>, scaled and looped. Scaling is in two parts, both of which
/// keep the trace's own burst structure instead of smoothing it into Poisson traffic:
/// <list type="bullet">
/// <item><c>speedUp</c> compresses time: every gap is divided by it, so the rate multiplies and the
/// inter-arrival coefficient of variation is unchanged (it is scale-free); bursts get shorter.</item>
/// <item><c>copies</c> superposes that many copies of the compressed trace, copy i shifted by
/// i/copies of the trace period (and wrapped), so the rate multiplies again while burst durations
/// keep their compressed length. The copies are different stretches of the real trace, so their
/// sum is somewhat smoother than one copy, as independent users' traffic is.</item>
/// </list>
/// A 1-hour trace at 5 req/s drives 5,000 req/s with, for example, speedUp 100 and copies 10.
/// With <c>loop</c> the trace repeats with period span + one mean gap, so a looped trace keeps its rate.
/// </summary>
public sealed class TraceReplayArrivals : IArrivalProcess
{
    private const long BinTicks = 60 * SimTime.TicksPerSecond;

    private readonly RequestTrace _trace;
    private readonly double _speedUp;
    private readonly bool _loop;
    private readonly long _periodTicks;
    private readonly long[] _offsetTicks;
    private readonly long[] _loopIndex;
    private readonly int[] _cursor;
    private readonly int[] _binCounts;

    /// <summary>Creates a replay of <paramref name="trace"/> starting at time zero.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A speed-up that is not positive, or fewer than one copy.</exception>
    public TraceReplayArrivals(RequestTrace trace, double speedUp = 1, int copies = 1, bool loop = false)
    {
        if (!(speedUp > 0) || double.IsInfinity(speedUp))
        {
            throw new ArgumentOutOfRangeException(nameof(speedUp), speedUp, "The speed-up must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        _trace = trace;
        _speedUp = speedUp;
        _loop = loop;
        long span = trace.OffsetTicks[^1];
        _periodTicks = Math.Max(1, trace.Count > 1 ? span + span / (trace.Count - 1) : 1);
        Copies = copies;
        _offsetTicks = new long[copies];
        _loopIndex = new long[copies];
        _cursor = new int[copies];
        for (int i = 0; i < copies; i++)
        {
            _offsetTicks[i] = _periodTicks * i / copies;

            // Copy i starts in loop −1 when looping, so the wrapped tail of the previous loop fills [0, offset).
            _loopIndex[i] = loop && i > 0 ? -1 : 0;
            SkipBeforeZero(i);
        }

        _binCounts = new int[(int)((_periodTicks + BinTicks - 1) / BinTicks)];
        foreach (long t in trace.OffsetTicks)
        {
            _binCounts[Math.Min(_binCounts.Length - 1, (int)(t / BinTicks))]++;
        }

        MeanRatePerS = trace.Count * copies * speedUp / (_periodTicks / 1e6);
    }

    /// <summary>Copies superposed.</summary>
    public int Copies { get; }

    /// <summary>Requests per second over a whole period of the scaled trace.</summary>
    public double MeanRatePerS { get; }

    /// <summary>The trace's count in the one-minute bin (trace time) holding t, per copy, scaled, requests/s.</summary>
    public double RatePerS(SimTime t)
    {
        double traceTicks = t.Ticks * _speedUp;
        double rate = 0;
        for (int i = 0; i < _offsetTicks.Length; i++)
        {
            double local = traceTicks - _offsetTicks[i];
            if (!_loop && (local < 0 || local >= _periodTicks))
            {
                continue;
            }

            long phase = (long)(((local % _periodTicks) + _periodTicks) % _periodTicks);
            int bin = (int)(phase / BinTicks);
            double binTicks = Math.Min(BinTicks, _periodTicks - (long)bin * BinTicks);
            rate += _binCounts[bin] / (binTicks / 1e6);
        }

        return rate * _speedUp;
    }

    /// <inheritdoc/>
    public bool TryNext(out Arrival next)
    {
        int best = -1;
        long bestTicks = long.MaxValue;
        for (int i = 0; i < _cursor.Length; i++)
        {
            long ticks = TraceTicks(i);
            if (ticks < bestTicks)
            {
                bestTicks = ticks;
                best = i;
            }
        }

        if (best < 0)
        {
            next = default;
            return false;
        }

        int j = _cursor[best];
        next = new Arrival(new SimTime((long)Math.Round(bestTicks / _speedUp)), Math.Max(1, _trace.PromptTokens[j]), Math.Max(1, _trace.OutputTokens[j]));
        Advance(best);
        return true;
    }

    /// <inheritdoc/>
    public void SkipTo(SimTime t)
    {
        long target = (long)Math.Ceiling(t.Ticks * _speedUp);
        for (int i = 0; i < _cursor.Length; i++)
        {
            if (TraceTicks(i) >= target)
            {
                continue;
            }

            long relative = target - _offsetTicks[i];
            long loop = _loop ? Math.Max(_loopIndex[i], Math.DivRem(relative, _periodTicks, out long within) - (within < 0 ? 1 : 0)) : 0;
            long inLoop = relative - (loop * _periodTicks);
            int j = Array.BinarySearch(_trace.OffsetTicks, inLoop);
            j = j < 0 ? ~j : j;
            while (j > 0 && _trace.OffsetTicks[j - 1] >= inLoop)
            {
                j--;
            }

            if (j >= _trace.Count && _loop)
            {
                j = 0;
                loop++;
            }

            _loopIndex[i] = loop;
            _cursor[i] = j;
        }
    }

    /// <summary>The unscaled trace time of copy i's next arrival, or long.MaxValue when it has none.</summary>
    private long TraceTicks(int i)
    {
        if (_cursor[i] >= _trace.Count)
        {
            return long.MaxValue;
        }

        return _loopIndex[i] * _periodTicks + _trace.OffsetTicks[_cursor[i]] + _offsetTicks[i];
    }

    private void Advance(int i)
    {
        if (++_cursor[i] == _trace.Count && _loop)
        {
            _cursor[i] = 0;
            _loopIndex[i]++;
        }
    }

    private void SkipBeforeZero(int i)
    {
        while (TraceTicks(i) < 0)
        {
            Advance(i);
        }
    }
}
