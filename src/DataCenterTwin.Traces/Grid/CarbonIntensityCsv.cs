using System.Globalization;

namespace DataCenterTwin.Traces.Grid;

/// <summary>
/// Reads an hourly carbon-intensity CSV with a <c>timestamp</c> column (UTC, ISO 8601) and an
/// intensity column in gCO2/kWh (PJM/EIA-930 files as SustainDC publishes them). Blank hours take
/// the last value before them. Returns one value per hour of the year in local standard time, kg/J.
/// </summary>
public static class CarbonIntensityCsv
{
    private const double GramsPerKWhToKgPerJ = 1e-3 / 3.6e6;

    /// <summary>Reads the file; throws <see cref="InvalidDataException"/> naming the line and field of a bad row.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="utcOffsetHours">The site's standard-time offset from UTC (−5 for Virginia).</param>
    /// <param name="column">The intensity column's name.</param>
    public static double[] Read(string path, double utcOffsetHours, string column = "avg_CI")
    {
        using var reader = new StreamReader(path);
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{path}: the file is empty");
        var names = header.Split(',');
        int timeIndex = Array.IndexOf(names, "timestamp");
        int valueIndex = Array.IndexOf(names, column);
        if (timeIndex < 0 || valueIndex < 0)
        {
            throw new InvalidDataException($"{path}:1: expected columns 'timestamp' and '{column}', found {header}");
        }

        var byHour = new SortedDictionary<int, double?>();
        int line = 1;
        int? year = null;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var fields = text.Split(',');
            if (fields.Length != names.Length)
            {
                throw new InvalidDataException($"{path}:{line}: expected {names.Length} fields, found {fields.Length}");
            }

            if (!DateTimeOffset.TryParse(fields[timeIndex], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var utc))
            {
                throw new InvalidDataException($"{path}:{line}: field 'timestamp': expected an ISO 8601 time, got '{fields[timeIndex]}'");
            }

            var local = utc.UtcDateTime.AddHours(utcOffsetHours);
            year ??= utc.UtcDateTime.Year;
            int hour = (int)Math.Floor((local - new DateTime(year.Value, 1, 1)).TotalHours);
            hour = ((hour % 8760) + 8760) % 8760;
            string raw = fields[valueIndex].Trim();
            if (raw.Length == 0)
            {
                byHour.TryAdd(hour, null);
                continue;
            }

            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double g) || !double.IsFinite(g) || g < 0)
            {
                throw new InvalidDataException($"{path}:{line}: field '{column}': expected a non-negative intensity in g/kWh, got '{raw}'");
            }

            byHour[hour] = g;
        }

        if (!byHour.Values.Any(v => v.HasValue))
        {
            throw new InvalidDataException($"{path}: no hour has a value");
        }

        var result = new double[8760];
        double last = byHour.Values.First(v => v.HasValue)!.Value;
        for (int h = 0; h < 8760; h++)
        {
            if (byHour.TryGetValue(h, out var v) && v.HasValue)
            {
                last = v.Value;
            }

            result[h] = last * GramsPerKWhToKgPerJ;
        }

        return result;
    }
}
