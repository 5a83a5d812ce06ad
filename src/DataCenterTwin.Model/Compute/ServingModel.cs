using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// Iteration times of a model on a replica, from a <see cref="ServingProfile"/>: piecewise-linear
/// through the profiled points made monotone by isotonic regression (pool-adjacent-violators: the
/// least-squares non-decreasing fit, so more tokens, a larger batch or a longer context never makes
/// an iteration faster; the measured dips it smooths are run-to-run noise of a few per cent), extrapolated along the last segment above the last point and flat below the first.
/// Decode time is the batch curve at the reference context plus the context curve's change from
/// the reference context. Times are at full clocks; a throttled replica divides by its speed factor.
/// </summary>
public sealed class ServingModel
{
    private readonly double[] _prefillX;
    private readonly double[] _prefillY;
    private readonly double[] _batchX;
    private readonly double[] _batchY;
    private readonly double[] _contextX;
    private readonly double[] _contextY;
    private readonly double _referenceContextS;

    // The batch curve at every batch size up to BatchTermsKept, the same interpolation taken once
    // when the model is built: a decode step reads its batch term instead of searching the curve.
    // Filled in the constructor, so halls on several threads share it read-only.
    private const int BatchTermsKept = 1024;
    [NotState]
    private readonly double[] _batchTerms;

    // The context curve's segments as cursors, by the index of their upper point (the segment the
    // search returns; [0] serves no context): a decode step starts from its replica's kept segment's
    // cursor instead of searching the curve. Built once, like _batchTerms.
    [NotState]
    private readonly ContextCursor[] _contextCursors;

    /// <summary>Builds the model from a profile.</summary>
    /// <exception cref="ArgumentException">A curve is empty, of unequal lengths, unsorted, or has a non-positive time.</exception>
    public ServingModel(ServingProfile profile)
    {
        Profile = profile;
        (_prefillX, _prefillY) = Monotone(profile.PrefillTokens, profile.PrefillS, "prefill");
        (_batchX, _batchY) = Monotone(profile.DecodeBatch, profile.DecodeBatchS, "decode batch");
        (_contextX, _contextY) = Monotone(profile.DecodeContext, profile.DecodeContextS, "decode context");
        _referenceContextS = Interpolate(_contextX, _contextY, profile.DecodeReferenceContext);
        _batchTerms = new double[BatchTermsKept + 1];
        for (int b = 0; b <= BatchTermsKept; b++)
        {
            _batchTerms[b] = Interpolate(_batchX, _batchY, b);
        }

        _contextCursors = new ContextCursor[_contextX.Length];
        _contextCursors[0] = ContextCursor.None;
        for (int hi = 1; hi < _contextX.Length; hi++)
        {
            _contextCursors[hi] = SegmentCursor(hi);
        }
    }

    /// <summary>The profile it was built from.</summary>
    public ServingProfile Profile { get; }

    /// <summary>Time of a prefill iteration over <paramref name="promptTokens"/> tokens (the sum over the requests it admits), s.</summary>
    public double PrefillTimeS(double promptTokens) => Interpolate(_prefillX, _prefillY, promptTokens);

    /// <summary>Time of one decode iteration (one token for each of <paramref name="batch"/> requests of mean context <paramref name="contextTokens"/>), s.</summary>
    public double DecodeIterationTimeS(int batch, double contextTokens) =>
        DecodeBatchTermS(batch) + Interpolate(_contextX, _contextY, contextTokens) - _referenceContextS;

    /// <summary>The batch term of a decode iteration of <paramref name="batch"/> requests, s: fixed over a decode span, so computed once for it.</summary>
    internal double DecodeBatchTermS(int batch) =>
        (uint)batch < (uint)_batchTerms.Length ? _batchTerms[batch] : Interpolate(_batchX, _batchY, batch);

    /// <summary>
    /// <see cref="DecodeIterationTimeS(int, double)"/> from its batch term (<see cref="DecodeBatchTermS"/>), the
    /// same sum in the same order so the same number: a decode span's mean context only grows, so the
    /// context curve's segment is searched from <paramref name="segment"/>, the one found last time,
    /// instead of from the first point at each of its iterations.
    /// </summary>
    internal double DecodeIterationTimeS(double batchTermS, double contextTokens, ref int segment) =>
        batchTermS + Interpolate(_contextX, _contextY, contextTokens, ref segment) - _referenceContextS;

