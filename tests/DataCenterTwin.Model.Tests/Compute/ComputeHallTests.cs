using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

public class ComputeHallTests
{
    [Fact]
    public void EightGpuServer_30PrefillTo50DecodeTo20Idle_Draws3427W()
    {
        // A DGX-H100 (no host power) serves one request a second for ten seconds. Its serving
        // profile is flat (a prefill takes 0.3 s at any prompt length, a decode iteration 0.05 s at
        // any batch and context), so a request of 11 output tokens keeps the server 0.3 s in
        // prefill (the first token) and 10 × 0.05 = 0.5 s in decode, then 0.2 s idle before the
        // next: 30 % prefill, 50 % decode, 20 % idle, each at batch 1 (one request at a time, so a
        // batch-dependent decode power takes its batch-1 value). With the H100 power fit (417 W
        // floor, 712 W saturation, half-saturation 30 tokens per GPU per iteration; 75 W idle): a
        // 2,048-token prefill on TP 8 is 256 tokens per GPU, 417 + 295 × 256 / 286 = 681.0559 W;
        // decode at batch 1 is 0.125 tokens per GPU, 417 + 295 × 0.125 / 30.125 = 418.2241 W; so
        // 8 × (0.3 × 681.0559 + 0.5 × 418.2241 + 0.2 × 75) = 8 × 428.4288 = 3,427.43 W on average.
        // (Constant Splitwise phase powers, 700/380/75 W, gave 3,320 W before the fit.)
        var flat = new ServingModel(new ServingProfile("flat-70b", "H100-SXM", 8,
            [128, 32768], [0.3, 0.3], [1, 64], [0.05, 0.05], 512, [128, 8192], [0.05, 0.05], "test: flat profile"));
        var pool = new PoolSpec("pool", TestHardware.Dgx, 1, 0, 1, "llama2-70b", flat, 8, new BatchingSpec(), AdmissionSpec.AcceptAll, DispatchKind.LeastWork);
        var sim = new Simulator(1);
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, pool, TestHardware.Chat(prompt: 2048, output: 11), sink);
        for (int k = 0; k < 10; k++)
        {
            sim.RunUntil(SimTime.FromSeconds(k));
            hall.Submit(0, 2048, 11);
        }

        sim.RunUntil(SimTime.FromSeconds(10));
        hall.AdvanceTo(sim.Now);

