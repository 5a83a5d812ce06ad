using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// A synchronous training job on two racks of 4 DGX-H100 (32 H100 each: 75 W idle, 700 W TDP,
/// hosts at 0 W), at utilisation 1, at both fidelities. Known answers worked by hand below.
/// </summary>
public class SynchronousTrainingTests
{
    private const int Accels = 32;
    private const double KWh = 3.6e6;

    private static ComputeHallSpec Spec(TrainingJobSpec job) =>
        new(2, [], [], [new TrainingRackSpec(TestHardware.Dgx, 4, 0, 2)], [job]);

    private static FluidHall Fluid(TrainingJobSpec job) =>
        new(Spec(job), [], new RandomStreams(1).For("tokens"));

    private static void Steps(FluidHall hall, double fromMin, double toMin)
    {
        for (double m = fromMin + 1; m <= toMin + 1e-9; m++)
        {
            hall.AdvanceTo(SimTime.FromSeconds(m * 60));
        }
    }

    // One rack at half clock for the whole job: 2 h of work take 4 h. The slow rank computes all
    // the time at 75 + 625 × 0.5² = 231.25 W; the fast one computes half the time at 700 W and waits
    // at the collective (idle, 75 W) the other half: 387.5 W on average. Over 4 h, 32 accelerators:
    // 29.6 kWh and 49.6 kWh. Then an hour idle: 32 × 75 W × 1 h = 2.4 kWh each.
    private const double SlowRackKWh = (Accels * 231.25 * 4 / 1000) + 2.4;
    private const double FastRackKWh = (Accels * 387.5 * 4 / 1000) + 2.4;

    [Fact]
    public void Fluid_OneRackAtHalfClock_TheJobRunsAtItsPace_AndTheFastRankWaits()
    {
        var hall = Fluid(new TrainingJobSpec("pretrain", 0, 2, SimTime.Zero, SimTime.FromHours(2), 1.0));
        hall.SetRackSpeedFactor(1, 0.5);
        Steps(hall, 0, 300);
        Assert.Equal(FastRackKWh, hall.RackEnergyJ(0) / KWh, 6);
        Assert.Equal(SlowRackKWh, hall.RackEnergyJ(1) / KWh, 6);
        Assert.Equal(0, hall.Training.Interruptions);
    }

    [Fact]
    public void RequestLevel_OneRackAtHalfClock_TheJobRunsAtItsPace_AndTheFastRankWaits()
    {
        var sim = new Simulator(1);
        var hall = new ComputeHall(sim, Spec(new TrainingJobSpec("pretrain", 0, 2, SimTime.Zero, SimTime.FromHours(2), 1.0)));
        hall.SetRackSpeedFactor(1, 0.5);
        sim.RunUntil(SimTime.FromHours(5));
        hall.AdvanceTo(sim.Now);
        Assert.Equal(FastRackKWh, hall.RackEnergyJ(0) / KWh, 6);
        Assert.Equal(SlowRackKWh, hall.RackEnergyJ(1) / KWh, 6);
    }

    // A 10-h job checkpointing every 30 min, restarting in 10 min. At 100 min one rack stops (a die
    // at its shutdown limit): every rank stops, and the 10 min done since the 90-min checkpoint are
    // lost (10/60 h × 64 accelerators = 10.67 accelerator-hours). The rack is back at 120 min; the job
    // restarts until 130 min and then has 10 h − 90 min = 510 min left: it ends at 640 min.
    // Rack 0 computes 100 + 510 = 610 min at 700 W and idles 90 min at 75 W up to 700 min.
    private static TrainingJobSpec TenHourJob() =>
        new("pretrain", 0, 2, SimTime.Zero, SimTime.FromHours(10), 1.0, CheckpointIntervalS: 1800, RestartS: 600);

    private const double StoppedRackKWh = Accels * ((700.0 * 610) + (75.0 * 90)) / 60 / 1000;

