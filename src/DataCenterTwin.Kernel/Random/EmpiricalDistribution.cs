using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Kernel.Random;

/// <summary>
/// Samples from an empirical table: a non-decreasing list of values with their cumulative
/// probabilities, by inversion with linear interpolation between table points (a continuous
/// piecewise-linear CDF), or, built from raw samples without interpolation, by drawing one of them.
/// </summary>
public sealed class EmpiricalDistribution
{
    private readonly double[] _values;
    private readonly double[] _cumulative;
    private readonly bool _interpolate;

    // The guide table of indexed search (Chen and Asau 1974; Devroye 1986, III.3): for each of
    // _guideSize equal slices [j/G, (j+1)/G) of [0, 1), the first entry whose cumulative
    // probability reaches j/G, so a draw searches only the entries of its slice (one or two for a
    // table from samples) instead of a binary search over the whole table, whose deep levels miss
    // the cache on a trace of tens of thousands of requests. G is a power of two: j/G is exact.
    private readonly int[] _guide;
    private readonly int _guideSize;

    // Without interpolation, a slice whose candidate entries (its guide to the next) all hold the
    // same value returns that value for every u in it, whichever entry the search lands on: that
    // value is kept per slice, so a draw reads one slice instead of the guide, the probabilities and
    // the values (three cache misses on a trace's table); Mixed marks a slice that spans a change of
    // value, which searches as before. A slice holds the value's place among the table's distinct
    // values (a trace's token counts take a few thousand), two bytes rather than eight, so the
    // slices of a 20,000-request trace take 64 KiB and stay in cache rather than 256 KiB that miss
    // it. A table of more distinct values than a slice can name has no slices. Built from the
    // table, so not part of a checkpoint.
    [NotState]
    private readonly ushort[]? _slice;
    [NotState]
    private readonly double[]? _distinct;
    private const ushort Mixed = ushort.MaxValue;

    // Where every distinct value is a whole number below Mixed (token counts), a slice holds the
    // value itself rather than its place, so a draw reads one array, not two.
    [NotState]
    private readonly bool _sliceIsValue;