    /// <summary>
    /// <see cref="DecodeIterationTimeS(double, double, ref int)"/> with the context curve's segment held in
    /// <paramref name="cursor"/>: while the mean context stays inside it (a decode span's context
    /// grows by a token an iteration, so mostly it does) the value is the segment's line from its
    /// kept end points, the very expression <see cref="Interpolate(double[], double[], double)"/>
    /// evaluates on the same segment, so the same number; outside, the search finds and keeps the next.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal double DecodeIterationTimeS(double batchTermS, double contextTokens, ref ContextCursor cursor, ref int segment)
    {
        if (contextTokens > cursor.XLo && contextTokens <= cursor.XHi)
        {
            return batchTermS + (cursor.YLo + (cursor.Dy * (contextTokens - cursor.XLo) / cursor.Dx)) - _referenceContextS;
        }

        return DecodeIterationTimeSlowS(batchTermS, contextTokens, ref cursor, ref segment);
    }

    /// <summary>
    /// The step times of a decode span's iterations after its first: <paramref name="stepsS"/>[i] is
    /// <see cref="DecodeIterationTimeS(double, double, ref ContextCursor, ref int)"/> at the mean context
    /// (<paramref name="context0"/> + (i + 1)·<paramref name="members"/>) / <paramref name="members"/>,
    /// called in turn. Four iterations whose contexts all lie in the cursor's segment are computed at
    /// once in vector lanes, each lane the same operations in the same order as the scalar call (IEEE
    /// division, product, sums; no fused multiply-add), so the same numbers; the others go one by one.
    /// </summary>
    internal void DecodeIterationTimesS(double batchTermS, long context0, int members, Span<double> stepsS, ref ContextCursor cursor, ref int segment)
    {
        int n = stepsS.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n > Vector256<double>.Count)
        {
            // The first alone: a span's cursor starts empty, and this call finds its segment.
            stepsS[0] = DecodeIterationTimeS(batchTermS, (context0 + members) / (double)members, ref cursor, ref segment);
            i = 1;

            // Contexts are integers below 2^53, so context0 + j·members is exact in doubles as in longs.
            var membersV = Vector256.Create((double)members);
            var strideV = Vector256.Create(4.0 * members);
            var contextV = Vector256.Create((double)context0) + (Vector256.Create(2.0, 3.0, 4.0, 5.0) * membersV);
            var batchV = Vector256.Create(batchTermS);
            var referenceV = Vector256.Create(_referenceContextS);
            for (; i + 4 <= n; i += 4, contextV += strideV)
            {
                var x = contextV / membersV;
                var xLo = Vector256.Create(cursor.XLo);
                if (Vector256.GreaterThanAll(x, xLo) && Vector256.LessThanOrEqualAll(x, Vector256.Create(cursor.XHi)))
                {
                    var y = Vector256.Create(cursor.YLo) + (Vector256.Create(cursor.Dy) * (x - xLo) / Vector256.Create(cursor.Dx));
                    ((batchV + y) - referenceV).CopyTo(stepsS[i..]);
                }
                else
                {
                    for (int l = 0; l < 4; l++)
                    {
                        stepsS[i + l] = DecodeIterationTimeS(batchTermS, x.GetElement(l), ref cursor, ref segment);
                    }
                }
            }
        }

