using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;
using DataCenterTwin.Scenarios.Tests.Schema;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>A whole scenario with many mistakes: every one is reported at once, with its place, path and what was expected.</summary>
public class ScenarioValidationTests
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();

    private const string Broken = """
        name: broken
        site:
          weather: assets/weather/Atlantis.epw
          grid:
            capacity: -3 MW
        hall:
          pools:
            - name: chat
              rack: DGX-H100-rack
              racks: 4
              model: llama2-70b
            - name: future
              rack: DGX-H100-rack
              racks: 2
              model: gpt-9
          air:
            supply_air: 22 C
        cooling:
          facility_supply: 25 C
          chillers:
            - name: chiller-1
              capacity: 500
            - name: chiller-2
              capacity: 40 C
            - name: chiller-3
              curve: ElectricEIRChiller Acme Frost 1MW
              capacity: 100 kW
          warm_water:
            supply: 25.5 C
            dry_cooler:
              approach: 0 K
        workload:
          classes:
            - name: chat
              model: bloom-176b
              arrivals: { process: diurnal, rate: 2 /s }
          training_jobs:
            - name: pretrain
              block: pretrain
        control:
          polcy: electric-first
        events:
          - kind: failure
            target: chiller-9
            at: 2 h
            duration: 1 h
        """;

    public static TheoryData<string, string, string> Mistakes => new()
    {
        // path, the text on the line it points at, a piece of the message
        { "site.weather", "Atlantis.epw", "file not found: assets/weather/Atlantis.epw" },
        { "site.grid.capacity", "-3 MW", "out of range" },
        { "hall.pools[1].model", "gpt-9", "no model \"gpt-9\" in the hardware catalog" },
        { "cooling.facility_supply", "25 C", "must be at least 1 K colder than the hall supply air" },
        { "cooling.chillers[0].capacity", "capacity: 500", "the unit is missing in \"500\"" },
        { "cooling.chillers[1].capacity", "40 C", "expected a power such as \"1.2 MW\" or \"40 kW\": unknown unit \"C\"" },
        { "cooling.chillers[2].curve", "Acme Frost", "no chiller curve set \"ElectricEIRChiller Acme Frost 1MW\"" },
        { "cooling.warm_water.supply", "25.5 C", "must be at least 1 K warmer than the facility (chilled) water supply (cooling.facility_supply, 25 C)" },
        { "cooling.warm_water.dry_cooler.approach", "approach: 0 K", "out of range" },
        { "workload.classes[0].model", "bloom-176b", "no pool in the hall serves \"bloom-176b\"" },
        { "workload.training_jobs[0].block", "block: pretrain", "no training block \"pretrain\"" },
        { "control.polcy", "polcy", "unknown key \"polcy\"; did you mean \"policy\"?" },
        { "events[0].target", "chiller-9", "no equipment named \"chiller-9\"" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void BrokenScenario_ReportsEachMistakeWithFileLineColumnPathAndWhatWasExpected(string path, string onLine, string message)
    {
        string file = ScenarioSchemaTests.WriteTemp(Broken);
        var (spec, errors) = ScenarioLoader.Load(file, Assets);
        Assert.Null(spec);
        var error = Assert.Single(errors, e => e.Path == path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);

        string[] lines = Broken.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains(onLine, StringComparison.Ordinal)) + 1;
        Assert.Equal(line, error.Source.Line);
        string text = lines[line - 1];
        int column = path.EndsWith("polcy", StringComparison.Ordinal) ? text.IndexOf("polcy", StringComparison.Ordinal) + 1 : text.IndexOf(':', StringComparison.Ordinal) + 3;
        Assert.Equal(column, error.Source.Column);
        Assert.Equal($"{error.Source.File}:{line}:{column}: {path}: {error.Message}", error.ToString());
        Assert.EndsWith(Path.GetFileName(file), error.Source.File, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenScenario_ReportsAllMistakesAtOnce()
    {
        var (_, errors) = ScenarioLoader.Load(ScenarioSchemaTests.WriteTemp(Broken), Assets);
        foreach (var (path, _, _) in Mistakes.Select(row => ((string)row[0], (string)row[1], (string)row[2])))
        {
            Assert.Contains(errors, e => e.Path == path);
        }
    }

    [Fact]
    public void MissingScenarioFile_IsAnErrorNotAnException()
    {
        var (spec, errors) = ScenarioLoader.Load(Path.Combine(Path.GetTempPath(), "no-such-scenario.yaml"), Assets);
        Assert.Null(spec);
        Assert.Contains("file not found", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingExtendsBase_NamesTheExtendsLine()
    {
        var (spec, errors) = ScenarioLoader.Load(ScenarioSchemaTests.WriteTemp("run:\n  seed: 1\nextends: no-such-base.yaml\n"), Assets);
        Assert.Null(spec);
        var error = Assert.Single(errors);
        Assert.Equal("extends", error.Path);
        Assert.Equal(3, error.Source.Line);
    }

    [Fact]
    public void Extends_VariantOfQuickChangesOnlyWhatDiffers()
    {
        string quick = TwinBuilderTests.Scenario("quick.yaml");
        string variant = ScenarioSchemaTests.WriteTemp($"""
            extends: {Path.GetFullPath(quick)}
            run:
              horizon: 2 d
            control:
              policy: price-responsive
            """);
        var baseSpec = TwinBuilderTests.Load("quick.yaml");
        var (spec, errors) = ScenarioLoader.Load(variant, Assets);
        Assert.True(spec is not null, string.Join("\n", errors));

        Assert.Equal(2 * 86400, spec.Run.Horizon.TotalSeconds, 6);
        Assert.Equal(SupervisoryPolicy.PriceResponsive, spec.Control.Policy);
        var before = baseSpec.ResolvedYaml.Split('\n');
        var after = spec.ResolvedYaml.Split('\n');
        Assert.Equal(before.Length, after.Length);
        var changed = before.Zip(after).Where(p => p.First != p.Second).Select(p => p.Second.Trim()).ToList();
        Assert.Equal(["horizon: 172800 s", "policy: \"price-responsive\""], changed);
        Assert.Equal(baseSpec.Control.MarginW, spec.Control.MarginW);
        Assert.NotEqual(baseSpec.Hash, spec.Hash);
    }

    [Fact]
    public void FacilityWaterColderThanSupplyAir_IsAccepted()
    {
        var (spec, errors) = ScenarioLoader.Load(ScenarioSchemaTests.WriteTemp(
            $"extends: {Path.GetFullPath(TwinBuilderTests.Scenario("quick.yaml"))}\ncooling:\n  facility_supply: 20 C\nhall:\n  air:\n    supply_air: 21 C\n"), Assets);
        Assert.True(spec is not null, string.Join("\n", errors));
    }
}
