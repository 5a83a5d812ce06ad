using System.Text.Json.Nodes;
using DataCenterTwin.Kernel;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Runs.Tests;

public class TrafficSummaryTests
{
    [Fact]
    public void InAWindowedRun_ThePoolsBusyTime_IsTheHallsCountedOnce()
    {
        // Quick for two days with a request-level window from hour 30 to 36: requests still in
        // flight at its close finish on the request model while the fluid model carries the racks.
        // The pools' utilisations, weighted by their accelerators, are the hall's, which counts
        // whichever model ran once (WindowedItLoad), and none is above 1.
        var (loaded, errors) = ScenarioLoader.Load(Repo.Path("scenarios/quick.yaml"), AssetPaths.FindAssetsDirectory(),
            new Dictionary<string, string> { ["run.horizon"] = "2 d" });
        Assert.True(loaded is not null, string.Join("\n", errors));
        var spec = loaded with { Run = loaded.Run with { Windows = [new FidelityWindow(SimTime.FromHours(30), SimTime.FromHours(36), Fidelity.Request)] } };
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        built.Twin.RunUntil(spec.Run.Horizon);
        Assert.True(built.RequestHall!.Metrics.Sum(m => m.Completed) > 10_000);

        var summary = new JsonObject();
        TrafficSummary.Add(summary, new JsonObject(), spec, built);
        double busy = 0, accelerators = 0;
        foreach (var pool in spec.Hall.Pools)
        {
            var figures = summary["pools"]![pool.Name]!;
            double utilisation = (double)figures["utilisation"]!;
            Assert.InRange(utilisation, 0, 1);
            busy += utilisation * (int)figures["accelerators"]!;
            accelerators += (int)figures["accelerators"]!;
        }

        // The summary rounds to six decimals.
        Assert.Equal(built.Twin.Parts.It.MeanUtilisation, busy / accelerators, 5);
    }
}
