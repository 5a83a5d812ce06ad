using System.Globalization;
using DataCenterTwin.Scenarios.Units;
using Parquet;
using Parquet.Schema;

namespace DataCenterTwin.Calibration.Twin;

/// <summary>A telemetry file that cannot be used as it is: what is wrong, and where (file, row, column).</summary>
public sealed class TelemetryException(string message) : Exception(message);

/// <summary>One observed series, read and checked: its rows in time order, in the twin's SI unit.</summary>
/// <param name="Spec">What it is.</param>
/// <param name="TimesUtc">Each kept row's time (UTC), strictly increasing.</param>
/// <param name="Values">Each kept row's value in the twin's unit.</param>
/// <param name="Gaps">Intervals missing between the first and last row (skipped, not filled).</param>
/// <param name="MissingValues">Rows whose value was empty or NaN (skipped).</param>
public sealed record ObservedSeries(ObservationSpec Spec, DateTime[] TimesUtc, double[] Values, int Gaps, int MissingValues)
{
    /// <summary>The smallest spacing between the file's rows for this series, rows without a value included, s (NaN with one row).</summary>
    public double SpacingS { get; init; } = double.NaN;

    /// <summary>The twin's unit for the series.</summary>
    public string Unit => TwinSeries.Unit(Spec.Dataset, Spec.Column);
}

/// <summary>
/// Reads observed series from telemetry files: Parquet in the twin's own schema (facility, racks,
/// plant, as a run folder holds them) or any Parquet or CSV file with the columns mapped in the
/// calibration file. Rows must be in time order with one row per time (per rack or equipment):
/// duplicated or out-of-order times are errors naming the row. Missing intervals (gaps) and empty
/// values are skipped and counted, never filled. A unit that is not of the twin column's kind is an
/// error; one of the same kind ("kW" for "W") is converted.
/// </summary>
public static class Telemetry
{
    /// <summary>Reads every series of <paramref name="observations"/>.</summary>
    /// <exception cref="TelemetryException">A file, column, row or unit is not usable.</exception>
    public static IReadOnlyList<ObservedSeries> Read(IReadOnlyList<ObservationSpec> observations)
    {
        var result = new List<ObservedSeries>();
        foreach (var o in observations)
        {
            var table = o.File.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsv(o.File) : ReadParquet(o.File);
            result.Add(Series(o, table));
        }

        return result;
    }

    /// <summary>The common interval of the series: the smallest spacing, of which every spacing must be a multiple.</summary>
    public static double IntervalS(IReadOnlyList<ObservedSeries> series)
    {
        double dt = double.PositiveInfinity;
        foreach (var s in series)
        {
            if (s.SpacingS > 0)
            {
                dt = Math.Min(dt, s.SpacingS);
            }

            for (int i = 1; i < s.TimesUtc.Length; i++)
            {
                dt = Math.Min(dt, (s.TimesUtc[i] - s.TimesUtc[i - 1]).TotalSeconds);
            }
        }

        if (!double.IsFinite(dt))
        {
            throw new TelemetryException("the telemetry has fewer than two rows per series: no interval to compare at");
        }

        foreach (var s in series)
        {
            for (int i = 1; i < s.TimesUtc.Length; i++)
            {
                double step = (s.TimesUtc[i] - s.TimesUtc[i - 1]).TotalSeconds;
                if (Math.Abs(step / dt - Math.Round(step / dt)) > 1e-6)
                {
                    throw new TelemetryException($"{Path.GetFileName(s.Spec.File)}: {s.Spec.Name}: the step to {Stamp(s.TimesUtc[i])} is {step} s, not a multiple of the telemetry's interval {dt} s");
                }
            }
        }

        return dt;
    }

    private sealed class Table(string file, Dictionary<string, object?[]> columns, Dictionary<string, string> units, int rows)
    {
        public string File { get; } = file;

        public Dictionary<string, object?[]> Columns { get; } = columns;

        public Dictionary<string, string> Units { get; } = units;

        public int Rows { get; } = rows;

        public object?[] Column(string name, string role) => Columns.TryGetValue(name, out var c)
            ? c
            : throw new TelemetryException($"{Path.GetFileName(File)}: no column \"{name}\" ({role}); the file has {string.Join(", ", Columns.Keys)}");
    }

