namespace DataCenterTwin.Model.Metrics;

/// <summary>
/// DDSketch's bucket of a value, ⌈ln v / ln γ⌉ + offset, found without the logarithm: the bucket
/// bounds γ^k are tabled once, a value's exponent and leading mantissa bits pick a cell of the
/// table whose first bucket is known, and a bound or two is compared. A request adds three values
/// to its class's sketches, and the logarithm and the division were most of the cost of each.
/// The answer is the formula's, bit for bit: the tabled bounds and the formula's computed
/// logarithm are each within a few units in the last place of the exact ones, so a value farther
/// than <see cref="Guard"/> (relative) from every bound falls in the same bucket both ways, and a
/// value within it (about one in ten million) is given to the formula itself.
/// </summary>
internal sealed class LogBuckets
{
    // Relative width of the band around each bound handed to the formula: far above the few 1e-15
    // that the logarithm, the division and the tabled bound can each be off, far below γ − 1.
    private const double Guard = 1e-9;

    // Cells per octave (2^CellBits): finer than the buckets (2^-CellBits < γ − 1), so a cell holds
    // at most one bound and the search from its first bucket compares once or twice.
    private readonly int _cellBits;
    private readonly long _firstCellKey;
    private readonly int[] _cellBucket;   // per cell: the bucket of its lowest value (or one below)
    private readonly double[] _upper;     // per bucket k: γ^(k − offset), its upper bound
    private readonly double[] _inLow;     // per bucket: above this and below _inHigh the table's answer is sure
    private readonly double[] _inHigh;
    private readonly double _logGamma;
    private readonly int _offset;
    private readonly int _lastBucket;

    public LogBuckets(double logGamma, int offset, int buckets, double minValue, double maxValue)
    {
        _logGamma = logGamma;
        _offset = offset;
        _lastBucket = buckets - 1;
        _upper = new double[buckets];
        _inLow = new double[buckets];
        _inHigh = new double[buckets];
        for (int k = 0; k < buckets; k++)
        {
            _upper[k] = Math.Exp((k - offset) * logGamma);
        }

        for (int k = 0; k < buckets; k++)
        {
            _inLow[k] = k == 0 ? double.PositiveInfinity : _upper[k - 1] * (1 + Guard);
            // The top bucket also holds everything above MaxValue (the formula's index is clamped):
            // the formula answers there.
            _inHigh[k] = k == _lastBucket ? double.NegativeInfinity : _upper[k] * (1 - Guard);
        }

        _cellBits = 1;
        while (Math.Pow(2, -_cellBits) >= Math.Exp(logGamma) - 1)
        {
            _cellBits++;
        }

        _firstCellKey = CellKey(minValue);
        long lastCellKey = CellKey(maxValue);
        _cellBucket = new int[lastCellKey - _firstCellKey + 1];
        for (long key = _firstCellKey; key <= lastCellKey; key++)
        {
            // The cell's lowest value; one bucket below the formula's, so the search only rises.
            double low = BitConverter.Int64BitsToDouble(key << (52 - _cellBits));
            _cellBucket[key - _firstCellKey] = Math.Clamp(FormulaBucket(low) - 1, 0, _lastBucket);
        }
    }

    /// <summary>The bucket of <paramref name="value"/> (above the sketch's smallest value), as the formula gives it.</summary>
    public int BucketOf(double value)
    {
        long cell = CellKey(value) - _firstCellKey;
        var cells = _cellBucket;
        if ((ulong)cell < (ulong)cells.Length)
        {
            int k = cells[cell];
            var upper = _upper;
            while (k < _lastBucket && value > upper[k])
            {
                k++;
            }

            if (value > _inLow[k] && value < _inHigh[k])
            {
                return k;
            }
        }

        return FormulaBucket(value);
    }

    /// <summary>DDSketch's formula: ⌈ln v / ln γ⌉ + offset, clamped to the buckets.</summary>
    public int FormulaBucket(double value) => Math.Min((int)Math.Ceiling(Math.Log(value) / _logGamma) + _offset, _lastBucket);

    /// <summary>The tabled upper bound of bucket <paramref name="k"/>, γ^(k − offset). For tests.</summary>
    public double UpperBound(int k) => _upper[k];

    // The exponent and the leading mantissa bits: for positive doubles, rising with the value.
    private long CellKey(double value) => BitConverter.DoubleToInt64Bits(value) >> (52 - _cellBits);
}