        for (; i < n; i++)
        {
            long context = context0 + ((long)members * (i + 1));
            stepsS[i] = DecodeIterationTimeS(batchTermS, context / (double)members, ref cursor, ref segment);
        }
    }

    /// <summary>
    /// The cursor of the context curve's segment <paramref name="segment"/> (as kept by the calls that
    /// take a segment), or one that serves no context: where the context still lies in it, a step
    /// starting from it needs no search, and elsewhere the search runs as from an empty cursor.
    /// </summary>
    internal ContextCursor CursorAt(int segment) =>
        (uint)segment < (uint)_contextCursors.Length ? _contextCursors[segment] : ContextCursor.None;

    /// <summary>
    /// <see cref="DecodeIterationTimeS(int, double)"/> (the same number) with the context curve's
    /// search started from <paramref name="segment"/>, the segment kept last time, and kept again.
    /// </summary>
    internal double DecodeIterationTimeFromSegmentS(int batch, double contextTokens, ref int segment)
    {
        var cursor = CursorAt(segment);
        return DecodeIterationTimeS(DecodeBatchTermS(batch), contextTokens, ref cursor, ref segment);
    }

    private double DecodeIterationTimeSlowS(double batchTermS, double contextTokens, ref ContextCursor cursor, ref int segment)
    {
        double s = DecodeIterationTimeS(batchTermS, contextTokens, ref segment);
        if (_contextX.Length > 1 && contextTokens > _contextX[0])
        {
            cursor = _contextCursors[segment];
        }

        return s;
    }

    // The segment the search chose serves every context in (x[lo], x[hi]], the last one every context above x[lo].
    private ContextCursor SegmentCursor(int hi)
    {
        var x = _contextX;
        var y = _contextY;
        int lo = hi - 1;
        return new ContextCursor(x[lo], hi == x.Length - 1 ? double.PositiveInfinity : x[hi], y[lo], y[hi] - y[lo], x[hi] - x[lo]);
    }

    /// <summary>A segment of the decode context curve: its lower end, the upper bound of the contexts it serves, and its rise and run.</summary>
    internal readonly record struct ContextCursor(double XLo, double XHi, double YLo, double Dy, double Dx)
    {
        /// <summary>A cursor that serves no context (the first call searches).</summary>
        public static ContextCursor None => new(double.PositiveInfinity, double.NegativeInfinity, 0, 0, 1);
    }

    /// <summary>
    /// The same model on a faster accelerator: prefill times divided by <paramref name="prefillSpeedUp"/>
    /// and decode times by <paramref name="decodeSpeedUp"/> (for accelerators without a measured profile).
    /// </summary>
    public ServingModel Scaled(string accelerator, double prefillSpeedUp, double decodeSpeedUp, string source) =>
        new(Profile with
        {
            Accelerator = accelerator,
            PrefillS = Profile.PrefillS.Select(s => s / prefillSpeedUp).ToArray(),
            DecodeBatchS = Profile.DecodeBatchS.Select(s => s / decodeSpeedUp).ToArray(),
            DecodeContextS = Profile.DecodeContextS.Select(s => s / decodeSpeedUp).ToArray(),
            Source = source,
        });

    private static (double[] X, double[] Y) Monotone(double[] x, double[] y, string name)
    {
        if (x.Length == 0 || x.Length != y.Length)
        {
            throw new ArgumentException($"The {name} curve needs at least one point and equal lengths.", nameof(x));
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (!(y[i] > 0) || (i > 0 && !(x[i] > x[i - 1])))
            {
                throw new ArgumentException($"The {name} curve: point {i} must have a positive time and a larger abscissa than the one before.", nameof(x));
            }
        }

        // Pool adjacent violators: blocks of (mean, size); a block below its predecessor merges into it.
        var mean = new double[y.Length];
        var size = new int[y.Length];
        int blocks = 0;
        foreach (double v in y)
        {
            mean[blocks] = v;
            size[blocks] = 1;
            blocks++;
            while (blocks > 1 && mean[blocks - 2] > mean[blocks - 1])
            {
                int n = size[blocks - 2] + size[blocks - 1];
                mean[blocks - 2] = (mean[blocks - 2] * size[blocks - 2] + mean[blocks - 1] * size[blocks - 1]) / n;
                size[blocks - 2] = n;
                blocks--;
            }
        }

        var my = new double[y.Length];
        for (int b = 0, i = 0; b < blocks; b++)
        {
            for (int k = 0; k < size[b]; k++)
            {
                my[i++] = mean[b];
            }
        }

        return ((double[])x.Clone(), my);
    }

    private static double Interpolate(double[] x, double[] y, double at)
    {
        if (x.Length == 1)
        {
            return at > x[0] ? y[0] * at / x[0] : y[0];
        }

        if (at <= x[0])
        {
            return y[0];
        }

        // The first point at or above the abscissa, at least the second, at most the last (a
        // bisection: the same point a scan from the second finds, in log n probes).
        int hi = 1, top = x.Length - 1;
        while (hi < top)
        {
            int mid = (hi + top) >> 1;
            if (x[mid] < at)
            {
                hi = mid + 1;
            }
            else
            {
                top = mid;
            }
        }

        int lo = hi - 1;
        return y[lo] + (y[hi] - y[lo]) * (at - x[lo]) / (x[hi] - x[lo]);
    }

    // Interpolate with the search started at a remembered segment: the segment is the one the
    // search from the first point finds (the first point at or above the abscissa, at least the
    // second, at most the last), whichever way the abscissa moved, so the value is the same.
    private static double Interpolate(double[] x, double[] y, double at, ref int segment)
    {
        if (x.Length == 1)
        {
            return at > x[0] ? y[0] * at / x[0] : y[0];
        }

        if (at <= x[0])
        {
            return y[0];
        }

        int hi = Math.Clamp(segment, 1, x.Length - 1);
        while (hi > 1 && x[hi - 1] >= at)
        {
            hi--;
        }

        while (hi < x.Length - 1 && x[hi] < at)
        {
            hi++;
        }

        segment = hi;
        int lo = hi - 1;
        return y[lo] + (y[hi] - y[lo]) * (at - x[lo]) / (x[hi] - x[lo]);
    }
}