    private static ObservedSeries Series(ObservationSpec o, Table table)
    {
        string file = Path.GetFileName(o.File);
        var time = table.Column(o.TimeColumn, "the time column");
        var value = table.Column(o.SourceColumn, $"the values of {o.Name}");
        object?[]? selector = o.Rack is not null ? table.Column("rack", "the rack index") : o.Equipment is not null ? table.Column("unit", "the equipment name") : null;
        string twinUnit = TwinSeries.Unit(o.Dataset, o.Column);
        string fileUnit = table.Units.GetValueOrDefault(o.SourceColumn) ?? "";
        if (o.SourceUnit is not null && fileUnit.Length > 0 && o.SourceUnit != fileUnit)
        {
            throw new TelemetryException($"{file}: column {o.SourceColumn}: the calibration file says its unit is {o.SourceUnit}, the file's metadata says {fileUnit}");
        }

        var (scale, offset) = Conversion(o.SourceUnit ?? (fileUnit.Length > 0 ? fileUnit : twinUnit), twinUnit, file, o);
        var times = new List<DateTime>();
        var values = new List<double>();
        int missing = 0;
        for (int row = 0; row < table.Rows; row++)
        {
            if (selector is not null && !Selected(selector[row], o))
            {
                continue;
            }

            var t = AsTime(time[row]) ?? throw new TelemetryException($"{file}: row {row + 1}: column {o.TimeColumn}: \"{time[row]}\" is not a time");
            if (times.Count > 0 && t <= times[^1])
            {
                throw new TelemetryException(t == times[^1]
                    ? $"{file}: row {row + 1}: {o.Name}: the time {Stamp(t)} is duplicated"
                    : $"{file}: row {row + 1}: {o.Name}: the time {Stamp(t)} is before the row above's {Stamp(times[^1])} (rows must be in time order)");
            }

            double? v = AsNumber(value[row]);
            if (v is null && value[row] is string text && text.Trim().Length > 0)
            {
                throw new TelemetryException($"{file}: row {row + 1}: column {o.SourceColumn}: \"{text}\" is not a number");
            }

            if (v is not { } x || double.IsNaN(x))
            {
                missing++;
                times.Add(t);
                values.Add(double.NaN);
                continue;
            }

            times.Add(t);
            values.Add(x * scale + offset);
        }

        // Kept rows only; the spacing of all rows (missing values included) finds the gaps.
        var keptTimes = new List<DateTime>();
        var keptValues = new List<double>();
        for (int i = 0; i < times.Count; i++)
        {
            if (!double.IsNaN(values[i]))
            {
                keptTimes.Add(times[i]);
                keptValues.Add(values[i]);
            }
        }

        if (keptTimes.Count == 0)
        {
            throw new TelemetryException($"{file}: {o.Name}: no row with a value" + (o.Rack is { } r ? $" for rack {r}" : o.Equipment is { } e ? $" for equipment \"{e}\"" : ""));
        }

        int gaps = 0;
        double dt = double.NaN;
        if (times.Count > 1)
        {
            dt = double.PositiveInfinity;
            for (int i = 1; i < times.Count; i++)
            {
                dt = Math.Min(dt, (times[i] - times[i - 1]).TotalSeconds);
            }

            for (int i = 1; i < times.Count; i++)
            {
                gaps += (int)Math.Round((times[i] - times[i - 1]).TotalSeconds / dt) - 1;
            }
        }

        return new ObservedSeries(o, [.. keptTimes], [.. keptValues], gaps, missing) { SpacingS = dt };
    }

    private static bool Selected(object? key, ObservationSpec o) => o.Rack is { } rack
        ? AsNumber(key) is { } k && (int)k == rack
        : string.Equals(key?.ToString(), o.Equipment, StringComparison.Ordinal);

    // value_twin = value_file · scale + offset, from the scenario unit table (so "kW", "MW", "F" work as in scenarios).
    private static (double Scale, double Offset) Conversion(string unit, string twinUnit, string file, ObservationSpec o)
    {
        if (unit == twinUnit || (twinUnit == "1" && unit is "" or "1"))
        {
            return (1, 0);
        }

        var dimension = twinUnit == "°C" ? Dimension.Temperature : CalibrationSpec.DimensionOf(twinUnit);
        if (Quantity.TryParse("0 " + unit, dimension, out double zero, out _) && Quantity.TryParse("1 " + unit, dimension, out double one, out _))
        {
            return (one - zero, zero);
        }

        throw new TelemetryException($"{file}: column {o.SourceColumn}: unit mismatch: it is in \"{unit}\", but {o.Column} is {DimensionWords(dimension)} in {twinUnit}");
    }

