namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary><c>dctwin convert weather</c> on the real program: a year of hours out, and bad input refused with one line before anything is written.</summary>
public class ConvertCommandTests
{
    private static readonly string Epw = Repository.Path("assets/weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw");

    [Fact]
    public void Weather_WritesEveryHourOfTheYear()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-convert").FullName;
        var (code, output, error) = Dctwin.Run(dir, "convert", "weather", Epw, "dulles.parquet");

        Assert.True(code == 0, error);
        Assert.Equal("dulles.parquet: 8760 hours of Washington Dc Dulles IntL Ar weather", output.Trim());
        Assert.True(new FileInfo(Path.Combine(dir, "dulles.parquet")).Length > 0);
    }

    [Theory]
    [InlineData("no-such-folder/w.parquet", "no folder ")]
    [InlineData(".", "is a folder; give the Parquet file to write")]
    public void Weather_ToWhereItCannotGo_Exits2_WithOneLine(string outPath, string expected)
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-convert").FullName;
        var (code, output, error) = Dctwin.Run(dir, "convert", "weather", Epw, outPath);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }
}
