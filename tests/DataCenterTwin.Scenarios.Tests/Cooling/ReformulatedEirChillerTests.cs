using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Scenarios.Cooling;

namespace DataCenterTwin.Scenarios.Tests.Cooling;

/// <summary>
/// Known answers for the reformulated EIR chiller (EnergyPlus Chiller:Electric:ReformulatedEIR) on
/// the York YT 563 kW / 10.61 COP set of datasets/Chillers.idf, worked from the CSV's coefficients
/// in a separate script (the curves' values are in the comments).
/// </summary>
public class ReformulatedEirChillerTests
{
    private const string YorkYt = "ReformEIRChiller York YT 563kW/10.61COP/Vanes";
    private static readonly ChillerCurveLibrary s_lib = ChillerCurveLibrary.LoadDefault();

    [Fact]
    public void Library_HoldsEveryReformulatedChiller()
    {
        Assert.Equal(161, s_lib.ReformulatedNames.Count);
        Assert.Throws<KeyNotFoundException>(() => s_lib.Reformulated("no such chiller"));
    }

    [Fact]
    public void AtItsRatingPoint_TheCurvesGiveItsPublishedCopToWithinTheirFit()
    {
        var c = s_lib.Reformulated(YorkYt);
        // At 6.11 °C leaving chilled water and 18.89 °C leaving condenser water the fitted curves give
        // CAPFT 0.993048 (available 558,689 W) and EIRFT 1.059670, not exactly 1: the COP at the
        // rating is the fit's, 10.23, not the 10.61 entered.
        double available = c.AvailableCapacityW(6.11, 18.89);
        Assert.Equal(562_600 * 0.9930476, available, 0);
        double p = c.ElectricPowerAtLeavingW(available, 6.11, 18.89);
        // Full load (PLR 1): EIRFPLR(18.89, 1) = 1.014587 → P = 558,689 / 10.61 × 1.059670 × 1.014587 = 56,613 W.
        Assert.Equal(558_689.0 / 10.61 * 1.0596700 * 1.0145866, p, 0);
    }

    [Fact]
    public void OffDesign_HalfLoadWarmCondenser_KnownAnswer()
    {
        var c = s_lib.Reformulated(YorkYt);
        // 60 % of the rating (337,560 W) at 8 °C chilled water, 24 °C leaving condenser water:
        // CAPFT 1.198122 → available 674,064 W, PLR 0.500784; EIRFT 1.320036; EIRFPLR(24, 0.500784)
        // 0.396864 → P = 674,064 / 10.61 × 1.320036 × 0.396864 = 33,282.2 W (COP 10.142).
        Assert.Equal(33_282.2, c.ElectricPowerAtLeavingW(0.6 * 562_600, 8, 24), 0);

        // From 20 °C entering condenser water at the scaled reference flow (0.0241 m³/s), the leaving
        // water settles where T_l = 20 + (Q + P(T_l))/(ṁ·c_p): 23.7173 °C, P = 35,791.9 W.
        var (w, leaving) = c.Operate(0.6 * 562_600, 8, 20);
        Assert.Equal(23.7173, leaving, 3);
        Assert.Equal(35_791.9, w, 0);
    }

    [Fact]
    public void WarmChilledWater_BeyondTheData_ExtrapolatesOnLift_KnownAnswer()
    {
        var c = s_lib.Reformulated(YorkYt);
        // York YT EIRFT data: 6.11–12.78 °C leaving chilled water, 18.47–33.52 °C leaving condenser
        // water. At 16 °C chilled water and 24 °C leaving condenser water, by hand:
        // edge (12.78, 24): EIRFT = −0.5308783 − 1.0689322 − 0.6622918 + 3.2330760 − 1.0400354
        //   + 0.9369649 = 0.867903 → COP 10.61/0.867903 = 12.2249.
        // Carnot on refrigerant temperatures (2 K approaches): edge evaporating 10.78 °C = 283.93 K,
        //   lift (24+2) − 10.78 = 15.22 K → 18.6551; here evaporating 14 °C = 287.15 K, lift
        //   26 − 14 = 12 K → 23.9292. Fraction of Carnot at the edge 12.2249/18.6551 = 0.655311.
        // COP here 0.655311 × 23.9292 = 15.6810, EIRFT 10.61/15.6810 = 0.676613.
        Assert.True(c.IsOutsideData(16, 24));
        Assert.Equal(0.676613, c.EirFtAt(16, 24), 5);
        // The clamped curve alone would have held the edge's 0.867903 whatever the chilled water.
        Assert.Equal(0.867903, c.EirFromTemps.Value(16, 24), 5);

        // Below the lift floor, min((18.47+2) − (12.78−2), 11.1+2+2) = 9.69 K, the COP holds: at
        // 16 °C and 18.47 °C the lift would be 6.47 K. Edge (12.78, 18.47): EIRFT 0.331122, Carnot
        // 283.93/9.69 = 29.3013; here 287.15/9.69 = 29.6336 → EIRFT 0.331122 × 29.3013/29.6336 = 0.327409.
        Assert.Equal(9.69, c.EffectiveMinLiftK, 9);
        Assert.Equal(0.327409, c.EirFtAt(16, 18.47), 5);
        Assert.Equal(c.EirFtAt(16, 18.47), c.EirFtAt(16, 16), 12);

        // Inside the data nothing changes, and the power uses the extrapolated EIRFT.
        Assert.Equal(c.EirFromTemps.Value(8, 24), c.EirFtAt(8, 24), 12);
        double q = 0.5 * c.AvailableCapacityW(16, 24);
        double expected = c.AvailableCapacityW(16, 24) / 10.61 * 0.676613 * c.EirFromPartLoad.Value(24, 0.5);
        Assert.Equal(expected, c.ElectricPowerAtLeavingW(q, 16, 24), 0);
    }

    [Fact]
    public void InAPlant_TheChillerRunsAndItsHeatBalances()
    {
        // The Carrier 23XL (rated at 31.44 °C leaving condenser water) suits a tower at 21 °C wet-bulb;
        // the low-lift York YT's part-load fit goes negative that warm.
        var spec = s_lib.Reformulated("ReformEIRChiller Carrier 23XL 724kW/6.04COP/Vanes", 1e6);
        var plant = new ChillerPlant(new ChillerPlantSpec([spec], new CoolingTowerSpec(1.5e6, 4, 15_000), new PumpGroupSpec("c", 1, 60, 10_000)));
        var w = new WeatherConditions(28, 20, 50, 101_325, 21);
        plant.Prepare(30, 7, 13, 1e6 / 6, w);
        plant.Run(600_000, w);
        var chiller = plant.Chillers[0];
        Assert.Equal(600_000, chiller.CoolingW, 6);
        Assert.True(chiller.Cop > 5 && chiller.Cop < 15, $"P {chiller.ElectricW} Q {chiller.CoolingW} avail {chiller.AvailableCapacityW} cond {chiller.EnteringCondenserC} chw {chiller.LeavingChilledWaterC}");
        Assert.Equal(0, chiller.EnergyBalanceResidualW, 6);
    }
}
