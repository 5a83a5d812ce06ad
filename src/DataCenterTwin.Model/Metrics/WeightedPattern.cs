namespace DataCenterTwin.Model.Metrics;

/// <summary>
/// Weighted values already placed in the bins of <see cref="WeightedQuantiles"/>, recorded once and
/// added to a sketch many times with a multiplier (<see cref="WeightedQuantiles.Add(WeightedPattern, double)"/>):
/// the latency distribution of one fluid step, which the next steps repeat while their inputs hold.
/// Consecutive values in the same bin share one entry. The storage grows while it is first filled,
/// then is reused.
/// </summary>
public sealed class WeightedPattern
{
    private int[] _bins = new int[64];
    private double[] _weights = new double[64];

    /// <summary>Entries (bins, not values: consecutive values in one bin share an entry).</summary>
    public int Count { get; private set; }

    /// <summary>Total weight of the values.</summary>
    public double Weight { get; private set; }

    /// <summary>Sum of value times weight, for the exact mean.</summary>
    public double WeightedSum { get; private set; }

    /// <summary>Counts every change, so a sketch can tell a pattern that changed while it was pending.</summary>
    internal int Version { get; private set; }

    internal int[] Bins => _bins;

    internal double[] Weights => _weights;

    /// <summary>Adds a value standing for <paramref name="weight"/> observations (skipped, as in the sketch, when the weight is not positive or the value is NaN).</summary>
    public void Add(double value, double weight)
    {
        if (!(weight > 0) || double.IsNaN(value))
        {
            return;
        }

        Version++;
        int bin = WeightedQuantiles.BinOf(value);
        if (Count > 0 && _bins[Count - 1] == bin)
        {
            _weights[Count - 1] += weight;
        }
        else
        {
            if (Count == _bins.Length)
            {
                Array.Resize(ref _bins, 2 * Count);
                Array.Resize(ref _weights, 2 * Count);
            }

            _bins[Count] = bin;
            _weights[Count] = weight;
            Count++;
        }

        WeightedSum += value * weight;
        Weight += weight;
    }

    /// <summary>
    /// Makes this pattern hold what <paramref name="source"/> holds, entry for entry and bit for bit
    /// (its totals as they were summed, not summed again): a recorded distribution kept and replayed.
    /// </summary>
    public void CopyFrom(WeightedPattern source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Version++;
        if (_bins.Length < source.Count)
        {
            _bins = new int[source.Count];
            _weights = new double[source.Count];
        }

        Array.Copy(source._bins, _bins, source.Count);
        Array.Copy(source._weights, _weights, source.Count);
        Count = source.Count;
        Weight = source.Weight;
        WeightedSum = source.WeightedSum;
    }

    /// <summary>Empties the pattern, keeping its storage.</summary>
    public void Clear()
    {
        Version++;
        Count = 0;
        Weight = 0;
        WeightedSum = 0;
    }
}
