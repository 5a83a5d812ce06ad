using System.Text.Json.Nodes;
using DataCenterTwin.Cli;
using DataCenterTwin.Cli.Run;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using Xunit.Abstractions;

namespace DataCenterTwin.IntegrationTests.Scenarios;

/// <summary>
/// Every reference scenario, over two simulated days: the energy balances close, and the resolved
/// scenario of the run, run again from its run folder, gives the same summary.
/// </summary>
public class ReferenceScenarioRunTests(ITestOutputHelper output)
{
    public static TheoryData<string> ReferenceScenarios()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Repository.Path("scenarios"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal))
        {
            data.Add(f);
        }

        return data;
    }

    private static (string Folder, JsonObject Summary) Run(string scenario, string? horizon)
    {
        string folder = Directory.CreateTempSubdirectory("dctwin-ref").FullName;
        var error = new StringWriter();
        int code = RunCommand.Run(scenario, folder, horizon, null, noTraces: true, quiet: true, TextWriter.Null, error);
        Assert.True(code == Program.ExitOk, error.ToString());
        return (folder, JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject());
    }

    private static string WithoutWallTime(JsonObject summary)
    {
        var copy = summary.DeepClone().AsObject();
        copy.Remove("wall_s");
        return copy.ToJsonString();
    }

    [Theory]
    [MemberData(nameof(ReferenceScenarios))]
    public void TwoDays_CloseTheirEnergyBalances_AndTheResolvedScenarioRerunsToTheSameSummary(string file)
    {
        var (folder, summary) = Run(Repository.Path(Path.Combine("scenarios", file)), "2 d");
        double it = (double)summary["energy_it_kwh"]!, total = (double)summary["energy_total_kwh"]!;
        double parts = it + (double)summary["energy_cooling_kwh"]! + (double)summary["energy_losses_kwh"]! + (double)summary["energy_other_kwh"]!;
        double sources = (double)summary["energy_grid_kwh"]! + (double)summary["energy_generator_kwh"]! + (double)summary["energy_ups_kwh"]!;
        // The heat balance unrounded (the summary keeps six decimals): the same two days on the twin itself.
        var (spec, errors) = ScenarioLoader.Load(Repository.Path(Path.Combine("scenarios", file)), AssetPaths.FindAssetsDirectory(),
            new Dictionary<string, string> { ["run.horizon"] = "2 d" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var built = TwinBuilder.Build(spec, spec.Run.Fidelity);
        built.Twin.RunUntil(spec.Run.Horizon);
        built.Twin.Flush();
        double residual = built.Twin.Parts.Cooling.EnergyBalanceRelativeResidual;
        Assert.Equal(it, built.Twin.Ledger.ItJ / 3.6e6, 3);
        output.WriteLine($"{file}: IT {it:F1} kWh, total {total:F1} kWh, parts {parts:F1}, sources {sources:F1}, heat balance residual {residual:E2}");
        Assert.True(it > 0);
        Assert.True(Math.Abs(parts - total) <= 1e-6 * total, $"uses {parts} against total {total}");
        Assert.True(Math.Abs(sources - total) <= 1e-6 * total, $"sources {sources} against total {total}");
        Assert.True(residual < 1e-9, $"heat balance residual {residual}");

        // Rerun the resolved file from the run folder itself (its assets/… paths come from the
        // program's assets): the same hash and, but for the wall time, the same summary.
        var (again, rerun) = Run(Path.Combine(folder, "scenario.resolved.yaml"), null);
        Assert.Equal(File.ReadAllText(Path.Combine(folder, "scenario.resolved.yaml")), File.ReadAllText(Path.Combine(again, "scenario.resolved.yaml")));
        Assert.Equal(WithoutWallTime(summary), WithoutWallTime(rerun));
        Directory.Delete(folder, recursive: true);
        Directory.Delete(again, recursive: true);
    }

    [Fact]
    public void TariffMonths_ChangeTheCost_AndTheResolvedScenarioKeepsThem()
    {
        // The issue's case: the metro hall over two January days with the peak period in
        // June–September (so January pays the plain peak price) against January–February (the
        // summer price applies), each rerun from its resolved file.
        string dir = Directory.CreateTempSubdirectory("dctwin-months").FullName;
        string summer = Repository.Path("scenarios/metro-inference.yaml");
        string winter = Path.Combine(dir, "metro-winter.yaml");
        string text = File.ReadAllText(summer);
        Assert.Contains("months: [6, 7, 8, 9]", text, StringComparison.Ordinal);
        File.WriteAllText(winter, text.Replace("months: [6, 7, 8, 9]", "months: [1, 2]", StringComparison.Ordinal));

        var (summerFolder, summerSummary) = Run(summer, "2 d");
        var (winterFolder, winterSummary) = Run(winter, "2 d");
        double summerCost = (double)summerSummary["cost_energy"]!, winterCost = (double)winterSummary["cost_energy"]!;
        output.WriteLine($"energy cost over 2 January days: months [6..9] {summerCost:F2} USD, months [1, 2] {winterCost:F2} USD; total {summerSummary["cost"]} and {winterSummary["cost"]}");
        Assert.NotEqual((string?)summerSummary["scenario_hash"], (string?)winterSummary["scenario_hash"]);
        Assert.True(winterCost > summerCost * 1.05, $"{winterCost} against {summerCost}");

        var (_, summerRerun) = Run(Path.Combine(summerFolder, "scenario.resolved.yaml"), null);
        var (_, winterRerun) = Run(Path.Combine(winterFolder, "scenario.resolved.yaml"), null);
        Assert.Equal(WithoutWallTime(summerSummary), WithoutWallTime(summerRerun));
        Assert.Equal(WithoutWallTime(winterSummary), WithoutWallTime(winterRerun));
    }
}
