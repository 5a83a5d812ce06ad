using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Workload;
using Xunit.Abstractions;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// The fidelities agree on the latency distribution, not only its mean: on a pool of 4 DGX-H100
/// racks serving Llama-2-70B with log-normal prompts and outputs, a Poisson class and a bursty
/// (two-phase MMPP) class over six hours give fluid TTFT p50 and p99, TPOT p99 and end-to-end p99
/// within 15 % of the request-level run's, and SLO attainment within half a point (issue 17, §4), with
/// objectives like the reference scenarios' (1 s, 100 ms, 45 s). Against a TPOT objective near the
/// TPOT median (50 ms) the bursty class's attainment still differs by about ten points: the fluid
/// model does not yet carry the larger batches of a burst into each request's time per token.
/// </summary>
public class FluidTailAgreementTests(ITestOutputHelper output)
{
    private const double HorizonS = 6 * 3600;

    private static RequestClass Chat() =>
        new("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(1, 0.1, 45));

    private static IArrivalProcess Arrivals(bool bursty, RandomStream rng) => bursty
        ? new MmppArrivals(2.0, 10.0, 600, 120, rng)    // mean (2·600 + 10·120)/720 = 3.33 /s; bursts 5× the calm rate for 2 min
        : new PoissonArrivals(3.33, rng);

    private static double[] Figures(ClassMetrics m) =>
        [m.Ttft.Quantile(0.5), m.Ttft.Quantile(0.99), m.Tpot.Quantile(0.99), m.E2e.Quantile(0.99), m.SloAttainment];

    private static double[] Figures(FluidClassMetrics m) =>
        [m.Ttft.Quantile(0.5), m.Ttft.Quantile(0.99), m.Tpot.Quantile(0.99), m.E2e.Quantile(0.99), m.SloAttainment];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FluidTails_AgreeWithRequestLevel(bool bursty)
    {
        var pool = TestHardware.Pool(racks: 4);
        var sim = new Simulator(7);
        var hall = new ComputeHall(sim, new ComputeHallSpec(4, [pool], [Chat()]));
        _ = new RequestSource(sim, hall, "chat", Arrivals(bursty, sim.Random.For("a")), "src", SimTime.FromSeconds(HorizonS));
        sim.RunUntil(SimTime.FromSeconds(HorizonS));
        var r = Figures(hall.Metrics[0]);

        var fluid = new FluidHall(new ComputeHallSpec(4, [pool], [Chat()]), [Arrivals(bursty, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        for (double t = 60; t <= HorizonS + 1e-9; t += 60)
        {
            fluid.AdvanceTo(SimTime.FromSeconds(t));
        }

        var f = Figures(fluid.Metrics[0]);
        string[] names = ["TTFT p50", "TTFT p99", "TPOT p99", "E2E p99", "SLO"];
        for (int i = 0; i < names.Length; i++)
        {
            output.WriteLine($"{names[i]}: fluid {f[i]:F4} request {r[i]:F4} ({(f[i] / r[i]) - 1:P1})");
        }

        for (int i = 0; i < 4; i++)
        {
            Assert.True(Math.Abs((f[i] / r[i]) - 1) <= 0.15, $"{names[i]}: fluid {f[i]:F4} s against {r[i]:F4} s at request level");
        }

        Assert.True(Math.Abs(f[4] - r[4]) <= 0.005, $"SLO attainment: fluid {f[4]:F4} against {r[4]:F4}");
    }
}
