using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>quick.yaml's four-rack chat pool split into dispatch groups: what the loader refuses, what the builder makes (at request level and in a fluid run's request windows), and that the groups' arrivals add up to the class's.</summary>
public class DispatchGroupsScenarioTests
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();

    private static (ScenarioSpec? Spec, IReadOnlyList<DataCenterTwin.Scenarios.Yaml.ScenarioError> Errors) Load(Dictionary<string, string> overrides) =>
        ScenarioLoader.Load(TwinBuilderTests.Scenario("quick.yaml"), Assets, overrides);

    // quick.yaml with chat in two dispatch groups and `run` lines that overrides cannot add (list items).
    private static (ScenarioSpec? Spec, IReadOnlyList<DataCenterTwin.Scenarios.Yaml.ScenarioError> Errors) LoadGrouped(string runLines, Dictionary<string, string> overrides)
    {
        string text = File.ReadAllText(TwinBuilderTests.Scenario("quick.yaml"))
            .Replace("      dispatch: least-work\n", "      dispatch: least-work\n      dispatch_groups: 2\n", StringComparison.Ordinal)
            .Replace("\nrun:\n", "\nrun:\n" + runLines, StringComparison.Ordinal);
        return ScenarioLoader.LoadText(text, TwinBuilderTests.Scenario("groups.yaml"), Assets, overrides);
    }

    [Fact]
    public void FourGroups_AreFourPoolsOfARackEach_OnFourLanes_WithASourcePerGroup()
    {
        var (spec, errors) = Load(new() { ["hall.pools[0].dispatch_groups"] = "4" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var built = TwinBuilder.Build(spec, Fidelity.Request);
        var hall = built.RequestHall!;
        Assert.Equal(["chat/1", "chat/2", "chat/3", "chat/4"], hall.Pools.Select(p => p.Name));
        Assert.Equal([0, 1, 2, 3], hall.Pools.Select(p => p.Spec.FirstRack));
        Assert.All(hall.Pools, p => Assert.Equal(1, p.Spec.RackCount));
        Assert.Equal(4, hall.LaneCount);
        Assert.True(hall.IsClassSplit(0));
        Assert.Throws<InvalidOperationException>(() => hall.Submit(0, 100, 10));
    }

    [Fact]
    public void TheLanes_TakeACoreEach_UnlessRunThreadsSays()
    {
        // Four lanes: by default on as many threads as there are lanes and cores, while the per-rack
        // work of a four-rack hall stays on one; run.threads sets both.
        var (spec, errors) = Load(new() { ["hall.pools[0].dispatch_groups"] = "4" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var built = TwinBuilder.Build(spec, Fidelity.Request);
        Assert.Equal(Math.Min(4, Environment.ProcessorCount), built.RequestHall!.Workers.Threads);
        Assert.Equal(1, built.Twin.Workers.Threads);

        var (one, _) = Load(new() { ["hall.pools[0].dispatch_groups"] = "4", ["run.threads"] = "1" });
        Assert.Equal(1, TwinBuilder.Build(one!, Fidelity.Request).RequestHall!.Workers.Threads);
    }

    [Fact]
    public void GroupsOfWholeRacks_AsEqualAsPossible_TheFirstOnesLarger()
    {
        var (spec, errors) = Load(new() { ["hall.pools[0].racks"] = "7", ["hall.pools[0].dispatch_groups"] = "3" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var compute = DispatchGroups.Expand(new ComputeHallSpec(spec.Hall.Racks.Count, spec.Hall.Pools, [.. spec.Workload.Classes.Select(c => c.Class)]));
        Assert.Equal([(0, 3), (3, 2), (5, 2)], compute.Pools.Select(p => (p.FirstRack, p.RackCount)));
        var groups = DispatchGroups.GroupsOf(compute, 0);
        Assert.Equal(["chat/1", "chat/2", "chat/3"], groups.Select(g => g.Pool));
        Assert.Equal(3 / 7.0, groups[0].Share, 12);
        Assert.Equal(2 / 7.0, groups[1].Share, 12);
        Assert.Equal(2 / 7.0, groups[2].Share, 12);
    }

    [Fact]
    public void OneGroup_LeavesTheHallAsItWas()
    {
        var (spec, errors) = Load(new() { ["hall.pools[0].dispatch_groups"] = "1" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var compute = new ComputeHallSpec(spec.Hall.Racks.Count, spec.Hall.Pools, [.. spec.Workload.Classes.Select(c => c.Class)]);
        Assert.Same(compute, DispatchGroups.Expand(compute));
        Assert.Equal(1, TwinBuilder.Build(spec, Fidelity.Request).RequestHall!.LaneCount);
    }

    [Fact]
    public void TheCount_MovesTheHash_AndTheResolvedScenarioHoldsIt()
    {
        var (two, errors2) = Load(new() { ["hall.pools[0].dispatch_groups"] = "2" });
        var (four, errors4) = Load(new() { ["hall.pools[0].dispatch_groups"] = "4" });
        Assert.True(two is not null && four is not null, string.Join("\n", errors2.Concat(errors4)));
        Assert.NotEqual(two.Hash, four.Hash);
        Assert.Contains("dispatch_groups: 4", four.ResolvedYaml, StringComparison.Ordinal);
        var (none, _) = Load([]);
        Assert.DoesNotContain("dispatch_groups", none!.ResolvedYaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5", "hall.pools[0].dispatch_groups", "pool \"chat\" has 4 racks, too few for 5 dispatch groups")]
    [InlineData("0", "hall.pools[0].dispatch_groups", "out of range")]
    [InlineData("two", "hall.pools[0].dispatch_groups", "expected a whole number")]
    public void BadCounts_AreReportedAtTheKey(string groups, string path, string message)
    {
        var (spec, errors) = Load(new() { ["hall.pools[0].dispatch_groups"] = groups });
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void AClassOfAGroupedPool_ArrivesByPoissonOrDiurnal()
    {
        var (spec, errors) = Load(new() { ["hall.pools[0].dispatch_groups"] = "2", ["workload.classes[0].arrivals.process"] = "mmpp" });
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == "workload.classes" && e.Message.Contains("class \"chat\" goes to pool \"chat\", which has dispatch_groups: 2, and arrives by mmpp", StringComparison.Ordinal));
    }

    [Fact]
    public void InAFluidRun_TheRequestWindowsHall_SplitsTheGroupedPool_AndItsArrivalsAddUp()
    {
        // Two hours at request level inside four hours of fluid: the fluid hall keeps chat whole, the
        // windows' hall splits it in two, each group fed at half the class's 2 /s within four
        // standard deviations, and a dispatch control on chat reaches both groups.
        var (spec, errors) = LoadGrouped("  windows:\n    - { start: 1 h, duration: 2 h, fidelity: request }\n",
            new() { ["workload.classes[0].arrivals.process"] = "poisson", ["run.horizon"] = "4 h" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        var hall = built.RequestHall!;
        Assert.Equal(["chat/1", "chat/2"], hall.Pools.Select(p => p.Name));
        Assert.Equal(2, hall.LaneCount);
        Assert.Equal(["chat"], built.Twin.Compute!.Pools.Select(p => p.Name));

        Assert.True(built.Twin.Compute.SetDispatchPolicy(0, "round-robin"));
        Assert.All(Enumerable.Range(0, 2), q => Assert.IsType<RoundRobin>(hall.DispatchPolicyOf(q)));

        built.Twin.RunUntil(spec.Run.Horizon);
        double expected = 2.0 * 7200;
        Assert.InRange(hall.Metrics[0].Arrived, expected - (4 * Math.Sqrt(expected)), expected + (4 * Math.Sqrt(expected)));
        foreach (var pool in hall.PoolTotals())
        {
            double share = expected / 2;
            Assert.InRange(pool.Requests, share - (4 * Math.Sqrt(share)), share + (4 * Math.Sqrt(share)));
        }
    }

    [Fact]
    public void RacksAddedLater_ToAGroupedPool_AreRefusedAtTheStep()
    {
        // The last group's racks absent until the step would take half the arrivals and serve none.
        var (spec, errors) = LoadGrouped("  growth:\n    steps:\n      - { at: 2026-07-16, pool: chat, racks: 2 }\n", []);
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == "run.growth.steps[0].pool" && e.Message.Contains("pool \"chat\" has dispatch_groups: 2, whose shares of the arrivals are fixed by their racks", StringComparison.Ordinal));
    }

    [Fact]
    public void AnArrivalScaleStep_ReachesEveryGroupsSource()
    {
        // Poisson at 2 /s over two groups, doubled after 2 h of 4: 4 × 3600 × 3 = 43,200 arrivals in all, not the 28,800 (or 36,000) of a step that misses the groups' sources (or one of them).
        var (spec, errors) = LoadGrouped("  growth:\n    steps:\n      - { at: 2026-07-15T02:00, arrival_scale: 2 }\n",
            new() { ["workload.classes[0].arrivals.process"] = "poisson", ["run.horizon"] = "4 h" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var built = TwinBuilder.Build(spec, Fidelity.Request);
        built.Twin.RunUntil(spec.Run.Horizon);
        var hall = built.RequestHall!;
        double expected = 2.0 * 3600 * (2 + (2 * 2));
        Assert.InRange(hall.Metrics[0].Arrived, expected - (4 * Math.Sqrt(expected)), expected + (4 * Math.Sqrt(expected)));
        foreach (var pool in hall.PoolTotals())
        {
            Assert.InRange(pool.Requests, (expected / 2) - (4 * Math.Sqrt(expected / 2)), (expected / 2) + (4 * Math.Sqrt(expected / 2)));
        }
    }

    [Fact]
    public void AClassOfAGroupedPool_GoesToItAlone()
    {
        // A second pool of the same model: quick's class, naming no pools, goes to both.
        string text = PoolRoutingScenarioTests.WithSecondPool(File.ReadAllText(TwinBuilderTests.Scenario("quick.yaml")))
            .Replace("      dispatch: least-work\n", "      dispatch: least-work\n      dispatch_groups: 2\n", StringComparison.Ordinal);
        var (spec, errors) = ScenarioLoader.LoadText(text, TwinBuilderTests.Scenario("groups.yaml"), Assets);
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == "workload.classes" && e.Message.Contains("class \"chat\" goes to pool \"chat\", which has dispatch_groups: 2, and to other pools", StringComparison.Ordinal));
    }

    [Fact]
    public void TheGroupsArrivals_AddUpToTheClassRate_EachAtItsShare()
    {
        // Poisson at 2 /s for a day over four equal groups: each sees rate/4 × time within four
        // standard deviations, and the class as a whole rate × time.
        var (spec, errors) = Load(new() { ["hall.pools[0].dispatch_groups"] = "4", ["workload.classes[0].arrivals.process"] = "poisson" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var built = TwinBuilder.Build(spec, Fidelity.Request);
        built.Twin.RunUntil(spec.Run.Horizon);
        var hall = built.RequestHall!;
        double expected = 2.0 * spec.Run.Horizon.TotalSeconds;
        long arrived = hall.Metrics[0].Arrived;
        Assert.InRange(arrived, expected - (4 * Math.Sqrt(expected)), expected + (4 * Math.Sqrt(expected)));
        var served = hall.PoolTotals();
        Assert.Equal(4, served.Count);
        foreach (var pool in served)
        {
            double share = expected / 4;
            Assert.InRange(pool.Requests, share - (4 * Math.Sqrt(share)), share + (4 * Math.Sqrt(share)));
        }

        // Every arrival went to one group: the groups served all but those still in flight.
        Assert.InRange(arrived - served.Sum(p => p.Requests) - hall.Metrics[0].Rejected, 0, 200);
        Assert.Equal(served.Sum(p => p.Requests), hall.Metrics[0].Completed);
    }

    [Fact]
    public void TheGroupsMetrics_AreTheRequestsTheyFinished_WithASinkOrWithout()
    {
        // Each group's lane adds what it finishes to a part of its own and the class's metrics are
        // the parts summed: what a sink hears adds up to them, and without a sink they are the same.
        var (spec, errors) = Load(new() { ["hall.pools[0].dispatch_groups"] = "4", ["run.horizon"] = "3 h" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var sink = new Records();
        var heard = TwinBuilder.Build(spec, Fidelity.Request, sink);
        heard.Twin.RunUntil(spec.Run.Horizon);
        var alone = TwinBuilder.Build(spec, Fidelity.Request);
        alone.Twin.RunUntil(spec.Run.Horizon);

        var metrics = heard.RequestHall!.Metrics[0];
        var served = sink.All.Where(r => r.ClassIndex == 0 && !r.Rejected).ToList();
        Assert.True(served.Count > 1000, $"{served.Count} chat requests served");
        Assert.Equal(served.Count, metrics.Completed);
        Assert.Equal(sink.All.Count(r => r.ClassIndex == 0 && r.Rejected), metrics.Rejected);
        Assert.Equal(served.Sum(r => (long)r.OutputTokens), metrics.OutputTokensServed);
        Assert.Equal(served.Count(r => r.SloMet), metrics.SloMet);
        Assert.Equal(served.Average(r => r.TtftS), metrics.Ttft.Mean, 9);
        Assert.Equal(served.Sum(r => r.EnergyJ), metrics.EnergyJ, 6);

        var without = alone.RequestHall!.Metrics[0];
        Assert.Equal(metrics.Completed, without.Completed);
        Assert.Equal(metrics.Ttft.Mean, without.Ttft.Mean);
        Assert.Equal(metrics.Ttft.Quantile(0.99), without.Ttft.Quantile(0.99));
        Assert.Equal(metrics.EnergyJ, without.EnergyJ);
    }

    private sealed class Records : IRequestSink
    {
        public readonly List<RequestRecord> All = [];

        public void OnFinished(in RequestRecord record) => All.Add(record);
    }
}
