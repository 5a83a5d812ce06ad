using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// Per-rack utilisation at both fidelities on a three-rack hall: rack 0 serves every request, rack 1
/// holds a pool whose model nobody asks for, rack 2 trains a job for 4 s of the 10 s run.
/// </summary>
public class RackUtilisationTests
{
    // The flat profile of ComputeHallTests: a prefill takes 0.3 s at any length, a decode iteration 0.05 s at any batch.
    private static readonly ServingModel Flat = new(new ServingProfile("flat-70b", "H100-SXM", 8,
        [128, 32768], [0.3, 0.3], [1, 64], [0.05, 0.05], 512, [128, 8192], [0.05, 0.05], "test: flat profile"));

    private static ComputeHallSpec ThreeRacks()
    {
        var serving = TestHardware.Pool() with { Name = "serving", Serving = Flat };
        var spare = TestHardware.Pool() with { Name = "spare", FirstRack = 1, ModelName = "nobody-asks-70b", Serving = Flat };
        var block = new TrainingRackSpec(TestHardware.Dgx, 1, 2, 1);
        var job = new TrainingJobSpec("pretrain", 2, 1, SimTime.FromSeconds(2), SimTime.FromSeconds(4), Utilisation: 0.9);
        return new ComputeHallSpec(3, [serving, spare], [TestHardware.Chat(prompt: 2048, output: 11)], [block], [job]);
    }

    [Fact]
    public void RequestLevel_BusyRack08_IdleRack0_TrainingRack036_AndTheirMeanIsTheHalls()
    {
        // Rack 0: one request a second, each 0.3 s prefill and 10 × 0.05 s decode alone on the
        // server: busy 0.8 s of every second (ComputeHallTests' worked case). Rack 1: no request
        // ever reaches it, 0. Rack 2: the job computes at 0.9 on all 8 accelerators from 2 s to
        // 6 s: 0.9 × 4 / 10 = 0.36. Every rack has 8 accelerators, so the hall's mean is their mean.
        var sim = new Simulator(1);
        var hall = new ComputeHall(sim, ThreeRacks(), new ListSink());
        for (int k = 0; k < 10; k++)
        {
            sim.RunUntil(SimTime.FromSeconds(k));
            hall.Submit(0, 2048, 11);
        }

        sim.RunUntil(SimTime.FromSeconds(10));
        hall.AdvanceTo(sim.Now);
        var u = new double[3];
        hall.RackUtilisation(u);

        Assert.Equal(0.8, u[0], 9);
        Assert.Equal(0, u[1]);
        Assert.Equal(0.36, u[2], 9);
        Assert.Equal([8, 8, 8], [hall.RackAccelerators(0), hall.RackAccelerators(1), hall.RackAccelerators(2)]);
        Assert.Equal((0.8 + 0 + 0.36) / 3, hall.MeanUtilisation, 9);
        Assert.Equal(hall.MeanUtilisation, Weighted(hall, u), 12);
    }

    [Fact]
    public void RequestLevel_TrainingRanksAtDifferentClocks_EachRackCountsItsOwnComputeTime()
    {
        // A two-rack job whose second rank runs at half clocks from 2 s: the gang moves at 0.5, so the
        // slow rank computes all the time and the fast one half of it (it waits at the collective).
        // From 0 to 2 s both compute 0.9; from 2 to 10 s rank 1 computes 0.9 and rank 0 0.45:
        // rank 0 (0.9 × 2 + 0.45 × 8) / 10 = 0.54, rank 1 0.9.
        var sim = new Simulator(1);
        var block = new TrainingRackSpec(TestHardware.Dgx, 1, 0, 2);
        var job = new TrainingJobSpec("pretrain", 0, 2, SimTime.Zero, SimTime.FromSeconds(100), Utilisation: 0.9);
        var hall = new ComputeHall(sim, new ComputeHallSpec(2, [], [], [block], [job]));
        sim.RunUntil(SimTime.FromSeconds(2));
        hall.SetRackSpeedFactor(1, 0.5);
        sim.RunUntil(SimTime.FromSeconds(10));
        hall.AdvanceTo(sim.Now);
        var u = new double[2];
        hall.RackUtilisation(u);

        Assert.Equal(0.54, u[0], 9);
        Assert.Equal(0.9, u[1], 9);
        Assert.Equal(hall.MeanUtilisation, Weighted(hall, u), 9);
    }

