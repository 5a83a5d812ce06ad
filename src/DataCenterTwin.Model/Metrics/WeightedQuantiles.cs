namespace DataCenterTwin.Model.Metrics;

/// <summary>
/// Quantiles of a weighted sample in log-spaced bins (1% relative width, 10 µs to 100 000 s): for
/// fluid-level latencies, where each value stands for many requests.
/// <para>
/// A <see cref="WeightedPattern"/> (values already in these bins) can be added many times with a
/// multiplier: the multipliers of a pattern are summed and the pattern is poured into the bins once,
/// when it is retired (<see cref="Settle(WeightedPattern)"/>) or when anything is read. A fluid hall
/// whose inputs hold for an hour adds the same distribution sixty times; it costs one addition each.
/// </para>
/// </summary>
public sealed class WeightedQuantiles
{
    internal const double Min = 1e-5;
    private const double Growth = 1.02;
    private static readonly double LogGrowth = Math.Log(Growth);

    /// <summary>Number of bins: the zero bin, the log-spaced ones, the top bin.</summary>
    internal static readonly int BinCount = (int)Math.Ceiling(Math.Log(1e5 / Min) / Math.Log(Growth)) + 2;

    // Patterns added but not yet poured into the bins, with their summed multipliers and the
    // pattern's version when first added (a pattern changed while pending is a caller's bug).
    private const int PendingSlots = 8;
    private readonly WeightedPattern?[] _pending = new WeightedPattern?[PendingSlots];
    private readonly double[] _pendingMultiplier = new double[PendingSlots];
    private readonly int[] _pendingVersion = new int[PendingSlots];
    private int _pendingCount;

    private readonly double[] _weights = new double[BinCount];
    private double _sum;
    private double _weight;

    /// <summary>Total weight added.</summary>
    public double Weight
    {
        get
        {
            SettleAll();
            return _weight;
        }
    }

    /// <summary>The weighted mean.</summary>
    public double Mean
    {
        get
        {
            SettleAll();
            return _weight > 0 ? _sum / _weight : double.NaN;
        }
    }

    /// <summary>The bin that holds <paramref name="value"/> (not NaN).</summary>
    internal static int BinOf(double value) =>
        value <= Min ? 0 : Math.Min(BinCount - 1, 1 + (int)(Math.Log(value / Min) / LogGrowth));

    /// <summary>Adds a value standing for <paramref name="weight"/> observations.</summary>
    public void Add(double value, double weight)
    {
        if (!(weight > 0) || double.IsNaN(value))
        {
            return;
        }

        _weights[BinOf(value)] += weight;
        _sum += value * weight;
        _weight += weight;
    }

    /// <summary>
    /// Adds every value of <paramref name="pattern"/> with its weight times <paramref name="multiplier"/>
    /// (nothing when the multiplier is not positive). The pattern must not change until it is settled
    /// here (<see cref="Settle(WeightedPattern)"/>); reading this sketch settles it too.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pattern changed while it was pending here.</exception>
    public void Add(WeightedPattern pattern, double multiplier)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!(multiplier > 0) || pattern.Count == 0)
        {
            return;
        }

        for (int i = 0; i < _pendingCount; i++)
        {
            if (ReferenceEquals(_pending[i], pattern))
            {
                CheckVersion(i);
                _pendingMultiplier[i] += multiplier;
                return;
            }
        }

        if (_pendingCount == PendingSlots)
        {
            SettleAll();
        }

        _pending[_pendingCount] = pattern;
        _pendingMultiplier[_pendingCount] = multiplier;
        _pendingVersion[_pendingCount] = pattern.Version;
        _pendingCount++;
    }

    /// <summary>Pours <paramref name="pattern"/>'s pending multiplier into the bins, if it has one here; then the pattern may change.</summary>
    /// <exception cref="InvalidOperationException">The pattern changed while it was pending here.</exception>
    public void Settle(WeightedPattern pattern)
    {
        for (int i = 0; i < _pendingCount; i++)
        {
            if (ReferenceEquals(_pending[i], pattern))
            {
                Pour(i);
                _pendingCount--;
                _pending[i] = _pending[_pendingCount];
                _pendingMultiplier[i] = _pendingMultiplier[_pendingCount];
                _pendingVersion[i] = _pendingVersion[_pendingCount];
                _pending[_pendingCount] = null;
                return;
            }
        }
    }

    /// <summary>Adds every observation of <paramref name="other"/> (the same bins, so the merge is exact).</summary>
    public void Merge(WeightedQuantiles other)
    {
        ArgumentNullException.ThrowIfNull(other);
        SettleAll();
        other.SettleAll();
        for (int i = 0; i < _weights.Length; i++)
        {
            _weights[i] += other._weights[i];
        }

        _sum += other._sum;
        _weight += other._weight;
    }

    /// <summary>The value below which a share <paramref name="q"/> of the weight lies (bin midpoint); NaN when empty.</summary>
    public double Quantile(double q)
    {
        SettleAll();
        if (_weight <= 0)
        {
            return double.NaN;
        }

        double target = q * _weight, acc = 0;
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

    private void SettleAll()
    {
        for (int i = 0; i < _pendingCount; i++)
        {
            Pour(i);
            _pending[i] = null;
        }

        _pendingCount = 0;
    }

    private void Pour(int slot)
    {
        CheckVersion(slot);
        var p = _pending[slot]!;
        double m = _pendingMultiplier[slot];
        // Over spans of the pattern's count: only the bin's place in the weights is checked, not
        // every read of the pattern (those checks were a fifth of pouring in a sampled two-year run).
        var bins = p.Bins.AsSpan(0, p.Count);
        var weights = p.Weights.AsSpan(0, bins.Length);
        var into = _weights.AsSpan();
        for (int i = 0; i < bins.Length; i++)
        {
            into[bins[i]] += weights[i] * m;
        }

        _sum += p.WeightedSum * m;
        _weight += p.Weight * m;
    }

    private void CheckVersion(int slot)
    {
        if (_pending[slot]!.Version != _pendingVersion[slot])
        {
            throw new InvalidOperationException("A weighted pattern changed while it was pending in a quantile sketch; settle it first.");
        }
    }
}
