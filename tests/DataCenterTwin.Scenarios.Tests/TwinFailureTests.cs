using DataCenterTwin.Kernel;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;
using DataCenterTwin.Scenarios.Tests.Schema;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>
/// The twin reports the requests that a stopped replica's pool retried or lost at request level,
/// whole runs and request-level windows alike: the quick hall (four DGX-H100 racks, one chat pool)
/// loses the feed of one rack, then of all four.
/// </summary>
public sealed class TwinFailureTests
{
    private static (double RetriedOneDown, double Retried, double Lost) FeedLoss(BuiltTwin built, SimTime at)
    {
        var twin = built.Twin;
        twin.RunUntil(at);
        twin.SetRackFeed(0, false);
        twin.RunUntil(at + SimTime.FromMinutes(10));
        double retried = twin.RequestsRetried;
        Assert.Equal(0, twin.RequestsLostToFailures);
        for (int k = 1; k < 4; k++)
        {
            twin.SetRackFeed(k, false);
        }

        // Racks 1 and 2 stop before rack 3 within the step: what they held is retried on the racks
        // still up, so the retries can only grow; rack 3's go nowhere.
        twin.RunUntil(at + SimTime.FromMinutes(20));
        Assert.True(twin.RequestsRetried >= retried);
        return (retried, twin.RequestsRetried, twin.RequestsLostToFailures);
    }

    // The quick hall as it is, and with rack 3 added at 6 h by run.growth, which wraps the hall
    // (StagedItLoad): the counts must come through the wrapper. By midday all four racks serve.
    [Theory]
    [InlineData("")]
    [InlineData("run:\n  growth:\n    steps:\n      - { at: 6 h, pool: chat, racks: 1 }\n")]
    public void RequestLevel_CountsRetriedAndLostRequests(string extra)
    {
        var (spec, errors) = ScenarioLoader.Load(ScenarioSchemaTests.WriteTemp(
            $"extends: {Path.GetFullPath(TwinBuilderTests.Scenario("quick.yaml"))}\n{extra}"), AssetPaths.FindAssetsDirectory());
        Assert.True(spec is not null, string.Join("\n", errors));
        var built = TwinBuilder.Build(spec, Fidelity.Request);
        var (oneDown, retried, lost) = FeedLoss(built, SimTime.FromHours(12));

        // Rack 0's replicas held requests at midday (about 2 /s over 16 replicas, each in flight for
        // tens of seconds); with every rack stopped, what they held and ten minutes of arrivals are lost.
        Assert.True(oneDown > 0, $"{oneDown} retried");
        Assert.Equal(built.RequestHall!.RequestsRetried, retried);
        Assert.Equal(built.RequestHall.RequestsLost, lost);
        Assert.True(lost > 600, $"{lost} lost");
    }

    [Fact]
    public void RequestLevelWindow_CountsRetriedAndLostRequests()
    {
        var spec = TwinBuilderTests.Load("quick.yaml");
        spec = spec with { Run = spec.Run with { Windows = [new FidelityWindow(SimTime.FromHours(11), SimTime.FromHours(13), Fidelity.Request)] } };
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        var (oneDown, retried, lost) = FeedLoss(built, SimTime.FromHours(12));
        Assert.True(oneDown > 0, $"{oneDown} retried");
        Assert.Equal(built.RequestHall!.RequestsRetried, retried);
        Assert.True(lost >= built.RequestHall.RequestsLost && lost > 600, $"{lost} lost");
    }
}
