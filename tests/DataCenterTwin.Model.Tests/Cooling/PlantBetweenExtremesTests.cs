using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Tests.Cooling;

/// <summary>
/// Known answers for the plant between its extremes (issue 16 §4): YorkCalc tower approach and fan
/// speed, tower water use, the economiser as an ε–NTU exchanger, pumps at part flow with static head.
/// Expected values were worked outside the model (the YorkCalc polynomial and bisections written out
/// from the EnergyPlus Engineering Reference in a separate script; the arithmetic is in the comments).
/// </summary>
public class PlantBetweenExtremesTests
{
    private const double Cp = 4180;
    private const double Rho = 997;

    // One cell: 40 kg/s of condenser water; design 836 kW rejected (range 5 K) at a 4 K approach.
    private static readonly CoolingTowerSpec Tower = new(DesignHeatRejectionW: 40 * Cp * 5, DesignApproachK: 4, DesignFanPowerW: 10_000);
    private static readonly PumpGroupSpec OneCell = new("condenser", 1, 40, 5_000);

    [Fact]
    public void YorkCalc_AtItsReferencePoint_GivesTheTableValue()
    {
        // The 27 terms of Table 63 at Twb 25.6 °C, range 5.56 K, L/G 1 (the correlation's reference
        // condition), summed in the separate script: 3.8345 K.
        Assert.Equal(3.8345, YorkCalc.ApproachK(25.6, 5.56, 1.0), 4);
    }

    [Fact]
    public void Tower_CalibratesToItsDesignApproach_AndRunsFullSpeedWhenTheSetPointIsOutOfReach()
    {
        var tower = new CoolingTower(Tower, OneCell);
        Assert.Equal(5, tower.DesignRangeK, 9);
        // The water-flow ratio at which YorkCalc gives 4 K at 25.6 °C, 5 K range, full air flow.
        Assert.Equal(1.10538, tower.WaterFlowRatio, 4);

        // Design load at 20 °C wet-bulb: full speed reaches 20 + 5.234 K, short of the 24 °C set point.
        double fan = tower.Run(40 * Cp * 5, 1, 20, 24);
        Assert.Equal(25.2341, tower.LeavingWaterC, 3);
        Assert.Equal(10_000, fan, 6);
        Assert.Equal(1, tower.AirFlowRatio);
    }

    [Fact]
    public void Tower_AtHalfLoad_SlowsToTheAirFlowThatHoldsTheApproach_FanByTheCube()
    {
        var tower = new CoolingTower(Tower, OneCell);
        // Half load: range 2.5 K; full speed would give 3.028 K, under the 4 K asked, so the fans slow
        // until YorkCalc(20, 2.5, 1.10538 / FRair) = 4 K: FRair = 0.79428, fan 10 kW × 0.79428³ = 5,010.9 W.
        double fan = tower.Run(40 * Cp * 2.5, 1, 20, 24);
        Assert.Equal(24, tower.LeavingWaterC, 9);
        Assert.Equal(0.79428, tower.AirFlowRatio, 4);
        Assert.Equal(5_010.9, fan, 0);
    }

    [Fact]
    public void Tower_WaterUse_IsEvaporationDriftAndBlowdown()
    {
        var tower = new CoolingTower(Tower, OneCell);
        tower.Run(40 * Cp * 5, 1, 20, 24);
        // 40 kg/s = 0.040120 m³/s. Evaporation 0.2 %/K × 5 K × 0.040120 = 4.0120e-4 m³/s; drift
        // 0.008 % × 0.040120 × FRair 1 = 3.210e-6; blowdown 4.0120e-4 / (3 − 1) − 3.210e-6 = 1.9739e-4.
        Assert.Equal(6.018054e-4, tower.WaterUseM3PerS, 9);
        tower.Run(0, 0, 20, 24);
        Assert.Equal(0, tower.WaterUseM3PerS);
    }

    [Fact]
    public void Economizer_ExchangerRatingGivesItsUa_AndEffectivenessAtOtherFlows()
    {
        var econ = new WatersideEconomizerSpec(HeatExchangerApproachK: 1.5, DesignCapacityW: 500_000);
        double c = 40 * Cp; // 167,200 W/K each side at the rating
        // ΔT = 500,000 / 167,200 = 2.9904 K; ε = 2.9904 / 4.4904 = 0.66595; NTU = ε/(1 − ε) = 1.99358; UA = 333,333 W/K.
        double ua = econ.UaWPerK(c);
        Assert.Equal(333_333.33, ua, 1);
        // Facility side 100,000 W/K: NTU = 3.3333, C_r = 0.59809; ε = (1 − e^(−NTU(1−Cr))) / (1 − Cr·e^(−NTU(1−Cr))) = 0.87518.
        Assert.Equal(0.875177, econ.Effectiveness(ua, 100_000, c), 5);
    }

