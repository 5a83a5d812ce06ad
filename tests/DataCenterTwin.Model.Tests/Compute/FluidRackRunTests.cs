using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Parallel;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

// On one thread a run of racks with the last rack's inputs takes its results in one pass, the totals
// added in locals. The threaded path works every rack's own part afresh and adds the shared part rack
// by rack through the fields; the two must agree bit for bit, rack for rack and in every total.
public class FluidRackRunTests
{
    private const int Racks = 2 * StepWorkers.MinPerSlice + 40;

    private static RequestClass Chat() =>
        new("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(2, 0.2, 60));

    private static FluidHall Hall(double ratePerS, StepWorkers workers) =>
        new(new ComputeHallSpec(Racks, [TestHardware.Pool(racks: Racks)], [Chat()]), [new PoissonArrivals(ratePerS, new RandomStreams(1).For("a"))], new RandomStreams(1).For("t"))
        {
            Workers = workers,
        };

    // Runs of racks at one clock, broken by throttled and stopped ones.
    private static double Clock(int rack, int step) => (rack % 97) switch
    {
        < 60 => 1,
        < 75 => 0.6,
        < 78 => step is > 20 and < 60 ? 0 : 1,
        _ => 0.8,
    };

    [Theory]
    [InlineData(20.0)]
    [InlineData(400.0)] // overloaded: backlogs build, racks solve twice a step
    public void RunsOfRacksOnOneThread_MatchEveryRackWorkedOnTwo(double ratePerS)
    {
        var one = Hall(ratePerS, StepWorkers.Sequential);
        var two = Hall(ratePerS, StepWorkers.Shared(2));
        for (int step = 1; step <= 90; step++)
        {
            for (int k = 0; k < Racks; k++)
            {
                one.SetRackSpeedFactor(k, Clock(k, step));
                two.SetRackSpeedFactor(k, Clock(k, step));
            }

            one.AdvanceTo(SimTime.FromSeconds(60 * step));
            two.AdvanceTo(SimTime.FromSeconds(60 * step));
        }

        Assert.True(two.Workers.SlicedRuns > 0);
        Assert.Equal(two.RackEnergiesJ.ToArray(), one.RackEnergiesJ.ToArray());
        double[] busyOne = new double[Racks], busyTwo = new double[Racks];
        one.RackBusyAcceleratorSeconds(busyOne);
        two.RackBusyAcceleratorSeconds(busyTwo);
        Assert.Equal(busyTwo, busyOne);
        Assert.Equal(two.BusyAcceleratorSeconds, one.BusyAcceleratorSeconds);
        Assert.Equal(two.ComputeBusyAcceleratorSeconds, one.ComputeBusyAcceleratorSeconds);
        Assert.Equal(two.MemoryBusyAcceleratorSeconds, one.MemoryBusyAcceleratorSeconds);
        Assert.Equal(two.BatchOccupancyReplicaSeconds, one.BatchOccupancyReplicaSeconds);
        Assert.Equal(two.PoolTotals(), one.PoolTotals());
        Assert.Equal(two.Backlog, one.Backlog);
        Assert.Equal(two.Metrics[0].Completed, one.Metrics[0].Completed);
        Assert.Equal(two.Metrics[0].SloMet, one.Metrics[0].SloMet);
        Assert.Equal(two.Metrics[0].Ttft.Quantile(0.99), one.Metrics[0].Ttft.Quantile(0.99));
        Assert.True(one.BusyAcceleratorSeconds > 0);
    }

    [Fact]
    public void SolutionsRememberedAcrossDays_MatchEverySolveWorkedAfresh()
    {
        // A diurnal day brings each hour's rate back the next day: on one thread the pool's memo
        // returns the first day's solutions (and the step mix is kept while the rate holds); the
        // threaded path solves every one afresh. Peak hours overload the racks, so backlogs build and
        // racks solve at their served rates too.
        double[] hourly = [.. Enumerable.Range(0, 24).Select(h => 0.2 + (1.8 * Math.Sin(Math.PI * h / 24)))];
        FluidHall Diurnal(StepWorkers workers) =>
            new(new ComputeHallSpec(Racks, [TestHardware.Pool(racks: Racks)], [Chat()]),
                [new DiurnalPoissonArrivals(3000, hourly, null, new RandomStreams(1).For("a"))], new RandomStreams(1).For("t"))
            {
                Workers = workers,
            };

        var one = Diurnal(StepWorkers.Sequential);
        var two = Diurnal(StepWorkers.Shared(2));
        double mostBacklog = 0;
        for (int step = 1; step <= 2 * 24 * 60; step++)
        {
            one.AdvanceTo(SimTime.FromSeconds(60 * step));
            two.AdvanceTo(SimTime.FromSeconds(60 * step));
            mostBacklog = Math.Max(mostBacklog, one.Backlog);
        }

        Assert.Equal(two.RackEnergiesJ.ToArray(), one.RackEnergiesJ.ToArray());
        Assert.Equal(two.BusyAcceleratorSeconds, one.BusyAcceleratorSeconds);
        Assert.Equal(two.PoolTotals(), one.PoolTotals());
        Assert.Equal(two.Backlog, one.Backlog);
        Assert.Equal(two.Metrics[0].SloMet, one.Metrics[0].SloMet);
        Assert.Equal(two.Metrics[0].Ttft.Quantile(0.99), one.Metrics[0].Ttft.Quantile(0.99));
        Assert.True(mostBacklog > 0);
    }
}
