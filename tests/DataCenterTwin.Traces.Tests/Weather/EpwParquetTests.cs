using System.Globalization;
using DataCenterTwin.Traces.Weather;

namespace DataCenterTwin.Traces.Tests.Weather;

/// <summary>EPW weather converted to Parquet and read back by DuckDB.</summary>
public class EpwParquetTests
{
    [Fact]
    public void Dulles_ReadsBackHourForHourInSiUnits()
    {
        var epw = EpwReader.Read(EpwReaderTests.Asset("weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw"));
        string path = Path.Combine(Directory.CreateTempSubdirectory("dctwin-weather").FullName, "dulles.parquet");
        EpwParquet.Write(epw, path, "dulles.epw");

        Assert.False(File.Exists(path + ".tmp"));
        var types = DuckDb.Query($"DESCRIBE SELECT * FROM '{path}'").Select(r => $"{r[0]} {r[1]}");
        Assert.Equal(["hour_of_year INTEGER", "dry_bulb_c DOUBLE", "dew_point_c DOUBLE", "relative_humidity DOUBLE", "pressure_pa DOUBLE"], types);
        var row = DuckDb.Query($"SELECT count(*), max(hour_of_year), avg(dry_bulb_c), max(dry_bulb_c), avg(relative_humidity), min(pressure_pa) FROM '{path}'")[0];
        Assert.Equal(8760L, Convert.ToInt64(row[0], CultureInfo.InvariantCulture));
        Assert.Equal(8759, Convert.ToInt32(row[1], CultureInfo.InvariantCulture));
        Assert.Equal(epw.DryBulbC.Average(), (double)row[2]!, 1e-9);
        Assert.Equal(epw.DryBulbC.Max(), (double)row[3]!);
        Assert.Equal(epw.RelativeHumidityPercent.Average() / 100, (double)row[4]!, 1e-9);
        Assert.Equal(epw.PressurePa.Min(), (double)row[5]!);

        // Hour 0 is the EPW's first data line (Dulles TMY3: 0 °C, 66 %).
        var first = DuckDb.Query($"SELECT dry_bulb_c, relative_humidity FROM '{path}' WHERE hour_of_year = 0")[0];
        Assert.Equal(0.0, (double)first[0]!);
        Assert.Equal(0.66, (double)first[1]!, 1e-12);

        var meta = DuckDb.Query($"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{path}')").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("dulles.epw", meta["source"]);
        Assert.Equal("38.98", meta["latitude_deg"]);
        Assert.Equal("-5", meta["time_zone_hours"]);
        var units = DuckDb.Query($"SELECT path_in_schema, decode(map_extract(key_value_metadata, 'unit'::BLOB)[1]) FROM parquet_metadata('{path}') WHERE row_group_id = 0");
        Assert.Contains(units, r => r[0]!.ToString() == "dry_bulb_c" && r[1]!.ToString() == "°C");
    }
}
