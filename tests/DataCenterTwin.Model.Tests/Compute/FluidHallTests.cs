using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;
using Xunit.Abstractions;

namespace DataCenterTwin.Model.Tests.Compute;

public class FluidHallTests(ITestOutputHelper output)
{
    private static RequestClass Chat() =>
        new("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(2, 0.2, 60));

    private static (double EnergyJ, double Utilisation, double MeanE2eS, double MeanTtftS) RequestLevel(double rate, double horizonS)
    {
        var sim = new Simulator(7);
        var pool = TestHardware.Pool(racks: 4);
        var hall = new ComputeHall(sim, new ComputeHallSpec(4, [pool], [Chat()]));
        _ = new RequestSource(sim, hall, "chat", new PoissonArrivals(rate, sim.Random.For("a")), "src", SimTime.FromSeconds(horizonS));
        sim.RunUntil(SimTime.FromSeconds(horizonS));
        hall.AdvanceTo(sim.Now);
        double e = 0;
        for (int k = 0; k < 4; k++)
        {
            e += hall.RackEnergyJ(k);
        }

        return (e, hall.MeanUtilisation, hall.Metrics[0].E2e.Mean, hall.Metrics[0].Ttft.Mean);
    }

    private static (double EnergyJ, double Utilisation, double MeanE2eS, double MeanTtftS) FluidLevel(double rate, double horizonS, double stepS = 60)
    {
        var pool = TestHardware.Pool(racks: 4);
        var hall = new FluidHall(new ComputeHallSpec(4, [pool], [Chat()]), [new PoissonArrivals(rate, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        for (double t = stepS; t <= horizonS + 1e-9; t += stepS)
        {
            hall.AdvanceTo(SimTime.FromSeconds(t));
        }

        double e = 0;
        for (int k = 0; k < 4; k++)
        {
            e += hall.RackEnergyJ(k);
        }

        return (e, hall.MeanUtilisation, hall.Metrics[0].E2e.Mean, hall.Metrics[0].Ttft.Mean);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.25)]
    [InlineData(8.0)]
    public void FluidAgreesWithRequestLevel(double rate)
    {
        const double horizonS = 24 * 3600;
        var r = RequestLevel(rate, horizonS);
        var f = FluidLevel(rate, horizonS);
        output.WriteLine($"rate {rate}: energy {r.EnergyJ / 3.6e6:F2} vs {f.EnergyJ / 3.6e6:F2} kWh, util {r.Utilisation:F4} vs {f.Utilisation:F4}, e2e {r.MeanE2eS:F3} vs {f.MeanE2eS:F3}, ttft {r.MeanTtftS:F3} vs {f.MeanTtftS:F3}");
        Assert.Equal(1, f.EnergyJ / r.EnergyJ, 0.02);
        Assert.Equal(1, f.Utilisation / r.Utilisation, 0.02);
        Assert.Equal(1, f.MeanE2eS / r.MeanE2eS, 0.10);
    }

    [Fact]
    public void Overload_BacklogGrowsAndEnergyStillAgrees()
    {
        var r = RequestLevel(24, 4 * 3600);
        var f = FluidLevel(24, 4 * 3600);
        Assert.Equal(1, f.EnergyJ / r.EnergyJ, 0.02);
        Assert.True(f.MeanTtftS > 60, $"mean TTFT {f.MeanTtftS} s: an overloaded pool queues");
    }

    [Fact]
    public void HalfClocks_SlowServiceAndLowerPower()
    {
        var pool = TestHardware.Pool(racks: 4);
        FluidHall Make() => new(new ComputeHallSpec(4, [pool], [Chat()]), [new PoissonArrivals(1, new RandomStreams(1).For("a"))], new RandomStreams(1).For("t"));
        var full = Make();
        var half = Make();
        for (int k = 0; k < 4; k++)
        {
            half.SetRackSpeedFactor(k, 0.5);
        }

        full.AdvanceTo(SimTime.FromHours(1));
        half.AdvanceTo(SimTime.FromHours(1));
        Assert.True(half.Metrics[0].Tpot.Mean > 1.9 * full.Metrics[0].Tpot.Mean);
        Assert.True(half.MeanUtilisation > full.MeanUtilisation);
    }
}
