using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Grid;

/// <summary>
/// Hourly outdoor weather (an EPW typical year, or any number of hours), linearly interpolated
/// between hours and looping at its end. Sample <c>i</c> is the value for the hour ending at
/// <c>(i + 1)</c> h after the start, as in EPW. Wet-bulb is derived psychrometrically per hour;
/// dry-bulb offsets (heat waves) keep the humidity ratio and recompute wet-bulb.
/// </summary>
public sealed class WeatherSeries
{
    private const double SecondsPerHour = 3600;

    private readonly double[] _dryBulbC;
    private readonly double[] _dewPointC;
    private readonly double[] _relativeHumidity;
    private readonly double[] _pressurePa;
    private readonly double[] _wetBulbC;
    private readonly List<(double StartS, double EndS, double DeltaC)> _offsets = [];

    /// <summary>Creates a series from per-hour arrays of equal length.</summary>
    /// <exception cref="ArgumentException">Empty, unequal lengths, or a value that is not finite.</exception>
    public WeatherSeries(double[] dryBulbC, double[] dewPointC, double[] relativeHumidityPercent, double[] pressurePa)
    {
        int n = dryBulbC.Length;
        if (n == 0 || dewPointC.Length != n || relativeHumidityPercent.Length != n || pressurePa.Length != n)
        {
            throw new ArgumentException("Weather needs equally long, non-empty hourly arrays.", nameof(dryBulbC));
        }

        _dryBulbC = (double[])dryBulbC.Clone();
        _dewPointC = (double[])dewPointC.Clone();
        _relativeHumidity = (double[])relativeHumidityPercent.Clone();
        _pressurePa = (double[])pressurePa.Clone();
        _wetBulbC = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(_dryBulbC[i]) || !double.IsFinite(_dewPointC[i]) || !double.IsFinite(_pressurePa[i]) || !double.IsFinite(_relativeHumidity[i]))
            {
                throw new ArgumentException($"Weather hour {i} has a value that is not finite.", nameof(dryBulbC));
            }

            _wetBulbC[i] = Psychrometrics.WetBulbFromDewPoint(_dryBulbC[i], _dewPointC[i], _pressurePa[i]);
        }
    }

    /// <summary>Weather that never changes (tests, design-day checks).</summary>
    public static WeatherSeries Constant(double dryBulbC, double dewPointC, double pressurePa = Psychrometrics.StandardPressurePa) =>
        new([dryBulbC], [dewPointC], [Psychrometrics.RelativeHumidityPercent(dryBulbC, dewPointC)], [pressurePa]);

    /// <summary>
    /// Weather years end to end (several EPW files cycled over a run of several years): hour
    /// <c>h</c> of year <c>k</c> is hour <c>k · Hours₀ + h</c>, and the whole repeats after the last.
    /// </summary>
    /// <exception cref="ArgumentException">No series, or one with offsets (heat waves go on the joined series).</exception>
    public static WeatherSeries Concatenate(IReadOnlyList<WeatherSeries> years)
    {
        if (years.Count == 0 || years.Any(y => y._offsets.Count > 0))
        {
            throw new ArgumentException("Expected at least one weather year, none with heat waves added yet.", nameof(years));
        }

        return new WeatherSeries([.. years.SelectMany(y => y._dryBulbC)], [.. years.SelectMany(y => y._dewPointC)],
            [.. years.SelectMany(y => y._relativeHumidity)], [.. years.SelectMany(y => y._pressurePa)]);
    }

    /// <summary>A copy with its own offsets, for a run that adds heat waves to a shared weather year.</summary>
    public WeatherSeries Clone()
    {
        // The hourly arrays are never written after construction, so the copy shares them: deriving
        // a year of wet-bulb again cost a calibration's forward run a fifth of its time.
        var copy = new WeatherSeries(this);
        copy._offsets.AddRange(_offsets);
        return copy;
    }

    private WeatherSeries(WeatherSeries source)
    {
        _dryBulbC = source._dryBulbC;
        _dewPointC = source._dewPointC;
        _relativeHumidity = source._relativeHumidity;
        _pressurePa = source._pressurePa;
        _wetBulbC = source._wetBulbC;
    }

    /// <summary>Hours before the series repeats.</summary>
    public int Hours => _dryBulbC.Length;

    /// <summary>Derived wet-bulb per hour, °C (read-only view).</summary>
    public ReadOnlySpan<double> HourlyWetBulbC => _wetBulbC;

    /// <summary>Adds <paramref name="deltaC"/> to the dry-bulb between two instants (a heat wave); the humidity ratio is kept.</summary>
    public void AddDryBulbOffset(double startS, double endS, double deltaC)
    {
        if (!(endS > startS) || !double.IsFinite(deltaC))
        {
            throw new ArgumentException("A dry-bulb offset needs start < end and a finite delta.", nameof(endS));
        }

        _offsets.Add((startS, endS, deltaC));
    }

    /// <summary>The weather at a simulated instant.</summary>
    public WeatherConditions At(SimTime t) => At(t.TotalSeconds);

    /// <summary>The weather at <paramref name="seconds"/> after the start of the series.</summary>
    public WeatherConditions At(double seconds)
    {
        int n = _dryBulbC.Length;
        double x = (seconds / SecondsPerHour) - 1;
        double floor = Math.Floor(x);
        double f = x - floor;
        int i0 = (int)((((long)floor % n) + n) % n);
        int i1 = i0 + 1 == n ? 0 : i0 + 1;
        double dry = Lerp(_dryBulbC, i0, i1, f);
        double dew = Lerp(_dewPointC, i0, i1, f);
        double rh = Lerp(_relativeHumidity, i0, i1, f);
        double p = Lerp(_pressurePa, i0, i1, f);
        double wet = Lerp(_wetBulbC, i0, i1, f);
        double offset = 0;
        foreach (var (startS, endS, deltaC) in _offsets)
        {
            if (seconds >= startS && seconds < endS)
            {
                offset += deltaC;
            }
        }

        if (offset != 0)
        {
            dry += offset;
            dew = Math.Min(dew, dry);
            rh = Psychrometrics.RelativeHumidityPercent(dry, dew);
            wet = Psychrometrics.WetBulbFromDewPoint(dry, dew, p);
        }

        return new WeatherConditions(dry, dew, rh, p, wet);
    }

    private static double Lerp(double[] v, int i0, int i1, double f) => v[i0] + ((v[i1] - v[i0]) * f);
}
