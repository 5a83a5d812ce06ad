using DataCenterTwin.Model.Control;

namespace DataCenterTwin.Model.Tests.Control;

public class CapacityUnlockPolicyTests
{
    private const double Kw = 1e3;

    private static FacilitySnapshot Facility(double capW, double gasShare, double itDemandW = 10_000 * Kw) => new()
    {
        GridAvailable = true,
        GridCapacityW = capW,
        FacilityPowerW = gasShare > 0 ? 10_800 * Kw : 12_512.04 * Kw,
        ItPowerW = 10_000 * Kw,
        ItDemandW = itDemandW,
        CoolingElectricW = gasShare > 0 ? 0 : 1_712.04 * Kw,
        CoolingAllElectricW = 1_712.04 * Kw,
        MovableChillerElectricW = 1_712.04 * Kw,
        OverheadPerItW = 0.08,
        GasShare = gasShare,
    };

    [Fact]
    public void AmpleHeadroom_StaysElectricAndUncapped()
    {
        var d = new CapacityUnlockPolicy(500 * Kw, 200 * Kw, 0).Decide(Facility(20_000 * Kw, 0));
        Assert.Equal(0, d.GasShare);
        Assert.True(double.IsPositiveInfinity(d.ItPowerCapW));
    }

    [Fact]
    public void HeadroomBelowMargin_MovesToGasAndRaisesTheCapByWhatGasFrees()
    {
        var policy = new CapacityUnlockPolicy(500 * Kw, 200 * Kw, 0);
        // Demand of 12,000 kW IT against a cap at the 12,512.04 kW site draw of 10,000 kW IT on electric cooling.
        var s = Facility(12_512.04 * Kw, 0, 12_000 * Kw);
        var d = policy.Decide(s);

        Assert.Equal(1, d.GasShare);
        Assert.Equal(ControlReason.HeadroomBelowMargin, d.Reason);

        // The engines have not taken the load yet (cooling still draws 1,712.04 kW): the cap stays
        // where electric cooling puts it, 12,512.04 / 1.2512 = 10,000 kW of IT.
        Assert.Equal(10_000, d.ItPowerCapW / Kw, 0.01);

        // Once they carry it (cooling draws nothing), the draw is IT × 1.08 and the limit carries
        // 12,512.04 / 1.08 = 11,585.22 kW of IT.
        var carried = Facility(12_512.04 * Kw, 1, 12_000 * Kw);
        carried.FacilityPowerW = 10_800 * Kw;
        d = policy.Decide(carried);
        Assert.Equal(1, d.GasShare);
        Assert.Equal(11_585.22, d.ItPowerCapW / Kw, 0.01);
    }

    [Fact]
    public void BackToElectric_OnlyPastTheHysteresis()
    {
        var policy = new CapacityUnlockPolicy(500 * Kw, 200 * Kw, 0);
        // Electric draw 12,512.04 kW under a 13,100 kW cap: 588 kW headroom, above the margin, below margin + hysteresis.
        var stay = policy.Decide(Facility(13_100 * Kw, 1));
        Assert.Equal(1, stay.GasShare);
        var back = policy.Decide(Facility(13_300 * Kw, 1));
        Assert.Equal(0, back.GasShare);
        Assert.Equal(ControlReason.HeadroomRecovered, back.Reason);
    }

    [Fact]
    public void Outage_RunsCoolingOnGas()
    {
        var s = Facility(20_000 * Kw, 0);
        s.GridAvailable = false;
        Assert.Equal(1, new CapacityUnlockPolicy(500 * Kw, 200 * Kw).Decide(s).GasShare);
    }

    [Fact]
    public void ElectricFirst_CapsAtTheLimitOnlyWhenAsked()
    {
        var s = Facility(12_000 * Kw, 0);
        Assert.True(double.IsPositiveInfinity(new ElectricFirstPolicy(capAtGridLimit: false).Decide(s).ItPowerCapW));
        var capped = new ElectricFirstPolicy().Decide(s);
        // Draw per W of IT: 1 + 0.08 + 0.171204; 12,000 kW carries 9,590.6 kW of IT.
        Assert.Equal(12_000 / 1.251204, capped.ItPowerCapW / Kw, 0.01);
        Assert.Equal(0, capped.GasShare);
    }

    [Fact]
    public void PriceResponsive_ChoosesTheCheaperJouleOfCooling()
    {
        var s = Facility(20_000 * Kw, 0);
        s.ElectricCop = 5.8409;
        s.GasCop = 1.5153;
        s.GasPriceUsdPerJ = 4.0 / 1.055e9;          // 4 USD/MMBtu
        s.ElectricityPriceUsdPerJ = 0.30 / 3.6e6;   // 30 c/kWh: gas is cheaper
        Assert.Equal(1, new PriceResponsivePolicy().Decide(s).GasShare);
        s.ElectricityPriceUsdPerJ = 0.05 / 3.6e6;   // 5 c/kWh: electricity is cheaper
        Assert.Equal(0, new PriceResponsivePolicy().Decide(s).GasShare);
    }
}
