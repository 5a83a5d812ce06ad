using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Tests.Cooling;

public class PlantPartsTests
{
    [Fact]
    public void AffinityLaw_PowerGoesWithTheCubeOfFlow()
    {
        Assert.Equal(1000 * 0.125, AffinityLaws.Power(1000, 0.5), 12);
        var pumps = new PumpGroup(new PumpGroupSpec("p", 2, 10, 4000));
        pumps.Run(10); // two units at half speed each
        Assert.Equal(2 * 4000 * 0.125, pumps.PowerW, 9);
        pumps.TripOne();
        pumps.Run(10); // one unit at full speed
        Assert.Equal(4000, pumps.PowerW, 9);
    }

    [Fact]
    public void Tower_SetPointIsWetBulbPlusDesignApproach_NeverUnderTheChillersFloor()
    {
        var tower = new CoolingTower(new CoolingTowerSpec(1e6, 4, 10_000), new PumpGroupSpec("c", 1, 50, 5_000));
        Assert.Equal(24, tower.LeavingWaterAt(20), 12);
        Assert.Equal(12.78, tower.LeavingWaterAt(0), 12);
    }

    [Fact]
    public void Economizer_TakesAllTheLoadAtLowWetBulb_AndNoneAtHigh()
    {
        Assert.Equal(1, WatersideEconomizerSpec.Fraction(18, 10, 8));
        Assert.Equal(0.5, WatersideEconomizerSpec.Fraction(18, 10, 14), 12);
        Assert.Equal(0, WatersideEconomizerSpec.Fraction(18, 10, 20));

        var cold = new WeatherConditions(0, -5, 70, 101_325, -2);
        var hot = new WeatherConditions(32, 24, 60, 101_325, 25.5);
        foreach (var (w, expectChillers) in new[] { (cold, false), (hot, true) })
        {
            var plant = new ChillerPlant(TestPlants.Plant([TestPlants.Carrier19Xr], new WatersideEconomizerSpec(1.5, 3e6)));
            plant.Prepare(30, 10, 18, 1e6 / 8, w);
            plant.Run(1e6, w);
            Assert.Equal(1e6, plant.CoolingW, 6);
            Assert.Equal(expectChillers, plant.RunningChillers > 0);
            Assert.Equal(expectChillers ? 0 : 1e6, plant.EconomizerCoolingW, 6);
        }
    }

    [Fact]
    public void Staging_StartsChillersInOrder_AndTripMovesLoad()
    {
        var w = new WeatherConditions(25, 18, 65, 101_325, 20);
        var plant = new ChillerPlant(TestPlants.Plant([TestPlants.Carrier19Xr, TestPlants.Carrier19Xr, TestPlants.Carrier19Xr]));
        plant.Prepare(30, 6, 12, 1e6, w);
        plant.Run(1e6, w);
        Assert.Equal(1, plant.RunningChillers);
        plant.Prepare(30, 6, 12, 1e6, w);
        plant.Run(2.5e6, w);
        Assert.Equal(2, plant.RunningChillers);
        Assert.Equal(plant.Chillers[0].PartLoadRatio, plant.Chillers[1].PartLoadRatio, 9);

        plant.Chillers[0].Trip();
        double capacity = plant.Prepare(30, 6, 12, 1e6, w);
        plant.Run(2.5e6, w);
        Assert.Equal(0, plant.Chillers[0].CoolingW);
        Assert.Equal(2.5e6, plant.CoolingW, 3);
        Assert.True(capacity < 3 * 1.8e6 && capacity > 2 * 1.7e6);
    }
}
