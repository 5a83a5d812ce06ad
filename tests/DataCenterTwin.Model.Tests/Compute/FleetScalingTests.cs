using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Model.Workload;
using Xunit.Abstractions;

namespace DataCenterTwin.Model.Tests.Compute;

public class FleetScalingTests(ITestOutputHelper output)
{
    private const double WakeS = 60, DelayS = 300, IntervalS = 60;

    private static ScalingSpec Slo(int minReplicas = 1, double parkedW = double.NaN) =>
        new(ScalingMode.SloDriven, 0.7, DelayS, WakeS, parkedW, minReplicas, IntervalS);

    // One rack of eight DGX servers: eight replicas of Llama-2-70B at TP 8 (hosts draw nothing in the test hardware).
    private static PoolSpec Pool(ScalingSpec scaling, string name = "pool", int firstRack = 0, int racks = 1, int servers = 8, ServingModel? serving = null) =>
        new(name, TestHardware.Dgx, servers, firstRack, racks, "llama2-70b", serving ?? TestHardware.Llama70B, 8, new BatchingSpec(), AdmissionSpec.AcceptAll,
            DispatchKind.LeastWork, scaling);

    private static RequestClass Chat(string name = "chat", IReadOnlyList<PoolShare>? pools = null, double prompt = 1024, double output = 200) =>
        new(name, "llama2-70b", TokenDistribution.LogNormal(prompt, 0.8, 8000), TokenDistribution.LogNormal(output, 0.8, 2000), new SloSpec(), pools);

    // One replica's capacity at the class's means, as the scaler computes it.
    private static double ReplicaCapacity(PoolSpec pool, RequestClass cls) => PoolRouting.CapacityPerS(pool, cls) / pool.Replicas;

    // Hour 0 light (wants one replica), hour 1 heavy (wants six), then light again.
    private static double[] StepProfile(double lowPerS, double highPerS)
    {
        var hourly = new double[24];
        Array.Fill(hourly, lowPerS);
        hourly[1] = highPerS;
        return hourly;
    }

    [Fact]
    public void RequestLevel_StepInRate_WakesReplicasAfterTheWakeUp_ParksAfterTheDelay()
    {
        var pool = Pool(Slo());
        var cls = Chat();
        double c = 0.7 * ReplicaCapacity(pool, cls);
        var sim = new Simulator(11);
        var hall = new ComputeHall(sim, new ComputeHallSpec(1, [pool], [cls]));
        _ = new RequestSource(sim, hall, "chat", new DiurnalPoissonArrivals(1, StepProfile(0.5 * c, 5.5 * c), null, sim.Random.For("a")), "src");

        // All eight serve at the start; the load wants one from the first tick (60 s), so seven park at 60 + 300 s.
        sim.RunUntil(SimTime.FromSeconds(359));
        Assert.Equal(8, hall.ServingReplicas(0));
        sim.RunUntil(SimTime.FromSeconds(361));
        Assert.Equal(1, hall.ServingReplicas(0));
        sim.RunUntil(SimTime.FromSeconds(600));
        Assert.Equal(7, hall.ParkedReplicas(0));

        // The step at 3600 s is seen at the tick at 3660 s; the woken replicas serve from 3720 s.
        sim.RunUntil(SimTime.FromSeconds(3719));
        Assert.Equal(1, hall.ServingReplicas(0));
        sim.RunUntil(SimTime.FromSeconds(3721));
        Assert.Equal(6, hall.ServingReplicas(0));

        // The load falls at 7200 s: seen at 7260 s, the surplus parks at 7560 s, not before.
        sim.RunUntil(SimTime.FromSeconds(7559));
        Assert.Equal(6, hall.ServingReplicas(0));
        sim.RunUntil(SimTime.FromSeconds(7561));
        Assert.Equal(1, hall.ServingReplicas(0));
    }

    [Fact]
    public void FluidLevel_StepInRate_WakesReplicasAfterTheWakeUp_ParksAfterTheDelay()
    {
        var pool = Pool(Slo());
        var cls = Chat();
        double c = 0.7 * ReplicaCapacity(pool, cls);
        var hall = new FluidHall(new ComputeHallSpec(1, [pool], [cls]), [new DiurnalPoissonArrivals(1, StepProfile(0.5 * c, 5.5 * c), null, new RandomStreams(1).For("a"))],
            new RandomStreams(1).For("tokens"));
        double now = 0;
        int ServingAt(double s)
        {
            for (; now < s; now += 60)
            {
                hall.AdvanceTo(SimTime.FromSeconds(now + 60));
            }

            return hall.ServingReplicas(0);
        }

        // Steps of 60 s: a decision at a step's end takes effect for the steps after it.
        Assert.Equal(8, ServingAt(300));
        Assert.Equal(1, ServingAt(360));
        Assert.Equal(1, ServingAt(3660));
        Assert.Equal(1, ServingAt(3720));
        Assert.Equal(6, ServingAt(3780));
        for (int t = 3840; t <= 7500; t += 60)
        {
            Assert.Equal(6, ServingAt(t));
        }

        Assert.Equal(1, ServingAt(7560));
    }

