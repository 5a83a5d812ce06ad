using Parquet;
using Parquet.Schema;

namespace DataCenterTwin.Traces.Weather;

/// <summary>
/// Writes EPW weather as Parquet (<c>dctwin convert weather</c>), so a study can join the weather a
/// run saw with its traces in DuckDB or pandas without an EPW parser. One row per hour of the file,
/// in SI units (relative humidity as a fraction); the site goes in the file metadata.
/// </summary>
public static class EpwParquet
{
    /// <summary>The columns: name, unit, meaning (SCHEMA.md documents the same list).</summary>
    public static readonly (string Name, string Unit, string Description)[] Columns =
    [
        ("hour_of_year", "h", "Hour of the file from 0, local standard time (EPW hour 1 is hour 0)."),
        ("dry_bulb_c", "°C", "Dry-bulb air temperature."),
        ("dew_point_c", "°C", "Dew-point temperature."),
        ("relative_humidity", "1", "Relative humidity as a fraction (EPW percent / 100)."),
        ("pressure_pa", "Pa", "Station pressure."),
    ];

    /// <summary>Writes <paramref name="weather"/> to <paramref name="path"/> (through a .tmp file and a rename).</summary>
    public static void Write(EpwWeather weather, string path, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(weather);
        var hourField = new DataField<int>(Columns[0].Name);
        var fields = new DataField[] { hourField }.Concat(Columns.Skip(1).Select(c => (DataField)new DataField<double>(c.Name))).ToArray();
        double[][] values =
        [
            weather.DryBulbC, weather.DewPointC, [.. weather.RelativeHumidityPercent.Select(p => p / 100)], weather.PressurePa,
        ];
        string tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { CompressionMethod = CompressionMethod.Zstd }).GetAwaiter().GetResult();
            writer.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["dataset"] = "weather",
                ["source"] = sourceName,
                ["city"] = weather.City,
                ["latitude_deg"] = weather.LatitudeDeg.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                ["longitude_deg"] = weather.LongitudeDeg.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                ["time_zone_hours"] = weather.TimeZoneHours.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            };
            using (var group = writer.CreateRowGroup())
            {
                int[] hours = [.. Enumerable.Range(0, weather.Hours)];
                group.WriteAsync<int>(hourField, hours.AsMemory(), null, Meta(0)).GetAwaiter().GetResult();
                for (int c = 1; c < fields.Length; c++)
                {
                    group.WriteAsync<double>(fields[c], values[c - 1].AsMemory(), null, Meta(c)).GetAwaiter().GetResult();
                }
            }

            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        File.Move(tmp, path, overwrite: true);
    }

    private static Dictionary<string, string> Meta(int column) => new(StringComparer.Ordinal)
    {
        ["unit"] = Columns[column].Unit,
        ["description"] = Columns[column].Description,
    };
}
