namespace DataCenterTwin.Model.Metrics;

/// <summary>
/// A mergeable quantile sketch with relative accuracy (DDSketch, Masson, Rim and Lee, VLDB 2019):
/// positive values fall in logarithmic buckets of ratio γ = (1 + α)/(1 − α), so any quantile is
/// returned within a relative error α. The buckets are one fixed array (values from
/// <see cref="MinValue"/> to <see cref="MaxValue"/>; smaller values count in a zero bucket, larger
/// ones in the top bucket), so adding a value never allocates and memory does not grow with the count.
/// </summary>
public sealed class QuantileSketch
{
    /// <summary>The smallest value resolved; smaller values (and zero) count as zero. 1 µs in seconds.</summary>
    public const double MinValue = 1e-6;

    /// <summary>The largest value resolved; larger values count in the top bucket. About 11.6 days in seconds.</summary>
    public const double MaxValue = 1e6;

    private readonly long[] _counts;
    private readonly double _logGamma;
    private readonly double _gamma;
    private readonly int _offset;
    private long _zeroCount;
    private double _sum;

    /// <summary>Creates an empty sketch with relative accuracy <paramref name="relativeAccuracy"/> (0.01 = 1 %).</summary>
    public QuantileSketch(double relativeAccuracy = 0.01)
    {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "Expected 0 < α < 0.5.");
        }

        RelativeAccuracy = relativeAccuracy;
        _gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        _logGamma = Math.Log(_gamma);
        _offset = -(int)Math.Ceiling(Math.Log(MinValue) / _logGamma);
        int top = (int)Math.Ceiling(Math.Log(MaxValue) / _logGamma);
        _counts = new long[top + _offset + 1];
    }

    /// <summary>The relative accuracy α of every quantile.</summary>
    public double RelativeAccuracy { get; }

    /// <summary>Values added.</summary>
    public long Count { get; private set; }

    /// <summary>Mean of the values added (exact, not from the buckets).</summary>
    public double Mean => Count == 0 ? 0 : _sum / Count;

    /// <summary>Adds a value (negative values count as zero).</summary>
    public void Add(double value)
    {
        Count++;
        _sum += value;
        if (!(value > MinValue))
        {
            _zeroCount++;
            return;
        }

        int index = (int)Math.Ceiling(Math.Log(value) / _logGamma) + _offset;
        _counts[Math.Min(index, _counts.Length - 1)]++;
    }

    /// <summary>The value at quantile <paramref name="q"/> in [0, 1], within the relative accuracy; 0 when empty.</summary>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = (long)Math.Floor(Math.Clamp(q, 0, 1) * (Count - 1));
        if (rank < _zeroCount)
        {
            return 0;
        }

        long seen = _zeroCount;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen > rank)
            {
                // The bucket (γ^(k−1), γ^k] is represented by 2γ^k/(γ + 1), within α of every value in it.
                return 2 * Math.Exp((i - _offset) * _logGamma) / (_gamma + 1);
            }
        }

        return MaxValue;
    }

    /// <summary>Empties the sketch.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        _zeroCount = 0;
        _sum = 0;
        Count = 0;
    }

    /// <summary>Adds another sketch's counts to this one; both must have the same accuracy.</summary>
    /// <exception cref="ArgumentException">The accuracies differ.</exception>
    public void Merge(QuantileSketch other)
    {
        if (other.RelativeAccuracy != RelativeAccuracy)
        {
            throw new ArgumentException("Only sketches of the same accuracy merge.", nameof(other));
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        _zeroCount += other._zeroCount;
        _sum += other._sum;
        Count += other.Count;
    }
}
