using DataCenterTwin.Model.Power;

namespace DataCenterTwin.Model.Tests.Power;

public class PowerPathTests
{
    [Fact]
    public void Pue_OfTheHandWorkedSite_Is125620()
    {
        // Issue 6: IT 10,000 kW, chillers 1,712.04 kW, pumps and fans 300 kW, distribution losses
        // 500 kW, other 50 kW: PUE = 12,562.04 / 10,000.
        var noLoss = new DistributionLossSpec("none", 1, 0, 0, 0);
        var path = new PowerPath(noLoss, noLoss, otherFixedW: 550e3, otherFractionOfIt: 0);
        path.Meter(10_000e3, 1_712.04e3 + 300e3);
        Assert.Equal(1.25620, path.Pue, 5);
        Assert.Equal(12_562.04e3, path.FacilityPowerW, 6);
    }

    [Fact]
    public void DefaultUps_IsAbout96PercentEfficientAtHalfLoad()
    {
        // A modern double-conversion UPS: 95.5–96.5% at 50% load (vendor data, e.g. Eaton 93PM).
        var ups = DistributionLossSpec.DefaultUps(1e6);
        double efficiency = 0.5e6 / (0.5e6 + ups.LossW(0.5e6));
        Assert.InRange(efficiency, 0.955, 0.965);
        Assert.Equal(1e4, ups.LossW(1e-9), 3);
        Assert.Equal(0, ups.LossW(0));
    }

    [Fact]
    public void Losses_GrowWithLoad_AndStayPositive()
    {
        var path = new PowerPath(DistributionLossSpec.DefaultUps(2e6), DistributionLossSpec.DefaultPdu(2e6), 0, 0.08);
        double previous = 0;
        for (double it = 1e5; it <= 2e6; it += 1e5)
        {
            double loss = path.LossesFor(it);
            Assert.True(loss > previous);
            previous = loss;
        }

        path.Meter(1e6, 2e5);
        Assert.Equal(8e4, path.OtherPowerW, 6);
        Assert.Equal(1e6 + path.DistributionLossW + 2e5 + 8e4, path.FacilityPowerW, 6);
    }
}
