using DataCenterTwin.Model.Control;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Tests.Control;

public class FirmFreedCapacityTests
{
    // A 1 MW, COP 5 compressor whose curves are flat in temperature and linear in load, so its
    // electric draw is (load / 5) at any conditions: P = 1 MW/5 · 1 · PLR.
    private static readonly ElectricChillerSpec Flat = new("flat", 1e6, 5, 6.67, 29.44, 0.1, 1.0,
        new BiquadraticCurve(1, 0, 0, 0, 0, 0, -50, 100, -50, 100),
        new BiquadraticCurve(1, 0, 0, 0, 0, 0, -50, 100, -50, 100),
        new QuadraticCurve(0, 1, 0, 0, 1));

    [Fact]
    public void TwoHybridsOneOut_DesignDay_KnownAnswer()
    {
        var hybrid = HybridChillerSpec.WithSizedEngine("h", Flat, 0.01, 120, 1.0 / 300, 1800, 3);
        var plant = new ChillerPlantSpec([hybrid, hybrid with { Name = "h2" }],
            new CoolingTowerSpec(DesignHeatRejectionW: 2e6, DesignApproachK: 4, DesignFanPowerW: 20_000),
            new PumpGroupSpec("condenser", 2, 50, 10_000));

        // 800 kW on the design day with one unit out: the other carries it all.
        // All-electric: compressor 800/5 = 160 kW; one tower cell (of two, 50 kg/s each, design range
        //   1 MW/(50·4180) = 4.785 K) takes 960 kW: range 4.593 K, and YorkCalc at 22 °C wet-bulb gives
        //   a 4.61 K approach at full air flow, over the 4 K the 26 °C set point asks → fans at full
        //   speed, 20 kW / 2 cells = 10 kW.
        // On gas: shaft 160·0.958 = 153.28 kW (engine rated 200·0.958 = 191.6 kW, friction 21.289 kW);
        //   fuel (153.28 + 21.289)/0.388889·1.107833 = 497.297 kW (HHV); coolant (497.297 − 153.28)·21.5/73.5
        //   = 100.631 kW to the towers with 800 + 153.28: 1,053.911 kW (range 5.043 K, approach 4.96 K at
        //   full air flow) → the same cell at full speed, 10 kW;
        //   parasitics 0.01·800 = 8 kW. One condenser pump either way.
        // Firm freed = (160 + 10) − (8 + 10) = 152 kW.
        var weather = WeatherSeries.Constant(30, 22);
        var r = FirmFreedCapacity.Compute(plant, weather, 800e3, 6.67);
        Assert.Equal(152_000, r.FirmFreedW, 0);
        Assert.Equal(160_000 + 10_000 + 10_000, r.AllElectricPeakW, 0);
        Assert.Equal(0, r.DesignDayStartHour % 24);
    }

    [Fact]
    public void OneHybridAmongElectrics_LosingItLeavesNothingFirm()
    {
        // The instantaneous peak would count the hybrid's whole compressor; with N+1 on the design
        // day the worst loss is the hybrid itself, and then gas frees nothing.
        var hybrid = HybridChillerSpec.WithSizedEngine("h", Flat, 0.01, 120, 1.0 / 300, 1800, 3);
        var plant = new ChillerPlantSpec([hybrid, Flat with { Name = "e1" }, Flat with { Name = "e2" }],
            new CoolingTowerSpec(2e6, 4, 20_000), new PumpGroupSpec("condenser", 3, 50, 10_000));
        var r = FirmFreedCapacity.Compute(plant, WeatherSeries.Constant(30, 22), 800e3, 6.67);
        Assert.Equal(0, r.FirmFreedW, 6);
        Assert.Equal(0, r.ChillerOut);
    }
}
