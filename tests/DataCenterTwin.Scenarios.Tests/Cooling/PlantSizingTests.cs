using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Cooling;
using DataCenterTwin.Scenarios.Tests.Schema;

namespace DataCenterTwin.Scenarios.Tests.Cooling;

/// <summary>
/// <c>cooling.sizing</c>: the chillers sized from the hall and its workload, against capacities worked
/// by hand for the quick hall (4 DGX-H100 racks, 4 servers a rack, 8 H100 at 700 W TDP and 75 W idle
/// plus 2,300 W of host per server, all from assets/hardware/catalog.json):
///   nameplate = 16 servers × (8 × 700 + 2,300) W = 126,400 W
///   idle      = 16 servers × (8 × 75 + 2,300) W  =  46,400 W
/// </summary>
public class PlantSizingTests
{
    private const double NameplateW = 126_400;
    private const double IdleW = 46_400;
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();

    private static (ScenarioSpec? Spec, IReadOnlyList<DataCenterTwin.Scenarios.Yaml.ScenarioError> Errors) LoadQuickWith(string cooling, string extra = "") =>
        ScenarioLoader.Load(ScenarioSchemaTests.WriteTemp(
            $"extends: {Path.GetFullPath(TwinBuilderTests.Scenario("quick.yaml"))}\ncooling:\n{cooling}{extra}"), Assets);

    private static string Chillers(int count) =>
        "  chillers:\n" + string.Concat(Enumerable.Range(1, count).Select(i => $"    - {{ name: unit-{i}, type: electric }}\n"));

