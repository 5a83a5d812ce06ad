using DataCenterTwin.Kernel;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;
using Xunit.Abstractions;

namespace DataCenterTwin.Scenarios.Tests;

public class TwinBuilderTests(ITestOutputHelper output)
{
    internal static string Scenario(string name) => Path.Combine(AssetPaths.FindAssetsDirectory()!, "..", "scenarios", name);

    internal static ScenarioSpec Load(string name, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var (spec, errors) = ScenarioLoader.Load(Scenario(name), AssetPaths.FindAssetsDirectory(), overrides);
        Assert.True(spec is not null, string.Join("\n", errors));
        return spec;
    }

    private static BuiltTwin RunDay(ScenarioSpec spec, Fidelity fidelity)
    {
        var built = TwinBuilder.Build(spec, fidelity);
        built.Twin.RunUntil(spec.Run.Horizon);
        return built;
    }

    [Fact]
    public void QuickScenario_FluidAndRequestLevelAgreeOverADay()
    {
        var spec = Load("quick.yaml");
        var fluid = RunDay(spec, Fidelity.Fluid);
        var request = RunDay(spec, Fidelity.Request);
        var f = fluid.Twin.Ledger;
        var r = request.Twin.Ledger;
        double fluidE2e = fluid.FluidHall!.Metrics[0].E2e.Mean;
        double requestE2e = request.RequestHall!.Metrics[0].E2e.Mean;
        output.WriteLine($"IT {f.ItJ / 3.6e6:F1} vs {r.ItJ / 3.6e6:F1} kWh; total {f.TotalJ / 3.6e6:F1} vs {r.TotalJ / 3.6e6:F1} kWh; " +
            $"PUE {f.TotalJ / f.ItJ:F4} vs {r.TotalJ / r.ItJ:F4}; utilisation {fluid.Twin.Parts.It.MeanUtilisation:F4} vs {request.Twin.Parts.It.MeanUtilisation:F4}; " +
            $"mean e2e {fluidE2e:F3} vs {requestE2e:F3} s");

        Assert.Equal(86_400, f.Seconds, 6);
        Assert.Equal(1, f.ItJ / r.ItJ, 0.02);
        Assert.Equal(1, f.TotalJ / r.TotalJ, 0.02);
        Assert.Equal(1, (f.TotalJ / f.ItJ) / (r.TotalJ / r.ItJ), 0.02);
        Assert.Equal(1, fluid.Twin.Parts.It.MeanUtilisation / request.Twin.Parts.It.MeanUtilisation, 0.02);
        Assert.Equal(1, fluidE2e / requestE2e, 0.10);
    }

    [Fact]
    public void SameScenarioAndSeed_GiveIdenticalBooks()
    {
        var spec = Load("quick.yaml", new Dictionary<string, string> { ["run.horizon"] = "6 h", ["run.fidelity"] = "request" });
        var a = RunDay(spec, Fidelity.Request).Twin.Ledger;
        var b = RunDay(spec, Fidelity.Request).Twin.Ledger;
        Assert.Equal(a.TotalJ, b.TotalJ);
        Assert.Equal(a.CostUsd, b.CostUsd);
        Assert.Equal(a.Co2Kg, b.Co2Kg);
    }

    [Fact]
    public void EnergyBooks_Close()
    {
        var built = RunDay(Load("quick.yaml"), Fidelity.Fluid);
        var l = built.Twin.Ledger;
        Assert.Equal(l.TotalJ, l.ItJ + l.CoolingJ + l.LossesJ + l.OtherJ, 1e-6 * l.TotalJ);
        Assert.Equal(l.TotalJ, l.GridJ + l.UpsJ + l.GeneratorJ, 1e-6 * l.TotalJ);
        Assert.True(built.Twin.Parts.Cooling.EnergyBalanceRelativeResidual < 1e-9);
        Assert.Equal(SimTime.FromDays(1).TotalSeconds, l.Seconds, 6);
    }

    [Fact]
    public void RequestLevelWindow_InAFluidRun_KeepsTheEnergyContinuous()
    {
        var spec = Load("quick.yaml", new Dictionary<string, string> { ["run.horizon"] = "2 d" });
        var windowed = spec with { Run = spec.Run with { Windows = [new FidelityWindow(SimTime.FromHours(30), SimTime.FromHours(36), Fidelity.Request)] } };
        var fluid = RunDay(spec, Fidelity.Fluid);
        var mixed = RunDay(windowed, Fidelity.Fluid);
        Assert.NotNull(mixed.RequestHall);
        long served = mixed.RequestHall!.Metrics.Sum(m => m.Completed);
        output.WriteLine($"IT {fluid.Twin.Ledger.ItJ / 3.6e6:F1} vs {mixed.Twin.Ledger.ItJ / 3.6e6:F1} kWh; {served} requests at request level");
        Assert.InRange(served, 6 * 3600 * 1.0, 6 * 3600 * 4.0);
        Assert.Equal(1, mixed.Twin.Ledger.ItJ / fluid.Twin.Ledger.ItJ, 0.01);
        Assert.Equal(1, mixed.Twin.Parts.It.MeanUtilisation / fluid.Twin.Parts.It.MeanUtilisation, 0.02);
    }

    [Fact]
    public void FluidTwin_SteadyState_AllocatesNothingPerStep()
    {
        // A week of warm-up: every chiller has staged on and logged its one-off events (a chiller
        // first running outside its curve data logs it once, with a formatted message).
        var built = TwinBuilder.Build(Load("metro-inference.yaml"), Fidelity.Fluid);
        built.Twin.RunUntil(SimTime.FromDays(7));
        long before = GC.GetAllocatedBytesForCurrentThread();
        built.Twin.RunUntil(SimTime.FromDays(9));
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{bytes} bytes over 2,880 control steps");
        Assert.True(bytes == 0, $"{bytes} bytes allocated over two simulated days");
    }
}
