using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>
/// Dotted overrides with list indices (<c>cooling.chillers[1].capacity</c>) change the spec as an edit of
/// the file would, are validated like the file's own values, and change the hash; a path that names
/// nothing is a clear error that names it.
/// </summary>
public class ScenarioOverrideTests
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();
    private static readonly string Quick = TwinBuilderTests.Scenario("quick.yaml");

    private static (ScenarioSpec? Spec, IReadOnlyList<DataCenterTwin.Scenarios.Yaml.ScenarioError> Errors) Load(string path, string value) =>
        ScenarioLoader.Load(Quick, Assets, new Dictionary<string, string> { [path] = value });

    [Fact]
    public void ListIndexOverride_ChangesThatItemOnly_AsEditingTheFileDoes_AndRehashes()
    {
        var (baseline, _) = ScenarioLoader.Load(Quick, Assets);
        var (spec, errors) = Load("cooling.chillers[1].capacity", "150 kW");
        Assert.Empty(errors);
        Assert.Equal(100e3, spec!.Cooling.Plant.Chillers[0].NominalCapacityW, 6);
        Assert.Equal(150e3, spec.Cooling.Plant.Chillers[1].NominalCapacityW, 6);
        Assert.NotEqual(baseline!.Hash, spec.Hash);

        // The same change made in the file's text gives the same resolved scenario and hash.
        string text = File.ReadAllText(Quick);
        int second = text.IndexOf("capacity: 100 kW", text.IndexOf("name: chiller-2", StringComparison.Ordinal), StringComparison.Ordinal);
        string edited = text[..second] + "capacity: 150 kW" + text[(second + "capacity: 100 kW".Length)..];
        var (fromText, textErrors) = ScenarioLoader.LoadText(edited, Quick, Assets);
        Assert.Empty(textErrors);
        Assert.Equal(fromText!.Hash, spec.Hash);
    }

    [Fact]
    public void Override_IsValidatedLikeTheFilesOwnValues()
    {
        var (spec, errors) = Load("cooling.chillers[1].capacity", "12");
        Assert.Null(spec);
        var error = Assert.Single(errors, e => e.Path == "cooling.chillers[1].capacity");
        Assert.Equal("override", error.Source.File);
        Assert.Contains("the unit is missing in \"12\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cooling.chillers[2].capacity", "cooling.chillers has 2 items; there is no [2]")]
    [InlineData("cooling.chillers[99].name", "cooling.chillers has 2 items; there is no [99]")]
    [InlineData("cooling.chiller[0].capacity", "cooling.chiller has 0 items; there is no [0]")]
    [InlineData("cooling.chillers[x].capacity", "\"chillers[x]\" is not a key or a key with a list index")]
    [InlineData("cooling.chillers[0][1]", "\"chillers[0][1]\" is not a key or a key with a list index")]
    public void Override_PathThatNamesNoItem_IsAClearErrorNamingThePath(string path, string says)
    {
        var (spec, errors) = Load(path, "150 kW");
        Assert.Null(spec);
        var error = Assert.Single(errors, e => e.Path == path);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cooling.chillers[1].capasity", "unknown key \"capasity\"; did you mean \"capacity\"?")]
    [InlineData("run.horizn", "unknown key \"horizn\"; did you mean \"horizon\"?")]
    public void Override_UnknownField_IsAClearErrorNamingThePath(string path, string says)
    {
        var (spec, errors) = Load(path, "2 h");
        Assert.Null(spec);
        var error = Assert.Single(errors, e => e.Path == path);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }
}
