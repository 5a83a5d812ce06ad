using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>Racks added on a date: absent until then (no energy, no serving), ordinary racks after.</summary>
public class StagedItLoadTests
{
    private static RequestClass Chat() =>
        new("chat", "llama2-70b", TokenDistribution.LogNormal(1024, 0.8, 8000), TokenDistribution.LogNormal(200, 0.8, 2000), new SloSpec(2, 0.2, 60));

    private static FluidHall Hall(double rate) =>
        new(new ComputeHallSpec(2, [TestHardware.Pool(racks: 2)], [Chat()]), [new PoissonArrivals(rate, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));

    private static void RunTo(StagedItLoad it, double endS, double stepS = 60)
    {
        for (double t = stepS; t <= endS + 1e-9; t += stepS)
        {
            it.AdvanceTo(SimTime.FromSeconds(t));
        }
    }

    [Fact]
    public void IdleHall_AbsentRackDrawsNothingUntilItsDate_ThenItsIdlePower()
    {
        // An idle hall (one request in 10^9 s): every rack present draws its idle power P. Rack 1 is
        // installed after one hour, so after two hours rack 0 has drawn P × 7,200 s and rack 1 P × 3,600 s.
        var staged = new StagedItLoad(Hall(1e-9), [new RackInstallation(SimTime.FromSeconds(3600), 1, 1)]);
        RunTo(staged, 3540);
        Assert.True(staged.IsAbsent(1));
        staged.AdvanceTo(SimTime.FromSeconds(3600));
        Assert.False(staged.IsAbsent(1));
        Assert.Equal(0, staged.RackEnergyJ(1));
        for (double t = 3660; t <= 7200; t += 60)
        {
            staged.AdvanceTo(SimTime.FromSeconds(t));
        }

        double idleW = staged.RackEnergyJ(0) / 7200;
        Assert.Equal(8 * TestHardware.H100.IdleW, idleW, 1e-3);
        Assert.Equal(idleW * 3600, staged.RackEnergyJ(1), 1.0);   // to the joule of 2.16 MJ (one request in 10^9 s)
    }

    [Fact]
    public void LoadedHall_AbsentRackServesNothing_ItsPoolServesEverythingOnTheRacksThere()
    {
        // 0.5 request/s is well inside one DGX's capacity: with rack 1 absent for the first hour, rack 0
        // serves every request (more than idle), rack 1 nothing; the pool completes what arrived.
        var inner = Hall(0.5);
        var staged = new StagedItLoad(inner, [new RackInstallation(SimTime.FromSeconds(3600), 1, 1)]);
        RunTo(staged, 3600);
        Assert.Equal(0, staged.RackEnergyJ(1));
        Assert.True(staged.RackEnergyJ(0) > 1.2 * 8 * TestHardware.H100.IdleW * 3600, $"rack 0 drew {staged.RackEnergyJ(0) / 3.6e6:F3} kWh serving alone");
        Assert.Equal(0.5 * 3600, inner.Metrics[0].Completed, 0.5 * 3600 * 0.01);

        // After its date rack 1 takes its share: both draw above idle.
        double rack0BeforeJ = staged.RackEnergyJ(0);
        RunTo(staged, 7200);
        Assert.True(staged.RackEnergyJ(1) > 1.05 * 8 * TestHardware.H100.IdleW * 3600);
        Assert.True(staged.RackEnergyJ(0) - rack0BeforeJ < rack0BeforeJ, "rack 0 serves half the load once rack 1 is in");
        Assert.Equal(0.5 * 7200, inner.Metrics[0].Completed, 0.5 * 7200 * 0.01);
    }

    [Fact]
    public void ClockSetWhileAbsent_AppliesFromTheDate()
    {
        // The controller's clock factor for an absent rack is kept and applied when the rack comes in:
        // at half clocks rack 1 serves (above idle) but draws less above idle than at full clocks.
        double Rack1AfterInstallJ(double? speed)
        {
            var staged = new StagedItLoad(Hall(0.5), [new RackInstallation(SimTime.FromSeconds(600), 1, 1)]);
            if (speed is { } f)
            {
                staged.SetRackSpeedFactor(1, f);
            }

            RunTo(staged, 4200);
            return staged.RackEnergyJ(1);
        }

        double idleJ = 8 * TestHardware.H100.IdleW * 3600;
        double half = Rack1AfterInstallJ(0.5), full = Rack1AfterInstallJ(null);
        Assert.True(half > 1.05 * idleJ, $"half clocks: {half / idleJ:F3} of idle");
        Assert.True(half < full, $"half clocks {half / idleJ:F3}, full {full / idleJ:F3} of idle");
    }

    [Theory]
    [InlineData(0, 1, 1)]      // at the start
    [InlineData(60, 2, 1)]     // a rack the hall does not have
    [InlineData(60, 0, 0)]     // no rack
    public void BadInstallation_IsRefused(double atS, int first, int count) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StagedItLoad(Hall(1), [new RackInstallation(SimTime.FromSeconds(atS), first, count)]));
}
