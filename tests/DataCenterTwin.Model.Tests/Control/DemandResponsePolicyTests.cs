using DataCenterTwin.Model.Control;

namespace DataCenterTwin.Model.Tests.Control;

public class DemandResponsePolicyTests
{
    private const double Kw = 1e3;

    // IT 10,000 kW; chillers 1,712.04 kW; pumps and fans 300 kW; losses 500 kW; other 50 kW.
    private static FacilitySnapshot Facility(double reductionW) => new()
    {
        GridAvailable = true,
        GridCapacityW = 20_000 * Kw,
        FacilityPowerW = 12_562.04 * Kw,
        ItPowerW = 10_000 * Kw,
        ItDemandW = 10_000 * Kw,
        ItFloorW = 5_000 * Kw,
        CoolingElectricW = 2_012.04 * Kw,
        CoolingAllElectricW = 2_012.04 * Kw,
        MovableChillerElectricW = 1_712.04 * Kw,
        OverheadPerItW = 0.055,
        DemandResponseReductionW = reductionW,
        DemandResponseBaselineW = 12_562.04 * Kw,
    };

    [Fact]
    public void CutBeyondGas_MovesAllChillersToGasAndCapsTheShortfall()
    {
        var d = new DemandResponsePolicy(new ElectricFirstPolicy()).Decide(Facility(2_000 * Kw));

        Assert.Equal(1.0, d.GasShare);
        Assert.Equal(287.96, (10_000 * Kw - d.ItPowerCapW) / Kw, 6);
        // Three hours of it through the twin: TwinEventsTests.DemandResponse_ThreeHourEvent_CurtailsTheHandWorkedItEnergy.
        Assert.Equal(ControlReason.DemandResponseCap, d.Reason);
        Assert.Equal(0, d.ShedFraction);
    }

    [Fact]
    public void CutWithinGasCapacity_IsMetExactlyByGasAlone()
    {
        var d = new DemandResponsePolicy(new ElectricFirstPolicy()).Decide(Facility(1_000 * Kw));

        Assert.Equal(1_000 / 1_712.04, d.GasShare, 12);
        Assert.True(double.IsPositiveInfinity(d.ItPowerCapW));
        Assert.Equal(1_000 * Kw, d.GasShare * 1_712.04 * Kw, 6);
    }

    [Fact]
    public void CutBeyondTheClockFloor_ShedsTheLowestPriorityLoad()
    {
        var d = new DemandResponsePolicy(new ElectricFirstPolicy()).Decide(Facility(9_000 * Kw));

        Assert.Equal(ControlReason.DemandResponseShed, d.Reason);
        Assert.True(d.ShedFraction > 0);
    }

    [Fact]
    public void OutsideEvents_DefersToTheOtherPolicy()
    {
        var d = new DemandResponsePolicy(new ElectricFirstPolicy()).Decide(Facility(0));
        Assert.Equal(0, d.GasShare);
        Assert.Equal(ControlReason.Normal, d.Reason);
    }
}
