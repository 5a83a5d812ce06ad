using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Workload;
using Xunit.Abstractions;

namespace DataCenterTwin.Model.Tests.Compute;

// SLO-driven scaling sized on predicted time to first token instead of utilisation, at both fidelities.
public class TtftScalingTests(ITestOutputHelper output)
{
    private const double WakeS = 60, DelayS = 300, IntervalS = 60;

    private static ScalingSpec Ttft(double targetS, int minReplicas = 1) =>
        new ScalingSpec(ScalingMode.SloDriven, 0.7, DelayS, WakeS, double.NaN, minReplicas, IntervalS) { TargetTtftS = targetS };

    // One rack of eight DGX servers: eight replicas of Llama-2-70B at TP 8.
    private static PoolSpec Pool(ScalingSpec scaling) =>
        new("pool", TestHardware.Dgx, 8, 0, 1, "llama2-70b", TestHardware.Llama70B, 8, new BatchingSpec(), AdmissionSpec.AcceptAll,
            DispatchKind.LeastWork, scaling);

    private static RequestClass Chat() =>
        new("chat", "llama2-70b", TokenDistribution.Fixed(2048), TokenDistribution.Fixed(64), new SloSpec());

    private static double[] StepProfile(double lowPerS, double highPerS)
    {
        var hourly = new double[24];
        Array.Fill(hourly, lowPerS);
        hourly[1] = highPerS;
        return hourly;
    }

    [Fact]
    public void AtNoLoad_PredictedTtftIsOnePrefill_AndTheFleetIsTheFewestThatMeetsTheTarget()
    {
        var pool = Pool(Ttft(1));

        // A lone 2,048-token prompt: one prefill iteration, the profile's 0.1368 s, nothing to wait for.
        Assert.Equal(0.1368, FluidHall.PredictedTtftS(pool, 8, 1e-9, 2048, 64, TestHardware.Llama70B.PrefillTimeS(2048)), 4);

        // Under load TTFT falls as replicas are added, and the sized fleet is the first that meets the target.
        const double lambda = 20;
        double prefill1 = TestHardware.Llama70B.PrefillTimeS(2048);
        var ttft = Enumerable.Range(1, 8).Select(n => FluidHall.PredictedTtftS(pool, n, lambda, 2048, 64, prefill1)).ToArray();
        output.WriteLine(string.Join(", ", ttft.Select((t, i) => $"{i + 1}: {t:F4} s")));
        // Five or fewer replicas run at or past saturation (λ/n above 0.98 of a replica's rate): the sizing never stops there.
        double target = (ttft[5] + ttft[6]) / 2;
        int n = FluidHall.ReplicasForTtft(pool, lambda, 2048, 64, 8, target);
        Assert.True(ttft[5] > ttft[6] && ttft[6] > ttft[7], "more replicas, shorter TTFT");
        Assert.Equal(7, n);
        Assert.True(ttft[6] <= target && ttft[5] > target);
        Assert.Equal(8, FluidHall.ReplicasForTtft(pool, lambda, 2048, 64, 8, 0.5 * ttft[7]));
        Assert.Equal(0, FluidHall.ReplicasForTtft(pool, 0, 2048, 64, 8, target));
    }

    [Fact]
    public void BothFidelities_StepInRate_WakeTheReplicasTheTtftTargetAsksForAfterTheWakeUp()
    {
        double prefill1 = TestHardware.Llama70B.PrefillTimeS(2048);
        double low = 1, high = 20;
        var probe = Pool(Ttft(1));
        double target = (FluidHall.PredictedTtftS(probe, 6, high, 2048, 64, prefill1) + FluidHall.PredictedTtftS(probe, 7, high, 2048, 64, prefill1)) / 2;
        var pool = Pool(Ttft(target));
        int lowWanted = FluidHall.ReplicasForTtft(pool, low, 2048, 64, 8, target);
        int highWanted = FluidHall.ReplicasForTtft(pool, high, 2048, 64, 8, target);
        Assert.Equal(1, lowWanted);
        Assert.Equal(7, highWanted);

        // Fluid: the step at 3600 s is seen at the step ending 3660 s; the woken replicas serve from 3720 s.
        var fluid = new FluidHall(new ComputeHallSpec(1, [pool], [Chat()]), [new DiurnalPoissonArrivals(1, StepProfile(low, high), null, new RandomStreams(1).For("a"))],
            new RandomStreams(1).For("tokens"));
        double now = 0;
        int ServingAt(double s)
        {
            for (; now < s; now += 60)
            {
                fluid.AdvanceTo(SimTime.FromSeconds(now + 60));
            }

            return fluid.ServingReplicas(0);
        }

        Assert.Equal(1, ServingAt(3660));
        Assert.Equal(1, ServingAt(3720));
        Assert.Equal(highWanted, ServingAt(3780));
        Assert.Equal(1, ServingAt(7560));

        // Request level sizes on a minute's count (about 1,200 arrivals, ±3 %): the same fleet, or one either side.
        output.WriteLine($"target {target:F4} s, wanted {lowWanted} then {highWanted}");
        var sim = new Simulator(5);
        var hall = new ComputeHall(sim, new ComputeHallSpec(1, [pool], [Chat()]));
        _ = new RequestSource(sim, hall, "chat", new DiurnalPoissonArrivals(1, StepProfile(low, high), null, sim.Random.For("a")), "src");
        sim.RunUntil(SimTime.FromSeconds(3719));
        Assert.Equal(1, hall.ServingReplicas(0));
        sim.RunUntil(SimTime.FromSeconds(3721));
        Assert.InRange(hall.ServingReplicas(0), highWanted - 1, Math.Min(8, highWanted + 1));
        sim.RunUntil(SimTime.FromSeconds(7559));
        Assert.InRange(hall.ServingReplicas(0), highWanted - 1, Math.Min(8, highWanted + 1));
        sim.RunUntil(SimTime.FromSeconds(7561));
        Assert.Equal(1, hall.ServingReplicas(0));
    }

    [Fact]
    public void ScaleToZero_OnTtft_ARequestWaitsForTheWakeUp()
    {
        var pool = Pool(Ttft(1, minReplicas: 0));
        var sink = new ListSink();
        var sim = new Simulator(2);
        var hall = new ComputeHall(sim, new ComputeHallSpec(1, [pool], [TestHardware.Chat(prompt: 512, output: 2)]), sink);
        sim.RunUntil(SimTime.FromSeconds(1000));
        Assert.Equal(8, hall.ParkedReplicas(0));
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        sim.RunUntil(SimTime.FromSeconds(1100));
        var record = Assert.Single(sink.Records);
        output.WriteLine($"TTFT {record.TtftS:F6} s on replica {record.Replica}");

        // TTFT = the wake-up plus one prefill of 512 tokens: 0.05441 s, the mean of the profile's 128-, 256- and
        // 512-token points (0.0582, 0.0517, 0.0534 s), which the isotonic fit pools because they fall.
        Assert.Equal(WakeS + ((0.05818541598273441 + 0.05165851098718122 + 0.053385632985737175) / 3), record.TtftS, 5);
    }
}
