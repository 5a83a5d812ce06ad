using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Tests.Schema;
using DataCenterTwin.Traces.Weather;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary><c>site.weather</c> as a list: one EPW weather year per file, cycled over a run of several years.</summary>
public class WeatherCycleTests
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();
    private const string Dulles = "assets/weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw";
    private const string Phoenix = "assets/weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw";

    private static (ScenarioSpec? Spec, IReadOnlyList<DataCenterTwin.Scenarios.Yaml.ScenarioError> Errors) LoadQuickWith(string weather) =>
        ScenarioLoader.Load(ScenarioSchemaTests.WriteTemp($"extends: {Path.GetFullPath(TwinBuilderTests.Scenario("quick.yaml"))}\nsite:\n  weather: {weather}\n"), Assets);

    [Fact]
    public void TwoFiles_AreTwoWeatherYearsEndToEnd_ThenRepeat()
    {
        var (spec, errors) = LoadQuickWith($"[{Dulles}, {Phoenix}]");
        Assert.True(spec is not null, string.Join("\n", errors));
        var dulles = EpwReader.Read(Path.Combine(Assets!, Dulles["assets/".Length..])).ToSeries();
        var phoenix = EpwReader.Read(Path.Combine(Assets!, Phoenix["assets/".Length..])).ToSeries();
        Assert.Equal(2 * 8760, spec.Weather.Hours);

        // Value i of a file is the hour ending at i + 1 h: hour 4,000 of year 1 is Dulles's, of year 2
        // Phoenix's, of year 3 Dulles's again.
        const double year = 8760 * 3600.0;
        double s = 4001 * 3600.0;
        Assert.Equal(dulles.At(s).DryBulbC, spec.Weather.At(s).DryBulbC, 12);
        Assert.Equal(phoenix.At(s).DryBulbC, spec.Weather.At(year + s).DryBulbC, 12);
        Assert.Equal(phoenix.At(s).WetBulbC, spec.Weather.At(year + s).WetBulbC, 12);
        Assert.Equal(dulles.At(s).DryBulbC, spec.Weather.At(2 * year + s).DryBulbC, 12);
        Assert.NotEqual(dulles.At(s).DryBulbC, phoenix.At(s).DryBulbC);

        // Both files are in the resolved scenario and its hash.
        Assert.Contains("USA_AZ_Phoenix", spec.ResolvedYaml, StringComparison.Ordinal);
        Assert.NotEqual(LoadQuickWith(Dulles).Spec!.Hash, spec.Hash);
        Assert.NotEqual(LoadQuickWith($"[{Phoenix}, {Dulles}]").Spec!.Hash, spec.Hash);
    }

    [Fact]
    public void OneFileInAList_IsThatFile()
    {
        var (spec, errors) = LoadQuickWith($"[{Dulles}]");
        Assert.True(spec is not null, string.Join("\n", errors));
        Assert.Equal(8760, spec.Weather.Hours);
    }

    [Theory]
    [InlineData("[" + Dulles + ", assets/weather/Atlantis.epw]", "site.weather[1]")]
    [InlineData("[]", "site.weather")]
    public void BadList_IsAnErrorAtItsPlace(string weather, string path)
    {
        var (spec, errors) = LoadQuickWith(weather);
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == path);
    }
}
