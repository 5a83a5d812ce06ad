using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Tests.Schema;

namespace DataCenterTwin.Scenarios.Tests.Economics;

/// <summary>The economics section: defaults, units, and bad values reported at their place.</summary>
public class EconomicsSectionTests
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();

    private static (ScenarioSpec? Spec, IReadOnlyList<DataCenterTwin.Scenarios.Yaml.ScenarioError> Errors) LoadQuickWith(string economics) =>
        ScenarioLoader.Load(ScenarioSchemaTests.WriteTemp($"extends: {Path.GetFullPath(TwinBuilderTests.Scenario("quick.yaml"))}\neconomics:\n{economics}"), Assets);

    [Fact]
    public void Absent_DefaultsToThreePercentOverTenYears()
    {
        var spec = TwinBuilderTests.Load("quick.yaml");
        Assert.Equal(0.03, spec.Economics.DiscountRate);
        Assert.Equal(10, spec.Economics.StudyYears);
        Assert.True(double.IsNaN(spec.Economics.PricePerOutputTokenUsd));
    }

    [Fact]
    public void Given_ReadInSiUnitsAndRecorded()
    {
        var (spec, errors) = LoadQuickWith("  discount_rate: 7 %\n  study_period: 15 y\n  price: 2.5 USD/Mtok\n  energy_escalation: 1 %\n");
        Assert.True(spec is not null, string.Join("\n", errors));
        Assert.Equal(0.07, spec.Economics.DiscountRate, 12);
        Assert.Equal(15, spec.Economics.StudyYears);
        Assert.Equal(2.5e-6, spec.Economics.PricePerOutputTokenUsd, 15);
        Assert.Contains("price: 2.5 USD/Mtok", spec.ResolvedYaml, StringComparison.Ordinal);
        Assert.NotEqual(TwinBuilderTests.Load("quick.yaml").Hash, spec.Hash);
    }

    [Fact]
    public void AssetLifeOfZero_IsAnErrorAtTheCatalogNamingTheEntry()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-costs").FullName;
        string catalog = Path.Combine(dir, "costs.json");
        File.WriteAllText(catalog, """{ "items": [ { "name": "chiller", "per": "W", "costUsd": 0.5, "lifeYears": 0, "maintenanceFractionPerYear": 0, "source": "a test" } ] }""");
        try
        {
            var (spec, errors) = LoadQuickWith($"  catalog: {catalog}\n");
            Assert.Null(spec);
            var error = Assert.Single(errors, e => e.Path == "economics.catalog");
            Assert.Contains("items[0] (chiller)", error.Message, StringComparison.Ordinal);
            Assert.Contains("lifeYears", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("  price: -2 USD/Mtok\n", "economics.price")]
    [InlineData("  discount_rate: 100 %\n", "economics.discount_rate")]
    [InlineData("  study_period: 0 y\n", "economics.study_period")]
    [InlineData("  study_period: 2.5 y\n", "economics.study_period")]
    [InlineData("  price: 2 USD/kWh\n", "economics.price")]
    [InlineData("  catalog: no-such-costs.json\n", "economics.catalog")]
    [InlineData("  discount: 3 %\n", "economics.discount")]
    public void BadValue_IsAnErrorAtItsPath(string economics, string path)
    {
        var (spec, errors) = LoadQuickWith(economics);
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == path);
    }
}