        Assert.Equal(10, sink.Records.Count);
        Assert.All(sink.Records, r => Assert.Equal(0.3, r.TtftS, 9));
        Assert.Equal(0.8, hall.MeanUtilisation, 9);
        Assert.Equal(3427.43053, hall.ReplicaEnergyJ(0) / 10, 3);
    }

    [Fact]
    public void OneRequest_EnergyIsPhasePowersTimesPhaseTimes()
    {
        var sim = new Simulator(1);
        var server = TestHardware.Dgx with { HostPowerW = 1000 };
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, TestHardware.Pool(server: server), TestHardware.Chat(prompt: 2048, output: 10), sink);
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        sim.RunUntil(SimTime.FromSeconds(10));
        hall.AdvanceTo(sim.Now);

        var m = TestHardware.Llama70B;
        double prefill = Math.Round(m.PrefillTimeS(2048) * 1e6) / 1e6;
        double decode = 0;
        for (int g = 1; g < 10; g++)
        {
            decode += Math.Round(m.DecodeIterationTimeS(1, 2048 + g) * 1e6) / 1e6;
        }

        // Prefill of 2,048 tokens on TP 8: 256 per GPU, 417 + 295 × 256 / 286 W; decode at batch 1:
        // 1/8 per GPU, 417 + 295 × 0.125 / 30.125 W (H100 fit).
        double prefillW = 417 + (295 * 256 / 286.0), decodeW = 417 + (295 * 0.125 / 30.125);
        double expected = 1000 * 10 + 8 * (prefillW * prefill + decodeW * decode + 75 * (10 - prefill - decode));
        Assert.Equal(expected, hall.RackEnergyJ(0), 1e-6 * expected);
        Assert.Equal(8 * (prefillW * prefill + decodeW * decode + 75 * (10 - prefill - decode)), hall.ReplicaEnergyJ(0), 1e-6 * expected);
        Assert.Equal((prefill + decode) / 10, hall.MeanUtilisation, 9);
        Assert.Equal(8 * (prefillW * prefill + decodeW * decode), Assert.Single(sink.Records).EnergyJ, 1e-6);
        Assert.Equal(1, hall.Metrics[0].Completed);
        Assert.Equal(10, hall.Metrics[0].OutputTokensServed);
    }

    [Fact]
    public void SpeedFactorHalf_DoublesServiceTime_AndScalesDynamicPower()
    {
        var sim = new Simulator(1);
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, TestHardware.Pool(), TestHardware.Chat(prompt: 2048, output: 1), sink);
        hall.SetRackSpeedFactor(0, 0.5);
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        // A 2,048-token prefill on TP 8 (256 per GPU) is 417 + 295 × 256 / 286 = 681.056 W at full clocks.
        double busyW = 417 + (295 * 256 / 286.0);
        Assert.Equal(8 * (75 + (busyW - 75) * 0.25), hall.ReplicaPowerW(0), 9);
        sim.Run();
        var r = Assert.Single(sink.Records);
        Assert.Equal(2 * TestHardware.Llama70B.PrefillTimeS(2048), r.TtftS, 5);
        Assert.True(r.Throttled);
        Assert.Equal(1, hall.Metrics[0].ThrottleAffected);

        // Energy of the throttled prefill: a quarter of the dynamic power (f²) for twice as long, plus idle.
        double t = r.TtftS;
        Assert.Equal(8 * (75 * t + (busyW - 75) * 0.25 * t), hall.ReplicaEnergyJ(0), 1e-6);
    }

    [Fact]
    public void SpeedChangeMidIteration_KeepsTheWorkDone()
    {
        var sim = new Simulator(1);
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, TestHardware.Pool(), TestHardware.Chat(prompt: 8192, output: 1), sink);
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        double full = TestHardware.Llama70B.PrefillTimeS(8192);
        sim.RunUntil(SimTime.FromSeconds(full / 2));
        hall.SetRackSpeedFactor(0, 0.25);
        sim.Run();
        Assert.Equal(full / 2 + full / 2 / 0.25, Assert.Single(sink.Records).TtftS, 5);
    }

    [Fact]
    public void SingleReplicaBatchOne_MeanWaitMatchesPollaczekKhinchine()
    {
        // M/D/1: fixed 2,048-token prompts, one output token, so the service time S is one prefill.
        // Pollaczek–Khinchine: Wq = λ E[S²] / (2 (1 − ρ)) = ρ S / (2 (1 − ρ)). 3 % over 200,000 requests.
        var sim = new Simulator(7);
        var pool = TestHardware.Pool(batching: new BatchingSpec(MaxBatch: 1));
        double s = Math.Round(TestHardware.Llama70B.PrefillTimeS(2048) * 1e6) / 1e6, rho = 0.7, lambda = rho / s;
        var wait = new QuantileSketch();
        var hall = TestHardware.Hall(sim, pool, TestHardware.Chat(prompt: 2048, output: 1), new DelegateSink(r => wait.Add(r.TtftS - s)));
        _ = new RequestSource(sim, hall, "chat", new PoissonArrivals(lambda, sim.Random.For("arrivals")), "source", SimTime.FromSeconds(200_000 / lambda));
        sim.Run();
        double pk = rho * s / (2 * (1 - rho));
        Assert.InRange(wait.Count, 190_000, 210_000);
        Assert.Equal(pk, wait.Mean, pk * 0.03);
    }

    [Fact]
    public void Batching_NeverExceedsMaxBatchOrKvCache_AndOneEventPerIteration()
    {
        var sim = new Simulator(3);
        var pool = TestHardware.Pool(batching: new BatchingSpec(MaxBatch: 8, MaxPrefillTokens: 4096, KvCacheTokens: 6000));
        var cls = new RequestClass("chat", "llama2-70b", TokenDistribution.LogNormal(600, 1, 4000), TokenDistribution.LogNormal(100, 1, 1500), new SloSpec());
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, pool, cls, sink);
        var source = new RequestSource(sim, hall, "chat", new PoissonArrivals(2, sim.Random.For("a")), "src", SimTime.FromSeconds(600));

        // The iteration-by-iteration path, where each iteration is one event (DecodeSpanTests compares it with decode spans).
        hall.DecodeSpanLimit = 1;
        while (sim.Step())
        {
            Assert.InRange(hall.ReplicaBatchSize(0), 0, 8);
            Assert.InRange(hall.ReplicaKvTokens(0), 0, 6000);
        }

        Assert.Equal(source.Submitted + hall.Iterations, sim.EventsFired);
        Assert.Equal(source.Submitted, hall.Metrics[0].Completed + hall.Metrics[0].Rejected);
        Assert.Equal(sink.Records.Where(r => !r.Rejected).Sum(r => (long)r.OutputTokens), hall.Metrics[0].OutputTokensServed);
        Assert.Equal(0, hall.RequestsInFlight);

        // Energy is conserved: what the requests were attributed is the replica's energy less its idle part.
        hall.AdvanceTo(sim.Now);
        double idleJ = 8 * 75 * sim.Now.TotalSeconds * (1 - hall.MeanUtilisation);
        Assert.Equal(hall.ReplicaEnergyJ(0) - idleJ, sink.Records.Sum(r => r.EnergyJ), 1e-6 * hall.ReplicaEnergyJ(0));
    }

    [Fact]
    public void PreemptMode_EvictsUnderKvPressure_AndStillServesEveryToken()
    {
        var sim = new Simulator(5);
        var pool = TestHardware.Pool(batching: new BatchingSpec(MaxBatch: 16, KvCacheTokens: 3000, OnKvFull: KvFullPolicy.Preempt));
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, pool, TestHardware.Chat(prompt: 400, output: 300), sink);
        var source = new RequestSource(sim, hall, "chat", new PoissonArrivals(3, sim.Random.For("a")), "src", SimTime.FromSeconds(120));
        while (sim.Step())
        {
            Assert.InRange(hall.ReplicaKvTokens(0), 0, 3000);
        }

        Assert.Equal(source.Submitted, hall.Metrics[0].Completed);
        Assert.True(hall.Metrics[0].Preemptions > 0);
        Assert.Equal(source.Submitted * 300, hall.Metrics[0].OutputTokensServed);
    }

    [Fact]
    public void TraceReplay_ConservesRequestsAndTokens()
    {
        var rng = new RandomStreams(9).For("trace");
        int n = 3000;
        var offsets = new long[n];
        var prompt = new int[n];
        var output = new int[n];
        for (int i = 1; i < n; i++)
        {
            offsets[i] = offsets[i - 1] + (long)(rng.Exponential(0.05) * 1e6);
        }

        for (int i = 0; i < n; i++)
        {
            prompt[i] = 1 + rng.NextInt(3000);
            output[i] = 1 + rng.NextInt(400);
        }

        var trace = new RequestTrace(offsets, prompt, output);
        var sim = new Simulator(2);
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, TestHardware.Pool(racks: 2, serversPerRack: 2), null, sink);
        _ = new RequestSource(sim, hall, "chat", new TraceReplayArrivals(trace), "replay");
        sim.Run();
        var m = hall.Metrics[0];
        Assert.Equal(n, m.Completed + m.Rejected);
        Assert.Equal(0, m.Rejected);
        Assert.Equal(trace.TotalPromptTokens, m.PromptTokensServed);
        Assert.Equal(trace.TotalOutputTokens, m.OutputTokensServed);
        Assert.Equal(n, sink.Records.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void SameSeed_IdenticalRecords_OtherSeedDifferent()
    {
        static List<RequestRecord> Run(ulong seed)
        {
            var sim = new Simulator(seed);
            var sink = new ListSink();
            var cls = new RequestClass("chat", "llama2-70b", TokenDistribution.LogNormal(800, 1.2, 8000), TokenDistribution.LogNormal(150, 1, 2000), new SloSpec(1, 0.1));
            var hall = TestHardware.Hall(sim, TestHardware.Pool(racks: 2, serversPerRack: 2, dispatch: DispatchKind.PowerOfTwo), cls, sink);
            _ = new RequestSource(sim, hall, "chat", new MmppArrivals(2, 20, 30, 5, sim.Random.For("a")), "src", SimTime.FromSeconds(300));
            sim.Run();
            return sink.Records;
        }

        var a = Run(11);
        Assert.Equal(a, Run(11));
        Assert.NotEqual(a, Run(12));
    }

    [Fact]
    public void Admission_RejectsWhenPredictedTtftMissesSlo()
    {
        var sim = new Simulator(1);
        var pool = TestHardware.Pool(admission: new AdmissionSpec(AdmissionMode.Reject, 1, SimTime.FromMilliseconds(100), 0));
        var hall = TestHardware.Hall(sim, pool, TestHardware.Chat(new SloSpec(TtftS: 0.3), prompt: 2048, output: 50));
        var rng = sim.Random.For("t");
        for (int i = 0; i < 5; i++)
        {
            hall.Submit(0, 0, 0, rng);
        }

        sim.Run();
        // 136.8 ms per 2,048-token prefill: the first two fit in 0.3 s, the rest cannot.
        Assert.Equal(2, hall.Metrics[0].Completed);
        Assert.Equal(3, hall.Metrics[0].Rejected);
    }

    [Fact]
    public void Admission_DeferRetriesThenServes()
    {
        var sim = new Simulator(1);
        var pool = TestHardware.Pool(admission: new AdmissionSpec(AdmissionMode.Defer, 1, SimTime.FromSeconds(1), 100));
        var hall = TestHardware.Hall(sim, pool, TestHardware.Chat(new SloSpec(TtftS: 0.3), prompt: 2048, output: 5));
        var rng = sim.Random.For("t");
        for (int i = 0; i < 5; i++)
        {
            hall.Submit(0, 0, 0, rng);
        }

        sim.Run();
        Assert.Equal(5, hall.Metrics[0].Completed);
    }

    [Fact]
    public void StoppedRack_LosesWork_WhenNoReplicaIsUp_AndServesAgainWhenClocksReturn()
    {
        var sim = new Simulator(1);
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, TestHardware.Pool(), TestHardware.Chat(prompt: 512, output: 3), sink);
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        sim.RunUntil(SimTime.FromMilliseconds(10));

        // The pool's one replica stops with the request in its prefill: no replica to retry it on.
        hall.SetRackSpeedFactor(0, 0);
        Assert.Equal(RejectReason.NoReplica, Assert.Single(sink.Records).Reason);
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        Assert.Equal(RejectReason.NoReplica, sink.Records[1].Reason);
        Assert.Equal(2, hall.RequestsLost);
        sim.RunUntil(SimTime.FromSeconds(5));
        hall.SetRackSpeedFactor(0, 1);
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        sim.Run();
        Assert.Equal(3, sink.Records.Count);
        Assert.Equal(RejectReason.None, sink.Records[2].Reason);
    }

    [Fact]
    public void MoreReplicasThanAnEventPayloadNames_AreRefusedWithTheCount()
    {
        // 131,073 eight-GPU servers at one GPU a replica: 1,048,584 replicas, 8 more than the 2^20
        // a span end's payload names beside its generation (ComputeHall.Spans.cs).
        var pool = TestHardware.Pool(racks: 1, serversPerRack: 131_073, tp: 1);
        var ex = Assert.Throws<ArgumentException>(() => TestHardware.Hall(new Simulator(1), pool));
        Assert.Contains("1048584 replicas; at most 1048576", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingJob_HoldsRacksAtSustainedPower_ForItsDuration()
    {
        var sim = new Simulator(1);
        var spec = new ComputeHallSpec(3, [TestHardware.Pool()], [TestHardware.Chat()],
            [new TrainingRackSpec(TestHardware.Dgx, 4, 1, 2)],
            [new TrainingJobSpec("pretrain", 1, 2, SimTime.FromHours(1), SimTime.FromHours(10), 0.9)]);
        var hall = new ComputeHall(sim, spec);
        sim.RunUntil(SimTime.FromHours(2));
        Assert.Equal(32 * (75 + 0.9 * 625), hall.RackPowerW(1), 9);
        hall.SetRackSpeedFactor(2, 0.5);
        sim.Run();

        // One hour at full clocks, then nine hours of work at half clocks: 18 hours.
        Assert.Equal(SimTime.FromHours(1 + 1 + 18), sim.Now);
        Assert.Equal(32 * 75, hall.RackPowerW(1), 9);
    }

    [Fact]
    public void TrainingJobs_OnTheSameRacks_RunOneAfterTheOther()
    {
        var sim = new Simulator(1);
        var spec = new ComputeHallSpec(2, [], [],
            [new TrainingRackSpec(TestHardware.Dgx, 4, 0, 2)],
            [new TrainingJobSpec("a", 0, 2, SimTime.Zero, SimTime.FromHours(5), 1.0), new TrainingJobSpec("b", 1, 1, SimTime.FromHours(1), SimTime.FromHours(2), 0.5)]);
        var hall = new ComputeHall(sim, spec);
        sim.Run();
        hall.AdvanceTo(sim.Now);
        Assert.Equal(SimTime.FromHours(7), sim.Now);

        // Rack 1: 5 h at TDP, then 2 h at half utilisation: 32 accelerators.
        Assert.Equal(32 * (700 * 5 + (75 + 0.5 * 625) * 2) * 3600.0, hall.RackEnergyJ(1), 1e-3);
        Assert.Equal(32 * (700 * 5 + 75 * 2) * 3600.0, hall.RackEnergyJ(0), 1e-3);
        Assert.Equal((64 * 5 + 32 * 0.5 * 2) / (64 * 7.0), hall.MeanUtilisation, 6);
    }

    [Fact]
    public void SteadyState_AllocatesNothing()
    {
        var sim = new Simulator(4);
        var hall = TestHardware.Hall(sim, TestHardware.Pool(racks: 4, serversPerRack: 4), TestHardware.Chat(prompt: 700, output: 100));
        _ = new RequestSource(sim, hall, "chat", new PoissonArrivals(20, sim.Random.For("a")), "src");
        sim.Run(200_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        sim.Run(200_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class DelegateSink(Action<RequestRecord> action) : IRequestSink
    {
        public void OnFinished(in RequestRecord record) => action(record);
    }
}
