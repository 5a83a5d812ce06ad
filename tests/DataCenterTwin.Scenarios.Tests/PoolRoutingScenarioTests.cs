using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>quick.yaml with a second pool: how classes name their pools, what the loader refuses, what the resolved scenario says.</summary>
public class PoolRoutingScenarioTests
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();

    private const string SecondPool = """
            - name: spare
              rack: HGX-H200-rack
              racks: 2
              model: llama2-70b
              tensor_parallel: 8

        cooling:
        """;

    /// <summary>quick.yaml's text with the two-rack H200 pool <c>spare</c> added after <c>chat</c>.</summary>
    internal static string WithSecondPool(string quick) => quick.Replace("\ncooling:\n", "\n" + SecondPool.Replace("        ", "") + "\n", StringComparison.Ordinal);

    private static (ScenarioSpec? Spec, IReadOnlyList<DataCenterTwin.Scenarios.Yaml.ScenarioError> Errors) Load(string? pools, string? scaling = null)
    {
        string text = WithSecondPool(File.ReadAllText(TwinBuilderTests.Scenario("quick.yaml")))
            .Replace("      model: llama2-70b\n      prompt_tokens", "      model: llama2-70b\n" + (pools is null ? "" : $"      pools: {pools}\n") + "      prompt_tokens", StringComparison.Ordinal);
        if (scaling is not null)
        {
            text = text.Replace("      dispatch: least-work\n", "      dispatch: least-work\n      scaling: " + scaling + "\n", StringComparison.Ordinal);
        }

        return ScenarioLoader.LoadText(text, TwinBuilderTests.Scenario("routing.yaml"), Assets);
    }

    [Fact]
    public void NoPools_EveryPoolOfTheModel_InProportionToCapacity()
    {
        var (spec, errors) = Load(null);
        Assert.True(spec is not null, string.Join("\n", errors));
        var compute = new ComputeHallSpec(spec.Hall.Racks.Count, spec.Hall.Pools, [.. spec.Workload.Classes.Select(c => c.Class)]);
        var shares = PoolRouting.Shares(compute);
        double chat = PoolRouting.CapacityPerS(spec.Hall.Pools[0], compute.Classes[0]), spare = PoolRouting.CapacityPerS(spec.Hall.Pools[1], compute.Classes[0]);
        Assert.Equal(chat / (chat + spare), shares[0][0], 12);
        Assert.Contains("pools:", spec.ResolvedYaml, StringComparison.Ordinal);
        Assert.Contains("name: \"spare\"", spec.ResolvedYaml, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenShares_AreKept_AndTheResolvedScenarioLoadsToTheSameShares()
    {
        var (spec, errors) = Load("[{ name: chat, share: 60 % }, { name: spare, share: 40 % }]");
        Assert.True(spec is not null, string.Join("\n", errors));
        Assert.Equal([new PoolShare("chat", 0.6), new PoolShare("spare", 0.4)], spec.Workload.Classes[0].Class.Pools!);
        var (again, errors2) = ScenarioLoader.LoadText(spec.ResolvedYaml, TwinBuilderTests.Scenario("resolved.yaml"), Assets);
        Assert.True(again is not null, string.Join("\n", errors2));
        Assert.Equal(0.6, again.Workload.Classes[0].Class.Pools![0].Share!.Value, 12);
    }

    [Fact]
    public void APoolNoClassReaches_IsReported()
    {
        var (spec, errors) = Load("[chat]");
        Assert.Null(spec);
        var e = Assert.Single(errors);
        Assert.Equal("workload.classes", e.Path);
        Assert.Contains("no request class reaches pool \"spare\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[nowhere]", "workload.classes[0].pools[0]", "no pool \"nowhere\" in the hall")]
    [InlineData("[chat, chat]", "workload.classes[0].pools[1]", "listed twice")]
    [InlineData("[{ name: chat, share: 50 % }, spare]", "workload.classes[0].pools", "give every pool a share, or none")]
    [InlineData("chat", "workload.classes[0].pools", "expected a list")]
    public void Mistakes_AreReportedWithTheirPath(string pools, string path, string message)
    {
        var (spec, errors) = Load(pools);
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Scaling_IsRead_WithItsDefaults()
    {
        var (spec, errors) = Load(null, "{ policy: slo-driven, wake_up: 45 s, parked: powered-down, parked_power: 30 W }");
        Assert.True(spec is not null, string.Join("\n", errors));
        var s = spec.Hall.Pools[0].ScalingPolicy;
        Assert.Equal(new ScalingSpec(ScalingMode.SloDriven, 0.7, 300, 45, 30, 1, 60), s);
        Assert.Equal(ScalingMode.AlwaysOn, spec.Hall.Pools[1].ScalingPolicy.Mode);
    }

    [Fact]
    public void Scaling_OnPredictedTtft_IsRead()
    {
        var (spec, errors) = Load(null, "{ policy: slo-driven, target_ttft: 400 ms }");
        Assert.True(spec is not null, string.Join("\n", errors));
        var s = spec.Hall.Pools[0].ScalingPolicy;
        Assert.True(s.SizesOnTtft);
        Assert.Equal(0.4, s.TargetTtftS, 12);
        Assert.Equal(new ScalingSpec(ScalingMode.SloDriven, 0.7, 300, 60, double.NaN, 1, 60) { TargetTtftS = 0.4 }, s);
        Assert.False(spec.Hall.Pools[1].ScalingPolicy.SizesOnTtft);

        // The resolved scenario holds the target it was given and no utilisation default, so it loads back.
        Assert.Contains("target_ttft:", spec.ResolvedYaml, StringComparison.Ordinal);
        Assert.DoesNotContain("target_utilisation", spec.ResolvedYaml, StringComparison.Ordinal);
        var (again, againErrors) = ScenarioLoader.LoadText(spec.ResolvedYaml, TwinBuilderTests.Scenario("routing.yaml"), Assets);
        Assert.True(again is not null, string.Join("\n", againErrors));
        Assert.Equal(s, again.Hall.Pools[0].ScalingPolicy);
    }

    [Theory]
    [InlineData("400 kW", "expected")]
    [InlineData("0 s", "")]
    [InlineData("2 h", "")]
    [InlineData("fast", "")]
    public void Scaling_BadTtftTarget_IsRefusedAtItsPath(string value, string message)
    {
        var (spec, errors) = Load(null, $"{{ policy: slo-driven, target_ttft: {value} }}");
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == "hall.pools[0].scaling.target_ttft" && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Scaling_OnUtilisationAndTtftAtOnce_IsRefused()
    {
        var (spec, errors) = Load(null, "{ policy: slo-driven, target_ttft: 400 ms, target_utilisation: 60 % }");
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == "hall.pools[0].scaling.target_ttft" && e.Message.Contains("not both", StringComparison.Ordinal));
    }

    [Fact]
    public void PoweredDown_NeedsAStatedFloor()
    {
        var (spec, errors) = Load(null, "{ policy: slo-driven, parked: powered-down }");
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == "hall.pools[0].scaling.parked_power");
    }
}
