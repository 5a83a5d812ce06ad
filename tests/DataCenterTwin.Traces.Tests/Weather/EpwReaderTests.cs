using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Traces.Weather;

namespace DataCenterTwin.Traces.Tests.Weather;

public class EpwReaderTests
{
    internal static string Asset(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "assets", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }

    private const string Dulles = "weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw";

    [Fact]
    public void Dulles_ParsesAYearWithItsFirstHour()
    {
        var epw = EpwReader.Read(Asset(Dulles));
        Assert.Equal(8760, epw.Hours);
        Assert.Equal(38.98, epw.LatitudeDeg);
        Assert.Equal(-5.0, epw.TimeZoneHours);
        Assert.Equal(0.0, epw.DryBulbC[0]);
        Assert.Equal(-5.0, epw.DewPointC[0]);
        Assert.Equal(66, epw.RelativeHumidityPercent[0]);
        Assert.Equal(101_700, epw.PressurePa[0]);
        Assert.InRange(epw.DryBulbC.Average(), 10, 14);
        Assert.InRange(epw.DryBulbC.Max(), 33, 38);
    }

    [Theory]
    [InlineData("weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw", 40, 46)]
    [InlineData("weather/USA_FL_Tampa.Intl.AP.722110_TMY3.epw", 32, 37)]
    [InlineData("weather/USA_FL_Miami.Intl.AP.722020_TMY3.epw", 32, 37)]
    public void OtherSites_Parse(string file, double maxLow, double maxHigh)
    {
        var epw = EpwReader.Read(Asset(file));
        Assert.Equal(8760, epw.Hours);
        Assert.InRange(epw.DryBulbC.Max(), maxLow, maxHigh);
    }

    [Fact]
    public void Series_DerivesWetBulbAndInterpolates()
    {
        var series = EpwReader.Read(Asset(Dulles)).ToSeries();
        var epw = EpwReader.Read(Asset(Dulles));
        // Sample 0 is the hour ending at 01:00; 01:30 lies halfway to the next one.
        var at1 = series.At(3600.0);
        Assert.Equal(epw.DryBulbC[0], at1.DryBulbC, 12);
        Assert.Equal(Psychrometrics.WetBulbFromDewPoint(epw.DryBulbC[0], epw.DewPointC[0], epw.PressurePa[0]), at1.WetBulbC, 9);
        Assert.Equal((epw.DryBulbC[0] + epw.DryBulbC[1]) / 2, series.At(5400.0).DryBulbC, 12);
        Assert.Equal(series.At(7200.0).DryBulbC, series.At(7200.0 + (8760 * 3600.0)).DryBulbC, 9); // the year loops
        Assert.All(series.HourlyWetBulbC.ToArray(), wb => Assert.True(wb < 32));
    }

    private static string Malformed(int dataLine, int field, string value)
    {
        var lines = File.ReadLines(Asset(Dulles)).Take(20).ToArray();
        var f = lines[8 + dataLine].Split(',');
        f[field] = value;
        lines[8 + dataLine] = string.Join(',', f);
        return string.Join('\n', lines);
    }

    [Fact]
    public void MalformedDryBulb_IsRefusedWithLineAndField()
    {
        var e = Assert.Throws<InvalidDataException>(() => EpwReader.Read(new StringReader(Malformed(3, 6, "warm")), "x.epw"));
        Assert.Contains("x.epw:12:", e.Message, StringComparison.Ordinal);
        Assert.Contains("dry-bulb (field 6)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfRangePressure_IsRefusedWithLineAndField()
    {
        var e = Assert.Throws<InvalidDataException>(() => EpwReader.Read(new StringReader(Malformed(0, 9, "12")), "x.epw"));
        Assert.Contains("x.epw:9:", e.Message, StringComparison.Ordinal);
        Assert.Contains("station pressure", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortLine_IsRefused()
    {
        var lines = File.ReadLines(Asset(Dulles)).Take(12).ToList();
        lines.Add("1997,1,1,5,0,x,1.0");
        var e = Assert.Throws<InvalidDataException>(() => EpwReader.Read(new StringReader(string.Join('\n', lines)), "x.epw"));
        Assert.Contains("x.epw:13:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingValue_TakesThePreviousHour()
    {
        var epw = EpwReader.Read(new StringReader(Malformed(2, 6, "99.9")), "x.epw");
        Assert.Equal(epw.DryBulbC[1], epw.DryBulbC[2]);
    }
}