    /// <summary>A table of values and cumulative probabilities, the last exactly 1.</summary>
    /// <exception cref="ArgumentException">The table is empty, unsorted, or its probabilities do not rise to 1.</exception>
    public EmpiricalDistribution(double[] values, double[] cumulativeProbabilities, bool interpolate = true)
    {
        if (values.Length == 0 || values.Length != cumulativeProbabilities.Length)
        {
            throw new ArgumentException("Values and cumulative probabilities must be non-empty and of equal length.", nameof(values));
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]) || !(cumulativeProbabilities[i] >= 0) || cumulativeProbabilities[i] > 1)
            {
                throw new ArgumentException($"Entry {i} is not a finite value with a probability in [0, 1].", nameof(values));
            }

            if (i > 0 && (values[i] < values[i - 1] || cumulativeProbabilities[i] < cumulativeProbabilities[i - 1]))
            {
                throw new ArgumentException($"Entry {i} breaks the non-decreasing order.", nameof(values));
            }
        }

        if (cumulativeProbabilities[^1] != 1.0)
        {
            throw new ArgumentException("The last cumulative probability must be 1.", nameof(cumulativeProbabilities));
        }

        _values = (double[])values.Clone();
        _cumulative = (double[])cumulativeProbabilities.Clone();
        _interpolate = interpolate;
        _guide = BuildGuide(_cumulative, out _guideSize);
        if (!interpolate)
        {
            (_slice, _distinct) = BuildSlices(_values, _guide, _guideSize);
            if (_slice is { } slices && _distinct is { } distinct
                && distinct.All(v => v >= 0 && v < Mixed && v == Math.Floor(v) && !double.IsNegative(v)))
            {
                _sliceIsValue = true;
                for (int j = 0; j < slices.Length; j++)
                {
                    if (slices[j] != Mixed)
                    {
                        slices[j] = (ushort)distinct[slices[j]];
                    }
                }
            }
        }
    }

    /// <summary>
    /// From raw samples. With <paramref name="interpolate"/> false each draw returns one of the
    /// samples with equal probability (a bootstrap); with true, the CDF interpolates between order statistics.
    /// </summary>
    public static EmpiricalDistribution FromSamples(IEnumerable<double> samples, bool interpolate = false)
    {
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        var cumulative = new double[n];
        for (int i = 0; i < n; i++)
        {
            cumulative[i] = interpolate ? (n == 1 ? 1.0 : (double)i / (n - 1)) : (double)(i + 1) / n;
        }

        if (n > 0)
        {
            cumulative[^1] = 1.0;
        }

        return new EmpiricalDistribution(sorted, cumulative, interpolate);
    }

    /// <summary>The smallest value in the table.</summary>
    public double Min => _values[0];

    /// <summary>The largest value in the table.</summary>
    public double Max => _values[^1];

    /// <summary>The value at cumulative probability <paramref name="u"/> in [0, 1].</summary>
    public double Quantile(double u)
    {
        if (_slice is { } slices && u >= 0 && u < 1)
        {
            int k = slices[(int)(u * _guideSize)];
            if (k != Mixed)
            {
                return _sliceIsValue ? k : _distinct![k];
            }
        }

        return Searched(u);
    }

    /// <summary>
    /// Replaces <c>u[start]</c>, <c>u[start + stride]</c>, … (each in [0, 1]) by the values
    /// <see cref="Quantile"/> gives for them. A draw that one slice answers costs a load and a
    /// compare, and the loads of a batch do not wait on each other, so their cache misses overlap.
    /// </summary>
    public void QuantilesInPlace(Span<double> u, int start, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (_slice is not { } slices)
        {
            for (int i = start; i < u.Length; i += stride)
            {
                u[i] = Quantile(u[i]);
            }

            return;
        }

        var distinct = _distinct!;
        bool isValue = _sliceIsValue;
        double size = _guideSize;
        for (int i = start; i < u.Length; i += stride)
        {
            double x = u[i];
            if (x >= 0 && x < 1)
            {
                int k = slices[(int)(x * size)];
                if (k != Mixed)
                {
                    u[i] = isValue ? k : distinct[k];
                    continue;
                }
            }

            u[i] = Searched(x);
        }
    }

    // The quantile by the guide's search, for a u no single-valued slice answers.
    private double Searched(double u)
    {
        int i = Locate(u);

        if (i >= _values.Length)
        {
            return _values[^1];
        }

        if (!_interpolate || i == 0)
        {
            return _values[i];
        }

        double c0 = _cumulative[i - 1], c1 = _cumulative[i];
        return c1 > c0 ? _values[i - 1] + (_values[i] - _values[i - 1]) * (u - c0) / (c1 - c0) : _values[i];
    }

    // The index a binary search of the whole table returns for u (the entry equal to u, else the
    // first above it), found within u's guide slice: the first entry at or above u lies between the
    // slice's guide and the next one. Only where u equals a run of equal probabilities (where which
    // of them a binary search hits depends on its probes) does it ask the binary search itself.
    private int Locate(double u)
    {
        var cumulative = _cumulative;
        if (!(u >= 0 && u < 1))
        {
            return Whole(cumulative, u);
        }

        int j = (int)(u * _guideSize);
        int i = _guide[j];
        int end = _guide[j + 1];
        while (i < end && cumulative[i] < u)
        {
            i++;
        }

        if (i < cumulative.Length && cumulative[i] == u && i + 1 < cumulative.Length && cumulative[i + 1] == u)
        {
            return Whole(cumulative, u);
        }

        return i;

        static int Whole(double[] cumulative, double u)
        {
            int k = Array.BinarySearch(cumulative, u);
            return k < 0 ? ~k : k;
        }
    }

    private static int[] BuildGuide(double[] cumulative, out int size)
    {
        // About one slice per entry (at most 2^16): a slice then holds one or two entries.
        size = 1;
        while (size < cumulative.Length && size < 1 << 16)
        {
            size <<= 1;
        }

        var guide = new int[size + 1];
        int i = 0;
        for (int j = 0; j <= size; j++)
        {
            double at = (double)j / size;
            while (i < cumulative.Length && cumulative[i] < at)
            {
                i++;
            }

            guide[j] = i;
        }

        return guide;
    }

    // A slice's draws return an entry between its guide and the next one, inclusive (the last entry
    // at most: its probability is 1): when those entries are all the same bits, that is the value,
    // named by its place among the distinct values (runs of the same bits in the sorted table).
    private static (ushort[]? Slices, double[]? Distinct) BuildSlices(double[] values, int[] guide, int size)
    {
        var place = new int[values.Length];
        var distinct = new List<double> { values[0] };
        for (int i = 1; i < values.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(values[i]) != BitConverter.DoubleToInt64Bits(values[i - 1]))
            {
                distinct.Add(values[i]);
            }

            place[i] = distinct.Count - 1;
        }

        if (distinct.Count >= Mixed)
        {
            return (null, null);
        }

        var slices = new ushort[size];
        for (int j = 0; j < size; j++)
        {
            int first = Math.Min(guide[j], values.Length - 1);
            int last = Math.Min(guide[j + 1], values.Length - 1);
            slices[j] = place[first] == place[last] ? (ushort)place[first] : Mixed;
        }

        return (slices, [.. distinct]);
    }

    /// <summary>Draws a value.</summary>
    public double Sample(RandomStream rng) => Quantile(rng.NextDouble());
}
