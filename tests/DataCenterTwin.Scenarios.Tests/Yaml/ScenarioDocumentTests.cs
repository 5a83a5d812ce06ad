using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Tests.Yaml;

public class ScenarioDocumentTests
{
    [Fact]
    public void Errors_NameFileLineColumnAndPath()
    {
        const string text = """
            cooling:
              chillers:
                - name: a
                  capacity: 1 MW
                - name: b
                  capacity: "12"
            """;
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.LoadText(text, "plant.yaml", errors)!;
        var context = new ScenarioContext(".");
        var cooling = new MapReader(root, "", context).Child("cooling")!;
        var chillers = cooling.Children("chillers");
        Assert.Equal(1e6, chillers[0].Quantity("capacity", Dimension.Power));
        Assert.True(double.IsNaN(chillers[1].Quantity("capacity", Dimension.Power)));
        var error = Assert.Single(context.Errors);
        Assert.Equal("plant.yaml:6:17: cooling.chillers[1].capacity: expected a power such as \"1.2 MW\" or \"40 kW\": the unit is missing in \"12\"", error.ToString());
    }

    [Fact]
    public void Done_ReportsUnknownKeysWithASuggestion()
    {
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.LoadText("capcity: 1 MW\nname: x\n", "f.yaml", errors)!;
        var context = new ScenarioContext(".");
        var reader = new MapReader(root, "chiller", context);
        reader.Text("name");
        reader.Quantity("capacity", Dimension.Power, defaultValue: 0);
        reader.Done();
        Assert.Contains(context.Errors, e => e.Message.Contains("unknown key \"capcity\"; did you mean \"capacity\"?", StringComparison.Ordinal) && e.Source.Line == 1);
    }

    [Fact]
    public void AllErrors_AreReportedAtOnce()
    {
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.LoadText("a: 1 parsec\nb: -5 kW\nc: yes please\n", "f.yaml", errors)!;
        var context = new ScenarioContext(".");
        var r = new MapReader(root, "", context);
        r.Quantity("a", Dimension.Time);
        r.Quantity("b", Dimension.Power, min: 0);
        r.Boolean("c");
        r.Quantity("d", Dimension.Power);
        Assert.Equal(4, context.Errors.Count);
        Assert.Contains(context.Errors, e => e.Path == "d" && e.Message == "is required");
        Assert.Contains(context.Errors, e => e.Path == "b" && e.Message.Contains("out of range", StringComparison.Ordinal));
    }

    [Fact]
    public void Extends_MergesMappingsAndReplacesValues()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-extends").FullName;
        File.WriteAllText(Path.Combine(dir, "base.yaml"), "site:\n  weather: w.epw\n  grid: { capacity: 2 MW }\nrun: { seed: 1 }\nlist: [1, 2]\n");
        File.WriteAllText(Path.Combine(dir, "variant.yaml"), "extends: base.yaml\nsite:\n  grid: { capacity: 3 MW }\nlist: [3]\n");
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.Load(Path.Combine(dir, "variant.yaml"), errors)!;
        Assert.Empty(errors);
        var site = (YamlMap)root["site"]!;
        Assert.Equal("w.epw", ((YamlScalar)site["weather"]!).Value);
        Assert.Equal("3 MW", ((YamlScalar)((YamlMap)site["grid"]!)["capacity"]!).Value);
        Assert.Single(((YamlList)root["list"]!).Items);
        Assert.NotNull(root["run"]);
        Assert.Null(root["extends"]);
    }

    [Fact]
    public void Extends_RefusesCyclesAndMissingFiles()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-cycle").FullName;
        File.WriteAllText(Path.Combine(dir, "a.yaml"), "extends: b.yaml\n");
        File.WriteAllText(Path.Combine(dir, "b.yaml"), "extends: a.yaml\n");
        File.WriteAllText(Path.Combine(dir, "c.yaml"), "extends: missing.yaml\n");
        var errors = new List<ScenarioError>();
        Assert.Null(ScenarioDocument.Load(Path.Combine(dir, "a.yaml"), errors));
        Assert.Contains("extends itself", errors[0].Message, StringComparison.Ordinal);
        errors.Clear();
        Assert.Null(ScenarioDocument.Load(Path.Combine(dir, "c.yaml"), errors));
        Assert.Contains("file not found", errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: [1, 2", "not valid YAML")]
    [InlineData("a: 1\na: 2\n", "duplicate key")]
    [InlineData("", "empty")]
    [InlineData("- 1\n- 2\n", "expected a mapping of sections")]
    [InlineData("a: *nope\n", "unknown alias *nope")]
    public void BrokenYaml_GivesAnErrorWithAPlace(string text, string expected)
    {
        var errors = new List<ScenarioError>();
        Assert.Null(ScenarioDocument.LoadText(text, "bad.yaml", errors));
        Assert.Contains(errors, e => e.Message.Contains(expected, StringComparison.Ordinal) && e.Source.File == "bad.yaml");
    }

    [Fact]
    public void DeepNesting_IsRefusedWithoutStackOverflow()
    {
        string text = "a: " + new string('[', 100_000) + new string(']', 100_000);
        var errors = new List<ScenarioError>();
        Assert.Null(ScenarioDocument.LoadText(text, "deep.yaml", errors));
        Assert.Contains("nested deeper", errors[0].Message, StringComparison.Ordinal);
    }
}
