using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Workload;
using Xunit.Abstractions;

namespace DataCenterTwin.Model.Tests.Compute;

public class PoolRoutingTests(ITestOutputHelper output)
{
    private static PoolSpec Pool(string name, int firstRack, int racks, ServingModel? serving = null) =>
        new(name, TestHardware.Dgx, 4, firstRack, racks, "llama2-70b", serving ?? TestHardware.Llama70B, 8, new BatchingSpec(), AdmissionSpec.AcceptAll,
            DispatchKind.LeastWork);

    private static RequestClass Chat(IReadOnlyList<PoolShare>? pools = null) =>
        new("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(), pools);

    [Fact]
    public void GivenShares_AreNormalised()
    {
        var spec = new ComputeHallSpec(4, [Pool("a", 0, 2), Pool("b", 2, 2)], [Chat([new("a", 7), new("b", 3)])]);
        var shares = PoolRouting.Shares(spec);
        Assert.Equal(0.7, shares[0][0], 12);
        Assert.Equal(0.3, shares[0][1], 12);
    }

    [Fact]
    public void ByDefault_EveryPoolOfTheModel_ByCapacity()
    {
        // Same hardware: capacity is proportional to replicas, so 3 racks against 1 takes three quarters.
        var spec = new ComputeHallSpec(4, [Pool("big", 0, 3), Pool("small", 3, 1)], [Chat()]);
        var shares = PoolRouting.Shares(spec);
        Assert.Equal(0.75, shares[0][0], 12);
        Assert.Equal(0.25, shares[0][1], 12);
        Assert.Empty(PoolRouting.Unreached(spec));
    }

    [Fact]
    public void NamedPool_OnlyThatPool_AndTheOtherIsUnreached()
    {
        var spec = new ComputeHallSpec(4, [Pool("a", 0, 2), Pool("b", 2, 2)], [Chat([new("a")])]);
        Assert.Equal([1.0, 0.0], PoolRouting.Shares(spec)[0]);
        Assert.Equal(["b"], PoolRouting.Unreached(spec));
    }

    [Fact]
    public void PoolOfAnotherModel_IsRefused()
    {
        var other = Pool("b", 2, 2) with { ModelName = "llama2-7b" };
        var spec = new ComputeHallSpec(4, [Pool("a", 0, 2), other], [Chat([new("b")])]);
        Assert.Throws<ArgumentException>(() => PoolRouting.Shares(spec));
    }

    [Fact]
    public void RequestLevel_SharesRespected_WithinSamplingError()
    {
        var sim = new Simulator(3);
        var spec = new ComputeHallSpec(4, [Pool("a", 0, 2), Pool("b", 2, 2)], [Chat([new("a", 0.7), new("b", 0.3)])]);
        var hall = new ComputeHall(sim, spec);
        const int n = 20_000;
        _ = new RequestSource(sim, hall, "chat", new PoissonArrivals(20, sim.Random.For("arrivals")), "src", SimTime.FromSeconds(n / 20.0));
        sim.RunUntil(SimTime.FromSeconds((n / 20.0) + 600));
        var totals = hall.PoolTotals();
        double served = totals[0].Requests + totals[1].Requests;
        double share = totals[0].Requests / served;
        double sigma = Math.Sqrt(0.7 * 0.3 / served);
        output.WriteLine($"{served} requests, share of a {share:F4} (expected 0.7 ± {sigma:F4})");
        Assert.True(served > 0.95 * n, $"{served} served");
        Assert.InRange(share, 0.7 - (4 * sigma), 0.7 + (4 * sigma));
    }

    [Fact]
    public void FluidLevel_SharesExact()
    {
        var spec = new ComputeHallSpec(4, [Pool("a", 0, 2), Pool("b", 2, 2)], [Chat([new("a", 0.7), new("b", 0.3)])]);
        var hall = new FluidHall(spec, [new PoissonArrivals(20, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        for (int t = 60; t <= 3600; t += 60)
        {
            hall.AdvanceTo(SimTime.FromSeconds(t));
        }

        var totals = hall.PoolTotals();
        Assert.Equal(0.7, totals[0].Requests / (totals[0].Requests + totals[1].Requests), 9);
        Assert.Equal(20 * 3600, totals[0].Requests + totals[1].Requests, 6);
    }

    [Fact]
    public void CapacityRouting_EqualisesUtilisation_AcrossUnequalPools()
    {
        // Three racks of H100s and one of an accelerator 1.6× faster at prefill and 1.4× at decode.
        var fast = TestHardware.Llama70B.Scaled("fast", 1.6, 1.4, "test");
        var spec = new ComputeHallSpec(4, [Pool("slow", 0, 3), Pool("fast", 3, 1, fast)], [Chat()]);
        // Light load, so utilisation (a replica holding any request is busy) is far from saturated at 1.
        double rate = 0.01 * (PoolRouting.CapacityPerS(spec.Pools[0], spec.Classes[0]) + PoolRouting.CapacityPerS(spec.Pools[1], spec.Classes[0]));

        var fluid = new FluidHall(spec, [new PoissonArrivals(rate, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        for (int t = 60; t <= 7200; t += 60)
        {
            fluid.AdvanceTo(SimTime.FromSeconds(t));
        }

        var f = fluid.PoolTotals();
        var sim = new Simulator(5);
        var hall = new ComputeHall(sim, spec);
        _ = new RequestSource(sim, hall, "chat", new PoissonArrivals(rate, sim.Random.For("arrivals")), "src", SimTime.FromSeconds(7200));
        sim.RunUntil(SimTime.FromSeconds(7200));
        var r = hall.PoolTotals();
        output.WriteLine($"rate {rate:F2}/s; fluid utilisation {f[0].Utilisation(7200):F4} / {f[1].Utilisation(7200):F4}; request level {r[0].Utilisation(7200):F4} / {r[1].Utilisation(7200):F4}");

        // First-match routing left one pool at 0; routing by replica count would leave the fast pool at about 0.7 of the slow one's.
        Assert.InRange(f[1].Utilisation(7200) / f[0].Utilisation(7200), 0.9, 1.1);
        Assert.InRange(r[1].Utilisation(7200) / r[0].Utilisation(7200), 0.9, 1.1);
    }
}
