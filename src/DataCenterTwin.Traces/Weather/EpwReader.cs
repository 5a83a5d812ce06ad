using System.Globalization;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Traces.Weather;

/// <summary>An EPW file's site and hourly fields the twin uses.</summary>
/// <param name="City">LOCATION city field.</param>
/// <param name="LatitudeDeg">Latitude, degrees north.</param>
/// <param name="LongitudeDeg">Longitude, degrees east.</param>
/// <param name="TimeZoneHours">Standard time zone, hours from UTC.</param>
/// <param name="DryBulbC">Dry-bulb per hour, °C.</param>
/// <param name="DewPointC">Dew point per hour, °C.</param>
/// <param name="RelativeHumidityPercent">Relative humidity per hour, %.</param>
/// <param name="PressurePa">Station pressure per hour, Pa.</param>
public sealed record EpwWeather(string City, double LatitudeDeg, double LongitudeDeg, double TimeZoneHours,
    double[] DryBulbC, double[] DewPointC, double[] RelativeHumidityPercent, double[] PressurePa)
{
    /// <summary>Hours of data.</summary>
    public int Hours => DryBulbC.Length;

    /// <summary>The weather as a looping, interpolated series (wet-bulb derived).</summary>
    public WeatherSeries ToSeries() => new(DryBulbC, DewPointC, RelativeHumidityPercent, PressurePa);
}

/// <summary>
/// Reads EnergyPlus weather (EPW) files: 8 header lines, then one comma line per hour with dry-bulb
/// (field 6), dew point (7), relative humidity (8) and station pressure (9). Missing-value codes
/// (99.9 °C, 999 %, 999999 Pa) take the previous hour's value. A malformed file is refused with
/// its line and field.
/// </summary>
public static class EpwReader
{
    private const int HeaderLines = 8;
    private const int MinFields = 10;

    /// <summary>Reads a file.</summary>
    /// <exception cref="InvalidDataException">The file is not valid EPW; the message names the line and field.</exception>
    public static EpwWeather Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads EPW text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The text is not valid EPW; the message names the line and field.</exception>
    public static EpwWeather Read(TextReader reader, string source)
    {
        string location = reader.ReadLine() ?? throw new InvalidDataException($"{source}:1: the file is empty");
        var loc = location.Split(',');
        if (loc.Length < 10 || loc[0] != "LOCATION")
        {
            throw new InvalidDataException($"{source}:1: expected a LOCATION line with 10 fields, got '{Trim(location)}'");
        }

        double lat = Number(loc[6], source, 1, "latitude");
        double lon = Number(loc[7], source, 1, "longitude");
        double tz = Number(loc[8], source, 1, "time zone");
        for (int i = 2; i <= HeaderLines; i++)
        {
            if (reader.ReadLine() is null)
            {
                throw new InvalidDataException($"{source}:{i}: the file ends inside its 8 header lines");
            }
        }

        var dry = new List<double>(8760);
        var dew = new List<double>(8760);
        var rh = new List<double>(8760);
        var p = new List<double>(8760);
        int line = HeaderLines;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var f = text.Split(',');
            if (f.Length < MinFields)
            {
                throw new InvalidDataException($"{source}:{line}: expected at least {MinFields} fields, found {f.Length}");
            }

            double month = Number(f[1], source, line, "month (field 1)");
            double hour = Number(f[3], source, line, "hour (field 3)");
            if (month is < 1 or > 12 || hour is < 1 or > 24)
            {
                throw new InvalidDataException($"{source}:{line}: field 'month'/'hour' (1, 3): out of range ({f[1]}, {f[3]})");
            }

            dry.Add(Value(f[6], source, line, "dry-bulb (field 6)", -70, 70, 99.9, dry));
            dew.Add(Value(f[7], source, line, "dew point (field 7)", -70, 70, 99.9, dew));
            rh.Add(Value(f[8], source, line, "relative humidity (field 8)", 0, 110, 999, rh));
            p.Add(Value(f[9], source, line, "station pressure (field 9)", 31_000, 120_000, 999_999, p));
        }

        if (dry.Count == 0)
        {
            throw new InvalidDataException($"{source}:{line}: no hourly data after the header");
        }

        return new EpwWeather(loc[1], lat, lon, tz, [.. dry], [.. dew], [.. rh], [.. p]);
    }

    private static double Value(string raw, string source, int line, string field, double min, double max, double missing, List<double> previous)
    {
        double v = Number(raw, source, line, field);
        if (v == missing)
        {
            if (previous.Count == 0)
            {
                throw new InvalidDataException($"{source}:{line}: field '{field}': missing ({raw}) in the first hour");
            }

            return previous[^1];
        }

        if (v < min || v > max)
        {
            throw new InvalidDataException($"{source}:{line}: field '{field}': {raw} is outside {min}..{max}");
        }

        return v;
    }

    private static double Number(string raw, string source, int line, string field) =>
        double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new InvalidDataException($"{source}:{line}: field '{field}': expected a number, got '{raw}'");

    private static string Trim(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
