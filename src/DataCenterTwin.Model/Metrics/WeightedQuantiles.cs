namespace DataCenterTwin.Model.Metrics;

/// <summary>
/// Quantiles of a weighted sample in log-spaced bins (1% relative width, 10 µs to 100 000 s): for
/// fluid-level latencies, where each value stands for many requests.
/// </summary>
public sealed class WeightedQuantiles
{
    private const double Min = 1e-5;
    private const double Growth = 1.02;
    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly double[] _weights = new double[(int)Math.Ceiling(Math.Log(1e5 / Min) / Math.Log(Growth)) + 2];
    private double _sum;

    /// <summary>Total weight added.</summary>
    public double Weight { get; private set; }

    /// <summary>The weighted mean.</summary>
    public double Mean => Weight > 0 ? _sum / Weight : double.NaN;

    /// <summary>Adds a value standing for <paramref name="weight"/> observations.</summary>
    public void Add(double value, double weight)
    {
        if (!(weight > 0) || double.IsNaN(value))
        {
            return;
        }

        int i = value <= Min ? 0 : Math.Min(_weights.Length - 1, 1 + (int)(Math.Log(value / Min) / LogGrowth));
        _weights[i] += weight;
        _sum += value * weight;
        Weight += weight;
    }

    /// <summary>Adds every observation of <paramref name="other"/> (the same bins, so the merge is exact).</summary>
    public void Merge(WeightedQuantiles other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _weights.Length; i++)
        {
            _weights[i] += other._weights[i];
        }

        _sum += other._sum;
        Weight += other.Weight;
    }

    /// <summary>The value below which a share <paramref name="q"/> of the weight lies (bin midpoint); NaN when empty.</summary>
    public double Quantile(double q)
    {
        if (Weight <= 0)
        {
            return double.NaN;
        }

        double target = q * Weight, acc = 0;
        for (int i = 0; i < _weights.Length; i++)
        {
            acc += _weights[i];
            if (acc >= target && _weights[i] > 0)
            {
                return i == 0 ? Min : Min * Math.Pow(Growth, i - 0.5);
            }
        }

        return Min * Math.Pow(Growth, _weights.Length - 1);
    }
}
