using DataCenterTwin.Model.Twin;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Tests.Schema;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary><c>run.growth</c>: load growth over several years as arrival-scale controls, and bad steps named at their place.</summary>
public class GrowthSectionTests
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();

    // quick.yaml starts on 2026-07-15 and has one class, chat.
    private static (ScenarioSpec? Spec, IReadOnlyList<DataCenterTwin.Scenarios.Yaml.ScenarioError> Errors) LoadQuickWith(string run) =>
        ScenarioLoader.Load(ScenarioSchemaTests.WriteTemp($"extends: {Path.GetFullPath(TwinBuilderTests.Scenario("quick.yaml"))}\nrun:\n{run}"), Assets);

    [Fact]
    public void PerYear_CompoundsAtEachAnniversary()
    {
        // Three years at 10 % a year: 1.1 from day 365, 1.21 from day 730; nothing at day 1,095 (the horizon).
        var (spec, errors) = LoadQuickWith("  horizon: 1095 d\n  growth: { per_year: 10 % }\n");
        Assert.True(spec is not null, string.Join("\n", errors));
        var growth = spec.Controls.Where(c => c.Control.Source == "growth").ToList();
        Assert.Equal(2, growth.Count);
        Assert.Equal(365, growth[0].At.TotalDays, 9);
        Assert.Equal(1.1, growth[0].Control.Value, 12);
        Assert.Equal(730, growth[1].At.TotalDays, 9);
        Assert.Equal(1.21, growth[1].Control.Value, 12);
        Assert.All(growth, c => Assert.Equal(ControlKind.ArrivalScale, c.Control.Kind));
        Assert.All(growth, c => Assert.Equal("chat", c.Control.Target));
        Assert.NotEqual(LoadQuickWith("  horizon: 1095 d\n").Spec!.Hash, spec.Hash);
    }

    [Fact]
    public void Steps_ApplyFromTheirDate()
    {
        var (spec, errors) = LoadQuickWith("  horizon: 800 d\n  growth:\n    steps:\n      - { at: 2027-07-15, arrival_scale: 1.5 }\n      - { at: 700 d, arrival_scale: 2 }\n");
        Assert.True(spec is not null, string.Join("\n", errors));
        var growth = spec.Controls.Where(c => c.Control.Source == "growth").ToList();
        Assert.Equal([365.0, 700.0], growth.Select(c => c.At.TotalDays));
        Assert.Equal([1.5, 2.0], growth.Select(c => c.Control.Value));
    }

    [Fact]
    public void RackSteps_InstallThePoolsLastRacksOnTheirDates()
    {
        // quick.yaml's pool chat has racks 0-3: one added on 2027-07-15 (day 365) and one on day 700,
        // the later step's rack last: rack 2 on day 365, rack 3 on day 700; racks 0 and 1 from the start.
        var (spec, errors) = LoadQuickWith("  horizon: 800 d\n  growth:\n    steps:\n      - { at: 700 d, pool: chat, racks: 1 }\n      - { at: 2027-07-15, pool: chat, racks: 1, arrival_scale: 1.5 }\n");
        Assert.True(spec is not null, string.Join("\n", errors));
        Assert.Equal([(365.0, 2, 1), (700.0, 3, 1)], spec.RackInstallations.Select(i => (i.At.TotalDays, i.FirstRack, i.Count)));
        var growth = Assert.Single(spec.Controls, c => c.Control.Source == "growth");
        Assert.Equal(1.5, growth.Control.Value);
        Assert.NotEqual(LoadQuickWith("  horizon: 800 d\n").Spec!.Hash, spec.Hash);
    }

    [Fact]
    public void RackSteps_RacksAbsentUntilTheirDate_DrawNothing()
    {
        // Two of the four racks come in on day 1: through the first day they draw nothing (the
        // compute's idle accounting for them is dropped), through the second they draw.
        var (spec, errors) = LoadQuickWith("  horizon: 2 d\n  growth:\n    steps:\n      - { at: 1 d, pool: chat, racks: 2 }\n");
        Assert.True(spec is not null, string.Join("\n", errors));
        var built = TwinBuilder.Build(spec, spec.Run.Fidelity);
        built.Twin.RunUntil(DataCenterTwin.Kernel.SimTime.FromHours(23));
        var it = built.Twin.Parts.It;
        Assert.Equal(0, it.RackEnergyJ(2));
        Assert.Equal(0, it.RackEnergyJ(3));
        Assert.True(it.RackEnergyJ(0) > 0 && it.RackEnergyJ(1) > 0);
        built.Twin.RunUntil(DataCenterTwin.Kernel.SimTime.FromDays(2));
        Assert.True(it.RackEnergyJ(2) > 0 && it.RackEnergyJ(3) > 0);
        Assert.True(built.Twin.Ledger.ItJ > 0);
    }

    [Theory]
    [InlineData("  growth:\n    steps:\n      - { at: 30 d, pool: code, racks: 1 }\n", "run.growth.steps[0].pool")]      // no such pool
    [InlineData("  growth:\n    steps:\n      - { at: 30 d, pool: chat, racks: 4 }\n", "run.growth.steps[0].racks")]     // none left at the start
    [InlineData("  growth:\n    steps:\n      - { at: 30 d, racks: 1 }\n", "run.growth.steps[0].pool")]
    [InlineData("  growth:\n    steps:\n      - { at: 30 d, pool: chat, racks: 0 }\n", "run.growth.steps[0].racks")]
    [InlineData("  growth:\n    steps:\n      - { at: 30 d }\n", "run.growth.steps[0]")]
    [InlineData("  growth:\n    steps:\n      - { at: 2026-01-01, pool: chat, racks: 1 }\n", "run.growth.steps[0].at")]   // before the start
    [InlineData("  growth:\n    steps:\n      - { at: 2025-01-01, arrival_scale: 1.5 }\n", "run.growth.steps[0].at")]   // before the start
    [InlineData("  growth:\n    steps:\n      - { at: 2026-07-15, arrival_scale: 1.5 }\n", "run.growth.steps[0].at")]   // at the start
    [InlineData("  growth:\n    steps:\n      - { arrival_scale: 1.5 }\n", "run.growth.steps[0].at")]
    [InlineData("  growth:\n    steps:\n      - { at: 30 d, arrival_scale: -1 }\n", "run.growth.steps[0].arrival_scale")]
    [InlineData("  growth: { per_year: -95 % }\n", "run.growth.per_year")]
    [InlineData("  growth: { yearly: 5 % }\n", "run.growth.yearly")]
    public void BadGrowth_IsAnErrorAtItsPath(string run, string path)
    {
        var (spec, errors) = LoadQuickWith(run);
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == path);
    }
}
