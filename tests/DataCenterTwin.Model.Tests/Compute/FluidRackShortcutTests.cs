using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

// The fluid hall's shortcuts over its racks: a rack whose inputs are the same bits as the rack before
// it takes that rack's results, and a pool with no rack stopped now or at its last pass skips the
// pass that retries what stopped racks held. Each must give what working every rack gives.
public class FluidRackShortcutTests
{
    private static RequestClass Chat() =>
        new("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(2, 0.2, 60));

    private static FluidHall Hall(double ratePerS) =>
        new(new ComputeHallSpec(4, [TestHardware.Pool(racks: 4)], [Chat()]), [new PoissonArrivals(ratePerS, new RandomStreams(1).For("a"))], new RandomStreams(1).For("t"));

    [Theory]
    [InlineData(1.0)]
    [InlineData(24.0)] // overloaded: backlogs build, and every rack solves twice a step
    public void RacksInAnyOrder_GetTheBitsOfTheirOwnInputs(double ratePerS)
    {
        // Interleaved, no rack follows one at its clock; paired, every other rack does (and takes its
        // results). Each rack's energy depends only on its own clock, so the two orders must agree bit
        // for bit, rack for rack.
        double[] interleaved = [1, 0.6, 1, 0.6];
        double[] paired = [0.6, 0.6, 1, 1];
        var a = Hall(ratePerS);
        var b = Hall(ratePerS);
        for (int k = 0; k < 4; k++)
        {
            a.SetRackSpeedFactor(k, interleaved[k]);
            b.SetRackSpeedFactor(k, paired[k]);
        }

        for (int step = 1; step <= 240; step++)
        {
            a.AdvanceTo(SimTime.FromSeconds(60 * step));
            b.AdvanceTo(SimTime.FromSeconds(60 * step));
        }

        Assert.Equal(a.RackEnergyJ(1), b.RackEnergyJ(0));
        Assert.Equal(a.RackEnergyJ(3), b.RackEnergyJ(1));
        Assert.Equal(a.RackEnergyJ(0), b.RackEnergyJ(2));
        Assert.Equal(a.RackEnergyJ(2), b.RackEnergyJ(3));
        Assert.NotEqual(b.RackEnergyJ(1), b.RackEnergyJ(2));
        Assert.Equal(a.Backlog, b.Backlog);
    }

    [Fact]
    public void RackStoppedAgainAfterARestart_RetriesWhatItHeld()
    {
        // A stops rack 2 at step 30 only; B stops it at step 10, restarts it at step 20 and stops it
        // again at step 30. Underloaded, no rack holds a backlog, so at step 29 both halls are in the
        // same state and the step-30 stop moves the same requests (those in rack 2's batches) in both.
        // Were the restart missed by the pass that remembers which racks were up, B would move none.
        var a = Hall(1);
        var b = Hall(1);
        double retriedA = 0, retriedB = 0;
        for (int step = 1; step <= 40; step++)
        {
            if (step == 10)
            {
                b.SetRackSpeedFactor(2, 0);
            }
            else if (step == 20)
            {
                b.SetRackSpeedFactor(2, 1);
            }
            else if (step == 30)
            {
                a.SetRackSpeedFactor(2, 0);
                b.SetRackSpeedFactor(2, 0);
                (retriedA, retriedB) = (a.RequestsRetried, b.RequestsRetried);
            }

            a.AdvanceTo(SimTime.FromSeconds(60 * step));
            b.AdvanceTo(SimTime.FromSeconds(60 * step));
            if (step == 30)
            {
                (retriedA, retriedB) = (a.RequestsRetried - retriedA, b.RequestsRetried - retriedB);
            }
        }

        Assert.True(retriedA > 0, $"stopping a serving rack retries the requests in its batches ({retriedA})");
        Assert.Equal(retriedA, retriedB, 9);
        Assert.True(b.RequestsRetried > retriedB, "the first stop retried requests too");
    }
}