    [Fact]
    public void FluidLevel_IdleRack0_TrainingRack036_ServingRackIsItsPools_AndTheirMeanIsTheHalls()
    {
        // Fluid level in 1 s steps with one request a second: the serving rack's busy share is what the
        // pool's own account says (its only rack), the spare rack 0 and the training rack 0.36 as above.
        var spec = ThreeRacks();
        var hall = new FluidHall(spec, [new PoissonArrivals(1, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        for (int t = 1; t <= 10; t++)
        {
            hall.AdvanceTo(SimTime.FromSeconds(t));
        }

        var u = new double[3];
        hall.RackUtilisation(u);

        Assert.Equal(hall.PoolTotals()[0].Utilisation(10), u[0], 12);
        Assert.InRange(u[0], 0.1, 0.8);
        Assert.Equal(0, u[1]);
        Assert.Equal(0.36, u[2], 9);
        Assert.Equal(hall.MeanUtilisation, Weighted(hall, u), 12);
    }

    [Fact]
    public void Windowed_RacksBankAcrossTheWindow_AndTheirMeanIsTheHalls()
    {
        // Fluid to 4 s, request level from 4 s to 8 s (one request a second), fluid again to 10 s:
        // each rack's busy time is banked at both switches as the hall's is.
        var sim = new Simulator(1);
        var spec = ThreeRacks();
        var fluid = new FluidHall(spec, [new PoissonArrivals(1, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        var request = new ComputeHall(sim, spec, new ListSink());
        var it = new WindowedItLoad(sim, fluid, request, [(SimTime.FromSeconds(4), SimTime.FromSeconds(8))], (_, _) => { });
        var u = new double[3];
        for (int t = 1; t <= 10; t++)
        {
            sim.RunUntil(SimTime.FromSeconds(t));
            if (it.RequestLevel)
            {
                request.Submit(0, 2048, 11);
            }

            it.AdvanceTo(sim.Now);
            it.RackUtilisation(u);
            Assert.Equal(it.MeanUtilisation, Weighted(it, u), 12);
        }

        Assert.Equal(0, u[1]);
        Assert.True(u[0] > 0 && u[2] > 0);
    }

    [Fact]
    public void Staged_AbsentRackIsIdle_AndTheInnerModelsRacksPassThrough()
    {
        var spec = ThreeRacks();
        var fluid = new FluidHall(spec, [new PoissonArrivals(1, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        var it = new StagedItLoad(fluid, [new RackInstallation(SimTime.FromSeconds(20), 0, 1)]);
        for (int t = 1; t <= 10; t++)
        {
            it.AdvanceTo(SimTime.FromSeconds(t));
        }

        var u = new double[3];
        it.RackUtilisation(u);
        Assert.Equal(0, u[0]);
        Assert.Equal(0.36, u[2], 9);
        Assert.Equal(it.MeanUtilisation, Weighted(it, u), 12);
    }

    [Fact]
    public void RackUtilisation_WrongLength_IsRefused()
    {
        var hall = new FluidHall(ThreeRacks(), [new PoissonArrivals(1, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        Assert.Throws<ArgumentException>(() => hall.RackUtilisation(new double[2]));
    }

    // The hall's mean from the racks': weighted by accelerators, as busy time over available time adds up.
    internal static double Weighted(IItLoad it, double[] u)
    {
        double busy = 0, accels = 0;
        for (int k = 0; k < u.Length; k++)
        {
            busy += u[k] * it.RackAccelerators(k);
            accels += it.RackAccelerators(k);
        }

        return busy / accels;
    }
}