    [Fact]
    public void Nameplate_NPlusOne_TwoDutyUnitsCarryNameplatePlusMargin()
    {
        // 3 units, N+1: the two duty units carry 126.4 kW × 1.10 = 139.04 kW, 69.52 kW each.
        var (spec, errors) = LoadQuickWith("  sizing: { basis: nameplate, redundancy: N+1, margin: 10 % }\n" + Chillers(3));
        Assert.True(spec is not null, string.Join("\n", errors));
        var sized = spec.Sizing!;
        Assert.Equal(NameplateW, sized.DesignHeatW, 1e-6);
        Assert.Equal(69_520, sized.UnitCapacityW, 1e-6);
        Assert.Equal(3 * 69_520, sized.PlantCapacityW, 1e-6);
        Assert.All(spec.Cooling.Plant.Chillers, c => Assert.Equal(69_520, c.NominalCapacityW, 1e-6));

        // The tower follows the sized chillers (1.3 times their capacity).
        Assert.Equal(1.3 * 3 * 69_520, spec.Cooling.Plant.Tower.DesignHeatRejectionW, 1e-6);
        Assert.Contains("N+1", sized.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void NPlusOne_AddsOneUnitOfTheSameSize()
    {
        var (n, e1) = LoadQuickWith("  sizing: { basis: nameplate, redundancy: N, margin: 10 % }\n" + Chillers(2));
        var (nPlusOne, e2) = LoadQuickWith("  sizing: { basis: nameplate, redundancy: N+1, margin: 10 % }\n" + Chillers(3));
        Assert.True(n is not null && nPlusOne is not null, string.Join("\n", e1.Concat(e2)));
        Assert.Equal(n.Sizing!.UnitCapacityW, nPlusOne.Sizing!.UnitCapacityW, 1e-6);
        Assert.Equal(n.Sizing.PlantCapacityW + n.Sizing.UnitCapacityW, nPlusOne.Sizing.PlantCapacityW, 1e-6);
        Assert.Equal(n.Sizing.FirmCapacityW, nPlusOne.Sizing.FirmCapacityW, 1e-6);
        Assert.NotEqual(n.Hash, nPlusOne.Hash);
    }

    [Fact]
    public void P99Load_OfAnIdleHall_IsItsIdlePower()
    {
        // One request an hour: the hall idles all year, so every hour draws the idle power worked above.
        string workload = "workload:\n  classes:\n    - name: chat\n      model: llama2-70b\n      prompt_tokens: { mean: 1024, cv: 0 }\n"
            + "      output_tokens: { mean: 256, cv: 0 }\n      slo: { ttft: 2 s, tpot: 200 ms, e2e: 90 s }\n      arrivals: { process: poisson, rate: 0.0002778 /s }\n";
        var (spec, errors) = LoadQuickWith("  sizing: { basis: p99-load, redundancy: N, margin: 0 % }\n" + Chillers(1), workload);
        Assert.True(spec is not null, string.Join("\n", errors));
        // A request an hour keeps a replica busy for about a minute in the hour: under 0.5 % above idle.
        Assert.InRange(spec.Sizing!.DesignHeatW, IdleW, IdleW * 1.005);
        Assert.Equal(spec.Sizing.DesignHeatW, spec.Cooling.Plant.Chillers[0].NominalCapacityW, 1e-6);
    }

    [Fact]
    public void P99Load_OfADiurnalHall_LiesBetweenItsMeanAndItsNameplate()
    {
        var (spec, errors) = LoadQuickWith("  sizing: { basis: p99-load, redundancy: N+1, margin: 10 % }\n" + Chillers(3));
        Assert.True(spec is not null, string.Join("\n", errors));
        double[] hourly = PlantSizing.HourlyItPowerW(spec.Hall, spec.Workload, spec.Run);
        double mean = hourly.Average();
        double p99 = spec.Sizing!.DesignHeatW;
        Assert.Equal(8760, hourly.Length);
        Assert.True(p99 > mean * 1.05 && p99 < NameplateW, $"p99 {p99} W, mean {mean} W");
        // Nearest rank: at most 1 % of the 8,760 hours (87) lie above the 99th percentile.
        Assert.InRange(hourly.Count(h => h > p99), 0, 87);
        Assert.True(spec.Sizing.PlantCapacityW < NameplateW * 1.1 * 3 / 2);
    }

    // The design year skips the latency distributions; its power must be what a fluid hall that
    // records them draws, hour by hour, exactly (the first two days, built as the sizing builds it).
    [Fact]
    public void DesignYear_DrawsTheSamePowerAsAHallThatRecordsLatencies()
    {
        var (spec, errors) = LoadQuickWith("  sizing: { basis: p99-load, redundancy: N+1, margin: 10 % }\n" + Chillers(3));
        Assert.True(spec is not null, string.Join("\n", errors));
        double[] sized = PlantSizing.HourlyItPowerW(spec.Hall, spec.Workload, spec.Run);

        var sim = new Kernel.Simulator(spec.Run.Seed);
        var compute = new Model.Compute.ComputeHallSpec(spec.Hall.Racks.Count, spec.Hall.Pools, [.. spec.Workload.Classes.Select(c => c.Class)], spec.Hall.Training,
            spec.Workload.TrainingJobs);
        var arrivals = spec.Workload.Classes.Select(c => c.Arrivals.Create(sim.Random.For($"workload/{c.Class.Name}/arrivals"))).ToList();
        var fluid = new Model.Compute.FluidHall(compute, arrivals, sim.Random.For("workload/fluid-tokens"));
        Assert.True(fluid.RecordsLatencyDistributions);
        long step = Kernel.SimTime.FromSeconds(spec.Run.ControlStepS).Ticks, hour = Kernel.SimTime.FromSeconds(3600).Ticks, now = 0;
        double before = 0;
        for (int h = 0; h < 48; h++)
        {
            while (now < (h + 1) * hour)
            {
                now = Math.Min(now + step, (h + 1) * hour);
                fluid.AdvanceTo(new Kernel.SimTime(now));
            }

            double energy = 0;
            for (int k = 0; k < fluid.RackCount; k++)
            {
                energy += fluid.RackEnergyJ(k);
            }

            Assert.Equal((energy - before) / 3600, sized[h]);
            before = energy;
        }

        Assert.True(fluid.Metrics.Sum(m => m.Ttft.Weight) > 0);
    }

    [Theory]
    [InlineData("  sizing: { basis: peak }\n", "cooling.sizing.basis")]
    [InlineData("  sizing: { redundancy: 2N }\n", "cooling.sizing.redundancy")]
    [InlineData("  sizing: { margin: -5 % }\n", "cooling.sizing.margin")]
    [InlineData("  sizing: { redundancy: N+1 }\n  chillers:\n    - { name: only, type: electric }\n", "cooling.sizing")]
    [InlineData("  sizing: { basis: nameplate }\n  chillers:\n    - { name: a, type: electric, capacity: 1 MW }\n    - { name: b, type: electric }\n", "cooling.chillers[0].capacity")]
    public void BadRule_IsAnErrorAtItsPath(string cooling, string path)
    {
        var (spec, errors) = LoadQuickWith(cooling.Contains("chillers", StringComparison.Ordinal) ? cooling : cooling + Chillers(2));
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void Unsized_PlantKeepsTheFileCapacities()
    {
        var spec = TwinBuilderTests.Load("quick.yaml");
        Assert.Null(spec.Sizing);
        Assert.Equal(100_000, spec.Cooling.Plant.Chillers[0].NominalCapacityW, 1e-6);
        Assert.IsType<HybridChillerSpec>(spec.Cooling.Plant.Chillers[0]);
    }
}
