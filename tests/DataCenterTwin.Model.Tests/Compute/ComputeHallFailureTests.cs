using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// Request-level replicas that stop (clock 0): what they held is retried on the pool's replicas still
/// up, from the start, or lost when none is up. A pool of two one-replica racks (Llama-2-70B on a DGX
/// H100, the Splitwise medians of <see cref="TestHardware"/>), 512-token prompts, 128 output tokens.
/// </summary>
public sealed class ComputeHallFailureTests
{
    // Splitwise median prefill of 512 tokens, s: the profile is made monotone by pooling adjacent
    // violators, so 128, 256 and 512 tokens (0.0582, 0.0517, 0.0534 s) all take their mean.
    private const double Prefill512S = (0.05818541598273441 + 0.05165851098718122 + 0.053385632985737175) / 3;

    // Splitwise median prefill of 1,024 tokens (two 512-token prompts in one iteration), s.
    private const double Prefill1024S = 0.07791327801533043;

    // Rack 0 stopped at the start, so two requests go to rack 1's replica; rack 0 back at 0.5 s,
    // idle and empty. Rack 1 stops at 1 s with both decoding (first token at 0.078 s, about 30 of
    // 128 tokens by 1 s at about 0.03 s a step).
    private static (Simulator Sim, ComputeHall Hall, ListSink Sink) TwoRequestsOnRackOne()
    {
        var sim = new Simulator(1);
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, TestHardware.Pool(racks: 2), TestHardware.Chat(prompt: 512, output: 128), sink);
        hall.SetRackSpeedFactor(0, 0);
        var rng = sim.Random.For("t");
        hall.Submit(0, 0, 0, rng);
        hall.Submit(0, 0, 0, rng);
        Assert.Equal(2, hall.ReplicaOutstandingRequests(1));
        sim.RunUntil(SimTime.FromSeconds(0.5));
        hall.SetRackSpeedFactor(0, 1);
        sim.RunUntil(SimTime.FromSeconds(1));
        Assert.Equal(2, hall.ReplicaBatchSize(1));
        hall.SetRackSpeedFactor(1, 0);
        return (sim, hall, sink);
    }

    [Fact]
    public void StoppedReplica_RetriesItsRequests_OnTheReplicaStillUp()
    {
        var (sim, hall, sink) = TwoRequestsOnRackOne();
        Assert.Equal(2, hall.RequestsRetried);
        Assert.Equal(0, hall.RequestsLost);
        Assert.Equal(0, hall.ReplicaOutstandingRequests(1));
        Assert.Equal(2, hall.ReplicaOutstandingRequests(0));

        // A stopped replica gets no new dispatches: a third request goes to replica 0 too.
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        Assert.Equal(3, hall.ReplicaOutstandingRequests(0));
        sim.Run();

        // Retried oldest first, from the start (the KV cache went with rack 1), so the time lost is in
        // their TTFT: the first finds replica 0 idle and prefills alone at once; the second waits for
        // that prefill, then prefills together with the third request (1,024 tokens).
        var records = sink.Records.OrderBy(r => r.Id).ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal(RejectReason.None, r.Reason);
            Assert.Equal(0, r.Replica);
            Assert.True(r.E2eS > r.TtftS + (127 * 0.0297));      // 127 decode steps of at least the batch-1 step
        });
        Assert.Equal(1.0, records[0].Dispatch.TotalSeconds, 9);
        Assert.Equal(1 + Prefill512S, records[0].TtftS, 1e-6);   // ticks are 1 µs
        Assert.Equal(1 + Prefill512S + Prefill1024S, records[1].TtftS, 1e-6);
        Assert.Equal(Prefill512S + Prefill1024S, records[2].TtftS, 1e-6);
        Assert.Equal(3, hall.Metrics[0].Completed);
    }

    [Fact]
    public void EveryReplicaStopped_LosesWhatTheyHeld_AndWhatArrives()
    {
        var (sim, hall, sink) = TwoRequestsOnRackOne();
        sim.RunUntil(SimTime.FromSeconds(1.5));
        hall.SetRackSpeedFactor(0, 0);
        Assert.Equal(2, hall.RequestsRetried);
        Assert.Equal(2, hall.RequestsLost);
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        Assert.Equal(3, hall.RequestsLost);
        Assert.Equal(3, sink.Records.Count);
        Assert.All(sink.Records, r => Assert.Equal(RejectReason.NoReplica, r.Reason));
        Assert.Equal(0, hall.RequestsInFlight);

        // Back up, the pool serves again from an empty state.
        hall.SetRackSpeedFactor(1, 1);
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        sim.Run();
        Assert.Equal(RejectReason.None, sink.Records[^1].Reason);
        Assert.Equal(1, hall.ReplicaRack(sink.Records[^1].Replica));
        Assert.Equal(1, hall.Metrics[0].Completed);
    }
}
