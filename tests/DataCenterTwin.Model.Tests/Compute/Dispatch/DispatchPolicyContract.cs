using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute.Dispatch;

namespace DataCenterTwin.Model.Tests.Compute.Dispatch;

/// <summary>What every dispatch policy promises; inherited once per policy.</summary>
public abstract class DispatchPolicyContract
{
    protected abstract IDispatchPolicy CreatePolicy();

    private static readonly RandomStream Rng = new RandomStreams(1).For("dispatch");

    [Fact]
    public void Select_ReturnsAnAvailableReplica()
    {
        var set = new FakeReplicas(8);
        set.Available[0] = set.Available[3] = set.Available[5] = false;
        var policy = CreatePolicy();
        for (int i = 0; i < 200; i++)
        {
            int r = policy.Select(set, 100, 10, Rng);
            Assert.InRange(r, 0, 7);
            Assert.True(set.Available[r]);
            set.Tokens[r] += 110;
            set.Requests[r]++;
        }
    }

    [Fact]
    public void Select_NoneAvailable_ReturnsMinusOne()
    {
        var set = new FakeReplicas(4);
        Array.Fill(set.Available, false);
        Assert.Equal(-1, CreatePolicy().Select(set, 100, 10, Rng));
    }

    [Fact]
    public void Select_DoesNotAllocate()
    {
        var set = new FakeReplicas(16);
        var policy = CreatePolicy();
        policy.Select(set, 1, 1, Rng);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            policy.Select(set, 1, 1, Rng);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void InAHall_EveryRequestCompletes()
    {
        var sim = new Simulator(3);
        var pool = TestHardware.Pool(racks: 2, serversPerRack: 2);
        var hall = TestHardware.Hall(sim, pool, TestHardware.Chat(prompt: 300, output: 40));
        hall.SetDispatchPolicy(0, CreatePolicy());
        var rng = sim.Random.For("t");
        for (int i = 0; i < 100; i++)
        {
            hall.Submit(0, 0, 0, rng);
        }

        sim.Run();
        Assert.Equal(100, hall.Metrics[0].Completed);
    }

    internal sealed class FakeReplicas(int n) : IReplicaSet
    {
        public bool[] Available { get; } = Enumerable.Repeat(true, n).ToArray();

        public long[] Tokens { get; } = new long[n];

        public int[] Requests { get; } = new int[n];

        public double[] TemperatureC { get; } = new double[n];

        public int Count => n;

        public int MaxBatch => 4;

        public bool IsAvailable(int replica) => Available[replica];

        public int OutstandingRequests(int replica) => Requests[replica];

        public long OutstandingTokens(int replica) => Tokens[replica];

        public double RackTemperatureC(int replica) => TemperatureC[replica];

        public int Rack(int replica) => replica / 2;
    }
}

public class RoundRobinTests : DispatchPolicyContract
{
    protected override IDispatchPolicy CreatePolicy() => new RoundRobin();

    [Fact]
    public void Cycles()
    {
        var set = new FakeReplicas(3);
        var p = CreatePolicy();
        Assert.Equal([0, 1, 2, 0], Enumerable.Range(0, 4).Select(_ => p.Select(set, 1, 1, null!)).ToArray());
    }
}

public class LeastOutstandingWorkTests : DispatchPolicyContract
{
    protected override IDispatchPolicy CreatePolicy() => new LeastOutstandingWork();

    [Fact]
    public void PicksTheLeastLoaded()
    {
        var set = new FakeReplicas(3);
        set.Tokens[0] = 50;
        set.Tokens[1] = 10;
        set.Tokens[2] = 30;
        Assert.Equal(1, CreatePolicy().Select(set, 1, 1, null!));
    }
}

public class PowerOfTwoChoicesTests : DispatchPolicyContract
{
    protected override IDispatchPolicy CreatePolicy() => new PowerOfTwoChoices();

    [Fact]
    public void NeverPicksTheMostLoaded_OfTwo()
    {
        var set = new FakeReplicas(2);
        set.Tokens[0] = 100;
        var rng = new RandomStreams(5).For("p2c");
        var p = CreatePolicy();
        int zeros = Enumerable.Range(0, 1000).Count(_ => p.Select(set, 1, 1, rng) == 0);

        // Replica 0 wins only when both draws are 0: a quarter of the time.
        Assert.InRange(zeros, 200, 300);
    }
}

public class ThermalAwareTests : DispatchPolicyContract
{
    protected override IDispatchPolicy CreatePolicy() => new ThermalAware(80);

    [Fact]
    public void AvoidsHotRacks_ThenPicksTheCoolest()
    {
        var set = new FakeReplicas(3);
        set.TemperatureC[0] = 85;
        set.TemperatureC[1] = 70;
        set.TemperatureC[2] = 60;
        set.Tokens[2] = 1000;
        Assert.Equal(1, CreatePolicy().Select(set, 1, 1, null!));
        set.TemperatureC[1] = set.TemperatureC[2] = 90;
        Assert.Equal(0, CreatePolicy().Select(set, 1, 1, null!));
    }
}

public class PowerAwarePackingTests : DispatchPolicyContract
{
    protected override IDispatchPolicy CreatePolicy() => new PowerAwarePacking();

    [Fact]
    public void FillsOneReplica_BeforeTheNext()
    {
        var set = new FakeReplicas(3);
        var p = CreatePolicy();
        var picks = new List<int>();
        for (int i = 0; i < 6; i++)
        {
            int r = p.Select(set, 1, 1, null!);
            picks.Add(r);
            set.Requests[r]++;
            set.Tokens[r] += 2;
        }

        Assert.Equal([0, 0, 0, 0, 1, 1], picks);
    }

    [Fact]
    public void InAHall_LeavesReplicasIdle_AtLowLoad()
    {
        var sim = new Simulator(3);
        var pool = TestHardware.Pool(racks: 1, serversPerRack: 4);
        var hall = TestHardware.Hall(sim, pool, TestHardware.Chat(prompt: 300, output: 40));
        hall.SetDispatchPolicy(0, CreatePolicy());
        var rng = sim.Random.For("t");
        for (int i = 0; i < 10; i++)
        {
            hall.Submit(0, 0, 0, rng);
        }

        sim.Run();
        hall.AdvanceTo(sim.Now);
        Assert.Equal(0, hall.ReplicaEnergyJ(3) - 8 * 75 * sim.Now.TotalSeconds, 6);
        Assert.True(hall.ReplicaEnergyJ(0) > 8 * 75 * sim.Now.TotalSeconds);
    }
}