    [Fact]
    public void Fluid_ARankStops_TheJobLosesTheWorkSinceItsCheckpoint_AndRestarts()
    {
        var hall = Fluid(TenHourJob());
        Steps(hall, 0, 100);
        hall.SetRackSpeedFactor(1, 0);
        Steps(hall, 100, 120);
        hall.SetRackSpeedFactor(1, 1);
        Steps(hall, 120, 700);

        var t = hall.Training;
        Assert.Equal(1, t.Interruptions);
        Assert.Equal(600, t.LostWorkS, 6);
        Assert.Equal(10.0 / 60 * 64, t.LostAcceleratorHours, 6);
        Assert.Collection(t.Notices,
            n => Assert.Equal((6000.0, TrainingNoticeKind.Interrupted, 600.0), (n.TimeS, n.Kind, Math.Round(n.LostWorkS, 6))),
            n => Assert.Equal((7800.0, TrainingNoticeKind.Resumed), (n.TimeS, n.Kind)));
        Assert.Equal(StoppedRackKWh, hall.RackEnergyJ(0) / KWh, 6);
    }

    [Fact]
    public void RequestLevel_ARankStops_TheJobLosesTheWorkSinceItsCheckpoint_AndRestarts()
    {
        var sim = new Simulator(1);
        var hall = new ComputeHall(sim, Spec(TenHourJob()));
        sim.RunUntil(SimTime.FromMinutes(100));
        hall.SetRackSpeedFactor(1, 0);
        sim.RunUntil(SimTime.FromMinutes(120));
        hall.SetRackSpeedFactor(1, 1);
        sim.RunUntil(SimTime.FromMinutes(700));
        hall.AdvanceTo(sim.Now);

        var t = hall.Training;
        Assert.Equal(1, t.Interruptions);
        Assert.Equal(600, t.LostWorkS, 6);
        Assert.Collection(t.Notices,
            n => Assert.Equal((6000.0, TrainingNoticeKind.Interrupted), (n.TimeS, n.Kind)),
            n => Assert.Equal((7800.0, TrainingNoticeKind.Resumed), (n.TimeS, n.Kind)));
        Assert.Equal(StoppedRackKWh, hall.RackEnergyJ(0) / KWh, 6);
    }

    // The rank power formula both fidelities call, worked by hand for the H100 (75 W idle, 700 W TDP):
    // at full clock and utilisation, always computing, TDP; the slow rank above at half clock,
    // 75 + 625 × 0.25 = 231.25 W; the fast rank computing half the time, 75 + 625 × 0.5 = 387.5 W;
    // at 80 % utilisation, 0.9 clock, computing 60 % of the time: 75 + 0.8 × 625 × 0.81 × 0.6 = 318 W;
    // a rank that only waits draws idle.
    [Theory]
    [InlineData(1.0, 1.0, 1.0, 700)]
    [InlineData(1.0, 0.5, 1.0, 231.25)]
    [InlineData(1.0, 1.0, 0.5, 387.5)]
    [InlineData(0.8, 0.9, 0.6, 318)]
    [InlineData(1.0, 1.0, 0.0, 75)]
    public void TrainingRankPower_IsIdlePlusTheComputingShareOfTheSpanToTdp_AtTheClocksDynamicScale(double utilisation, double speed, double share, double watts) =>
        Assert.Equal(watts, TestHardware.H100.TrainingPowerW(utilisation, speed, share), 9);

    [Theory]
    [InlineData(6000, 1800, 600)]   // 100 min of work, checkpoints every 30 min: 10 min lost
    [InlineData(5400, 1800, 0)]     // stopped right at a checkpoint: nothing lost
    [InlineData(1000, 1800, 1000)]  // before the first checkpoint: everything
    public void LostSinceCheckpoint_IsTheWorkSinceTheLastCheckpoint(double doneS, double intervalS, double lostS) =>
        Assert.Equal(lostS, TrainingLedger.LostSinceCheckpoint(doneS, intervalS), 6);
}
