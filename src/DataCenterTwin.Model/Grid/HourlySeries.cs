namespace DataCenterTwin.Model.Grid;

/// <summary>
/// A value per hour of a year (8,760 values, or 24 for a daily profile), looping: prices, carbon
/// intensity. Each value holds for its whole hour (step, as markets settle hourly).
/// </summary>
public sealed class HourlySeries
{
    private readonly double[] _values;

    /// <summary>Creates a series; 24 values repeat every day, more repeat every <c>values.Length</c> hours.</summary>
    /// <exception cref="ArgumentException">Empty, or a value is not finite.</exception>
    public HourlySeries(double[] values)
    {
        if (values.Length == 0 || Array.Exists(values, v => !double.IsFinite(v)))
        {
            throw new ArgumentException("An hourly series needs at least one finite value per hour.", nameof(values));
        }

        _values = (double[])values.Clone();
    }

    /// <summary>A series with one value at every hour.</summary>
    public static HourlySeries Constant(double value) => new([value]);

    /// <summary>The number of hours before the series repeats.</summary>
    public int Hours => _values.Length;

    /// <summary>The mean over one repetition.</summary>
    public double Mean => _values.Average();

    /// <summary>The value at an hour of the year (fractional hours fall in their hour).</summary>
    public double At(double hourOfYear)
    {
        long hour = (long)Math.Floor(hourOfYear);
        int i = (int)(((hour % _values.Length) + _values.Length) % _values.Length);
        return _values[i];
    }
}