    [Fact]
    public void ScaleToZero_ARequestWaitsForTheWakeUp()
    {
        var pool = Pool(Slo(minReplicas: 0));
        var sink = new ListSink();
        var sim = new Simulator(2);
        var hall = new ComputeHall(sim, new ComputeHallSpec(1, [pool], [TestHardware.Chat(prompt: 512, output: 2)]), sink);
        sim.RunUntil(SimTime.FromSeconds(1000));
        Assert.Equal(8, hall.ParkedReplicas(0));
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        sim.RunUntil(SimTime.FromSeconds(1100));
        var record = Assert.Single(sink.Records);

        // TTFT = the wake-up plus one prefill of 512 tokens (0.053 s, the profile's point).
        Assert.Equal(WakeS + TestHardware.Llama70B.PrefillTimeS(512), record.TtftS, 3);
    }

    [Fact]
    public void ScaleToZero_FluidAndRequest_RequestsArrivingDuringTheWakeUpWaitForIt()
    {
        // Nothing arrives in hour 0, so every replica parks (at 360 s); from 3600 s requests arrive at
        // a fifth of one replica's capacity. The first wakes a replica, ready 60 s later: the requests of
        // that minute wait for it, 30 s on average, those after it do not.
        var pool = Pool(Slo(minReplicas: 0));
        var kept = Pool(Slo(minReplicas: 1));
        var cls = Chat(prompt: 512, output: 20);
        double lambda = 0.2 * ReplicaCapacity(pool, cls);
        var hourly = new double[24];
        Array.Fill(hourly, lambda);
        hourly[0] = 0;

        FluidHall Fluid(PoolSpec p) =>
            new(new ComputeHallSpec(1, [p], [cls]), [new DiurnalPoissonArrivals(1, hourly, null, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        var fluid = Fluid(pool);
        var always = Fluid(kept);
        for (int t = 60; t <= 3720; t += 60)
        {
            fluid.AdvanceTo(SimTime.FromSeconds(t));
            always.AdvanceTo(SimTime.FromSeconds(t));
            if (t == 3600)
            {
                Assert.Equal(8, fluid.ParkedReplicas(0));
            }

            if (t == 3660)
            {
                // The minute's arrivals wait in the backlog; none is served yet.
                Assert.Equal(lambda * 60, fluid.WaitingForWakeUp(0), 6);
                Assert.Equal(0, fluid.Metrics[0].Completed);
            }
        }

        // Served by 3720 s: the waiting minute and the next. Half the requests waited 30 s on average for
        // the wake-up, and then for the minute's B = 60λ requests ahead of them to drain at the replica's
        // capacity C = 5λ in arrival order, 60 s × λ / 5λ / 2 = 6 s on average. The next minute's arrivals
        // queue behind what is left: one arriving t after the release waits (B + λt)/C − t until t = B/(C − λ)
        // = 15 s, (60λ × 15/5λ − 0.8 × 15²/2)/60 = 1.5 s averaged over the minute. The mean TTFT is
        // (36 + 1.5)/2 = 18.75 s above that of a pool that kept a replica serving. Within 0.4 s: the step's
        // capacity prices prefill batches from the class's own token samples, a few per cent from the
        // routing capacity C at mean tokens (about 0.25 s of the 7.5 s of draining), and the queueing at
        // twice the rate while the backlog drains adds a few ms.
        var m = fluid.Metrics[0];
        Assert.Equal(0, fluid.WaitingForWakeUp(0));
        Assert.Equal(lambda * 120, m.Completed, 6);
        Assert.Equal(18.75, m.Ttft.Mean - always.Metrics[0].Ttft.Mean, 0.4);
        Assert.True(m.Ttft.Quantile(0.95) > 50, $"TTFT p95 {m.Ttft.Quantile(0.95):F2} s");
        // The next minute, queued behind them for 1.5 s on average, holds the lower half.
        Assert.True(m.Ttft.Quantile(0.25) < 3, $"TTFT p25 {m.Ttft.Quantile(0.25):F2} s");

        // Request level: the same minute waits for the replica the first arrival wakes.
        var sink = new ListSink();
        var sim = new Simulator(3);
        var hall = new ComputeHall(sim, new ComputeHallSpec(1, [pool], [cls]), sink);
        _ = new RequestSource(sim, hall, "chat", new DiurnalPoissonArrivals(1, hourly, null, sim.Random.For("a")), "src");
        sim.RunUntil(SimTime.FromSeconds(3900));
        var window = sink.Records.Where(r => r.Arrival.TotalSeconds < 3720).ToList();
        double requestMean = window.Average(r => r.TtftS);
        output.WriteLine($"λ {lambda:F3}/s; mean TTFT fluid {m.Ttft.Mean:F3} s, request {requestMean:F3} s over {window.Count} requests");

        // The request level's minute starts at its first arrival and its count is Poisson (about 440 requests,
        // half waiting uniformly up to 60 s: the mean's standard error is about 0.8 s). Measured (seed 3): fluid
        // 19.1 s, request 20.8 s. 2.5 s holds the gap and about one standard error.
        Assert.Equal(m.Ttft.Mean, requestMean, 2.5);
    }

    [Fact]
    public void PoweredDownReplicas_EnergyIsTheIdleThenTheFloor()
    {
        // No requests, none kept: every replica parks at the tick 300 s after the first (60 s).
        const double floorW = 20;
        var pool = Pool(Slo(minReplicas: 0, parkedW: floorW));
        var sim = new Simulator(2);
        var hall = new ComputeHall(sim, new ComputeHallSpec(1, [pool], [Chat()]));
        sim.RunUntil(SimTime.FromSeconds(3600));
        hall.AdvanceTo(sim.Now);

        // 64 accelerators at 75 W idle for 360 s, then at the 20 W floor for 3,240 s.
        double expected = 64 * ((75 * 360.0) + (floorW * 3240));
        Assert.Equal(5_875_200, expected);
        Assert.Equal(expected, hall.RackEnergyJ(0), 6);
        double replicas = 0;
        for (int r = 0; r < hall.ReplicaCount; r++)
        {
            replicas += hall.ReplicaEnergyJ(r);
        }

        Assert.Equal(expected, replicas, 6);

        var fluid = new FluidHall(new ComputeHallSpec(1, [pool], [Chat()]), [new PoissonArrivals(1e-12, new RandomStreams(1).For("a"))], new RandomStreams(1).For("t"));
        for (int t = 60; t <= 3600; t += 60)
        {
            fluid.AdvanceTo(SimTime.FromSeconds(t));
        }

        // The fluid hall decides at step ends as the request level does at its ticks; the trickle of 1e-12 /s keeps one replica awake.
        Assert.Equal(1, fluid.ServingReplicas(0));
        Assert.Equal((64 * 75 * 3600.0) - (7 * 8 * (75 - floorW) * 3240), fluid.RackEnergyJ(0), 0);
    }

    [Fact]
    public void EnergyBalances_UnderScaling_RackEqualsReplicas()
    {
        var pool = Pool(Slo(minReplicas: 0, parkedW: 20));
        var cls = Chat();
        double c = 0.7 * ReplicaCapacity(pool, cls);
        var sim = new Simulator(4);
        var hall = new ComputeHall(sim, new ComputeHallSpec(1, [pool], [cls]));
        _ = new RequestSource(sim, hall, "chat", new DiurnalPoissonArrivals(1, StepProfile(0.5 * c, 5.5 * c), null, sim.Random.For("a")), "src");
        sim.RunUntil(SimTime.FromSeconds(3 * 3600));
        hall.AdvanceTo(sim.Now);
        double replicas = 0;
        for (int r = 0; r < hall.ReplicaCount; r++)
        {
            replicas += hall.ReplicaEnergyJ(r);
        }

        output.WriteLine($"rack {hall.RackEnergyJ(0):F0} J, replicas {replicas:F0} J");
        Assert.Equal(replicas, hall.RackEnergyJ(0), 1e-9 * replicas);
        Assert.True(hall.Metrics[0].Completed > 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FluidAndRequest_AgreeOverADay_OnASmallMetroHall(bool scaled)
    {
        // The metro hall's structure at a sixteenth of its size: a chat pool of H100s and a code pool of
        // faster accelerators, each class routed to its pool, on the inference day, with SLO-driven scaling.
        var h200 = TestHardware.Llama70B.Scaled("H200", 1.1, 1.4, "test");
        var scaling = scaled ? Slo() : ScalingSpec.AlwaysOn;
        var chat = Pool(scaling, "chat", 0, 3, 4);
        var code = Pool(scaling, "code", 3, 1, 4, h200);
        var classes = new[] { Chat("chat", [new("chat")], 1024, 250), Chat("code", [new("code")], 2048, 30) };
        var spec = new ComputeHallSpec(4, [chat, code], classes);
        double[] day =
            [0.45, 0.38, 0.34, 0.33, 0.36, 0.45, 0.62, 0.85, 1.08, 1.26, 1.38, 1.45, 1.48, 1.50, 1.50, 1.47, 1.42, 1.35, 1.27, 1.18, 1.06, 0.90, 0.72, 0.55];
        double[] rates = [0.4 * PoolRouting.CapacityPerS(chat, classes[0]), 0.4 * PoolRouting.CapacityPerS(code, classes[1])];

        var sim = new Simulator(9);
        var request = new ComputeHall(sim, spec);
        for (int i = 0; i < 2; i++)
        {
            _ = new RequestSource(sim, request, classes[i].Name, new DiurnalPoissonArrivals(rates[i], day, null, sim.Random.For($"a{i}")), $"src{i}");
        }

        var fluid = new FluidHall(spec, [.. rates.Select((r, i) => (IArrivalProcess)new DiurnalPoissonArrivals(r, day, null, new RandomStreams(1).For($"a{i}")))],
            new RandomStreams(1).For("tokens"));
        var requestDays = new ItPowerDays();
        var fluidDays = new ItPowerDays();
        double lastR = 0, lastF = 0;
        for (int h = 1; h <= 24; h++)
        {
            for (int m = 1; m <= 60; m++)
            {
                fluid.AdvanceTo(SimTime.FromSeconds(((h - 1) * 3600) + (m * 60)));
            }

            sim.RunUntil(SimTime.FromHours(h));
            request.AdvanceTo(sim.Now);
            double er = Enumerable.Range(0, 4).Sum(request.RackEnergyJ), ef = Enumerable.Range(0, 4).Sum(fluid.RackEnergyJ);
            requestDays.Add((h - 1) * 3600, 3600, (er - lastR) / 3600);
            fluidDays.Add((h - 1) * 3600, 3600, (ef - lastF) / 3600);
            (lastR, lastF) = (er, ef);
        }

        var r = request.PoolTotals();
        var f = fluid.PoolTotals();
        for (int p = 0; p < 2; p++)
        {
            output.WriteLine($"{r[p].Name}: utilisation request {r[p].Utilisation(86_400):F4} fluid {f[p].Utilisation(86_400):F4}; "
                + $"requests {r[p].Requests:F0} / {f[p].Requests:F0}; energy {r[p].EnergyJ / 3.6e6:F2} / {f[p].EnergyJ / 3.6e6:F2} kWh");
        }

        output.WriteLine($"IT energy {lastR / 3.6e6:F2} / {lastF / 3.6e6:F2} kWh; trough/peak {requestDays.TroughToPeak:F4} / {fluidDays.TroughToPeak:F4}; "
            + $"trough {requestDays.DailyTroughW:F0} / {fluidDays.DailyTroughW:F0} W, peak {requestDays.DailyPeakW:F0} / {fluidDays.DailyPeakW:F0} W");
        // Measured (seed 9): chat utilisation within 0.1 % always on and 2.7 % scaled (the request-level
        // scaler sizes on a minute's noisy count and wakes at once but parks only after the delay, so it
        // holds a few more replicas than the fluid hall sizing on the exact rate); chat energy within 0.1 %
        // and 1.7 %. The code pool (2,048-token prompts, 30-token outputs) was 11-12 % high in energy
        // while the fluid hall scaled a batch of k prompts by one prompt's spread (FluidHall.Prefill);
        // with the expected time of k prompts its energy was within 3.7 % always on and 0.4 % scaled,
        // its utilisation within 3.8 % and 2.7 % (four replicas: the pool's Poisson occupancy is coarse);
        // with only the requests that join a busy replica interrupting its decoding, energy +2.8 % and
        // +0.4 %, utilisation +2.5 % and −2.8 %.
        // The bounds below are the measured gaps with a little room, so a regression still fails.
        Assert.InRange(f[0].Utilisation(86_400) / r[0].Utilisation(86_400), scaled ? 0.965 : 0.995, 1.005);
        Assert.InRange(f[0].EnergyJ / r[0].EnergyJ, scaled ? 0.975 : 0.99, 1.01);
        Assert.InRange(f[1].Utilisation(86_400) / r[1].Utilisation(86_400), 0.965, 1.035);
        Assert.InRange(f[1].EnergyJ / r[1].EnergyJ, 0.99, 1.035);
        Assert.InRange(lastF / lastR, 0.985, 1.02);
        Assert.InRange(fluidDays.TroughToPeak / requestDays.TroughToPeak, 0.99, 1.02);

        // Scaling is what makes heat follow traffic: the day's trough falls well below its peak.
        Assert.True(scaled ? requestDays.TroughToPeak < 0.5 : requestDays.TroughToPeak > 0.7, $"trough/peak {requestDays.TroughToPeak:F3}");
    }
}