    private static string DimensionWords(Dimension d) => d switch
    {
        Dimension.Power => "a power",
        Dimension.Temperature => "a temperature",
        Dimension.MassFlow => "a mass flow",
        _ => "a ratio",
    };

    private static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";

    private static DateTime? AsTime(object? v) => v switch
    {
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        DateTimeOffset t => t.UtcDateTime,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => t.UtcDateTime,
        _ => null,
    };

    private static double? AsNumber(object? v) => v switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        decimal m => (double)m,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        _ => null,
    };

    private static Table ReadParquet(string path)
    {
        string name = Path.GetFileName(path);
        using var stream = File.OpenRead(path);
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new TelemetryException($"{name}: not a readable Parquet file: {ex.Message}");
        }

        try
        {
            var fields = reader.Schema.GetDataFields();
            var columns = fields.ToDictionary(f => f.Name, _ => new List<object?>(), StringComparer.Ordinal);
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                foreach (var f in fields)
                {
                    columns[f.Name].AddRange(ReadColumn(group, f));
                }
            }

            // The twin's files list every column as name[unit]: description (SCHEMA.md, file metadata).
            var units = new Dictionary<string, string>(StringComparer.Ordinal);
            if (reader.CustomMetadata.TryGetValue("columns", out string? list))
            {
                foreach (string entry in list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    int open = entry.IndexOf('['), close = entry.IndexOf(']');
                    if (open > 0 && close > open)
                    {
                        units[entry[..open].Trim()] = entry[(open + 1)..close];
                    }
                }
            }

            int rows = columns.Count == 0 ? 0 : columns.Values.First().Count;
            return new Table(path, columns.ToDictionary(c => c.Key, c => c.Value.ToArray(), StringComparer.Ordinal), units, rows);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // Boxed values, nulls included: loading is not a hot path.
    private static object?[] ReadColumn(ParquetRowGroupReader group, DataField field)
    {
        int n = checked((int)group.RowCount);
        var t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var text = new string?[n];
            group.ReadAsync(field, text.AsMemory()).AsTask().GetAwaiter().GetResult();
            return text;
        }

        return t == typeof(DateTime) ? Read<DateTime>(group, field, n)
            : t == typeof(DateTimeOffset) ? Read<DateTimeOffset>(group, field, n)
            : t == typeof(double) ? Read<double>(group, field, n)
            : t == typeof(float) ? Read<float>(group, field, n)
            : t == typeof(long) ? Read<long>(group, field, n)
            : t == typeof(int) ? Read<int>(group, field, n)
            : t == typeof(bool) ? Read<bool>(group, field, n)
            : new object?[n];
    }

    private static object?[] Read<T>(ParquetRowGroupReader group, DataField field, int n)
        where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[n];
            group.ReadAsync<T>(field, nullable.AsMemory()).AsTask().GetAwaiter().GetResult();
            return [.. nullable.Select(v => (object?)v)];
        }

        var values = new T[n];
        group.ReadAsync<T>(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
        return [.. values.Select(v => (object?)v)];
    }

    private static Table ReadCsv(string path)
    {
        string name = Path.GetFileName(path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            throw new TelemetryException($"{name}: the file is empty; expected a header row");
        }

        var header = lines[0].Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        var columns = header.ToDictionary(h => h, _ => new List<object?>(), StringComparer.Ordinal);
        if (columns.Count != header.Length)
        {
            throw new TelemetryException($"{name}: row 1: a column name is repeated in the header");
        }

        int rows = 0;
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            var cells = lines[i].Split(',');
            if (cells.Length != header.Length)
            {
                throw new TelemetryException($"{name}: row {i + 1}: {cells.Length} fields, the header has {header.Length}");
            }

            for (int c = 0; c < header.Length; c++)
            {
                columns[header[c]].Add(cells[c].Trim().Trim('"'));
            }

            rows++;
        }

        return new Table(path, columns.ToDictionary(c => c.Key, c => c.Value.ToArray(), StringComparer.Ordinal), [], rows);
    }
}
