using DataCenterTwin.Traces.Grid;

namespace DataCenterTwin.Traces.Tests.Grid;

public class CarbonIntensityCsvTests
{
    private static string Asset(string relative)
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

    [Fact]
    public void Pjm2022_HasItsPublishedMeanIntensity()
    {
        // ../shared/data/README.md: avg_CI mean 362.6 g/kWh over the 8,737 hours with data; the 23
        // blank hours take the hour before them, which moves the mean by less than 0.1 g/kWh.
        var kgPerJ = CarbonIntensityCsv.Read(Asset("grid/PJM_2022_hourly_genmix_carbon_intensity.csv"), utcOffsetHours: -5);
        Assert.Equal(8760, kgPerJ.Length);
        double meanGPerKWh = kgPerJ.Average() * 3.6e6 * 1e3;
        Assert.InRange(meanGPerKWh, 362.5, 362.8);
        Assert.All(kgPerJ, v => Assert.True(v > 0));
    }

    [Theory]
    [InlineData("timestamp,avg_CI\n2022-01-01 00:00:00+00:00,abc\n", ":2: field 'avg_CI'")]
    [InlineData("timestamp,avg_CI\nyesterday,300\n", ":2: field 'timestamp'")]
    [InlineData("timestamp,avg_CI\n2022-01-01 00:00:00+00:00,300,1\n", ":2: expected 2 fields")]
    [InlineData("time,ci\n", ":1: expected columns")]
    [InlineData("timestamp,avg_CI\n2022-01-01 00:00:00+00:00,\n", "no hour has a value")]
    [InlineData("", "empty")]
    public void MalformedFiles_AreRefusedWithLineAndField(string content, string expected)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("dctwin-ci").FullName, "ci.csv");
        File.WriteAllText(path, content);
        var ex = Assert.Throws<InvalidDataException>(() => CarbonIntensityCsv.Read(path, 0));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
