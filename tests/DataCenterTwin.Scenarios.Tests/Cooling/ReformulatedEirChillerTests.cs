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