    [Fact]
    public void Economizer_AtTwoDegreesWetBulb_CarriesTheLoadAlone_ChillersOff()
    {
        var plant = new ChillerPlant(new ChillerPlantSpec([TestPlants.Carrier19Xr.ScaledTo(1e6)], Tower, OneCell,
            new WatersideEconomizerSpec(1.5, 500_000)));
        var w = new WeatherConditions(4, 1, 80, 101_325, 2);
        // Return 22 °C, supply 14 °C, facility flow 100,000 W/K. Full fan speed at 2 °C wet-bulb and the
        // 4.785 K range of an 800 kW duty gives 2 + 10.308 = 12.308 °C tower water, so the duty it can
        // carry is ε·C_min·(22 − 12.308) = 0.87518 × 100,000 × 9.6923 = 848,248 W.
        plant.Prepare(30, 14, 22, 100_000, w);
        Assert.Equal(848_248, plant.AvailableCapacityW - plant.Chillers[0].AvailableCapacityW, 0);

        plant.Run(700_000, w);
        Assert.Equal(700_000, plant.EconomizerCoolingW, 6);
        Assert.Equal(0, plant.RunningChillers);
        Assert.Equal(0, plant.Chillers[0].ElectricW);
        // The tower makes only the water this duty needs: 22 − 700,000 / 87,518 = 14.002 °C (not the
        // chillers' 12.78 °C floor), so its fans slow below full speed.
        Assert.Equal(22 - (700_000 / (0.875177 * 100_000)), plant.Tower.LeavingWaterC, 2);
        Assert.InRange(plant.Tower.AirFlowRatio, 0.0, 0.999);
    }

    [Fact]
    public void Economizer_InWarmWeather_LeavesTheLoadToTheChillers_NeverBelowTheirLeavingWater()
    {
        var plant = new ChillerPlant(new ChillerPlantSpec([TestPlants.Carrier19Xr.ScaledTo(1e6)], Tower, OneCell,
            new WatersideEconomizerSpec(1.5, 500_000)));
        var w = new WeatherConditions(30, 21, 60, 101_325, 23);
        plant.Prepare(30, 14, 22, 100_000, w);
        plant.Run(700_000, w);
        // At 23 °C wet-bulb the tower cannot make water under 22 °C: no free cooling.
        Assert.Equal(0, plant.EconomizerCoolingW);
        Assert.Equal(1, plant.RunningChillers);
        Assert.True(plant.Chillers[0].EnteringCondenserC >= plant.Chillers[0].LeavingChilledWaterC);
    }

    [Fact]
    public void Pump_AtHalfFlow_FollowsTheSystemCurveWithStaticHead()
    {
        // P = P_d·f·(s + (1 − s)·f²): 10 kW × 0.5 × (0.3 + 0.7 × 0.25) = 2,375 W; without static head
        // the affinity cube, 10 kW × 0.125 = 1,250 W.
        var withHead = new PumpGroup(new PumpGroupSpec("p", 1, 20, 10_000) { StaticHeadFraction = 0.3 });
        withHead.Run(10);
        Assert.Equal(2_375, withHead.PowerW, 9);
        var pure = new PumpGroup(new PumpGroupSpec("p", 1, 20, 10_000));
        pure.Run(10);
        Assert.Equal(1_250, pure.PowerW, 9);
    }

    [Fact]
    public void FacilityAndCduFlow_FollowTheLoadAtDesignDeltaT_WithAMinimum()
    {
        var hall = TestPlants.Hall([.. Enumerable.Range(0, 4).Select(_ => DataCenterTwin.Model.Thermal.RackThermalSpec.DirectToChip(50_000, 8, 0, 0.8))],
            TestPlants.Plant([TestPlants.Carrier19Xr])) with { FacilityDesignDeltaK = 8 };
        double design = hall.FacilityLoop.DesignFlowKgPerS;
        // 100 kW at 8 K: 100,000 / (4,180 × 8) = 2.9904 kg/s; below the 20 % minimum it holds 0.2 × design.
        Assert.Equal(100_000 / (Cp * 8), hall.FacilityFlowFor(100_000), 9);
        Assert.Equal(0.2 * design, hall.FacilityFlowFor(1_000), 9);
        Assert.Equal(design, hall.FacilityFlowFor(1e9), 9);

        var cdu = hall.Cdus[0] with { DesignDeltaK = 10 };
        Assert.Equal(50_000 / (Cp * 10), cdu.FlowFor(50_000), 9);
        Assert.Equal(hall.Cdus[0].SecondaryLoop.DesignFlowKgPerS, hall.Cdus[0].FlowFor(50_000), 9);
    }
}
