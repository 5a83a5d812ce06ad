using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Scenarios.Cooling;
using DataCenterTwin.Traces.Weather;

namespace DataCenterTwin.Scenarios.Tests.Cooling;

public class ChillerCurveLibraryTests
{
    private static readonly ChillerCurveLibrary s_lib = ChillerCurveLibrary.LoadDefault();

    [Fact]
    public void Carrier19Xr_ByName_MatchesItsRatingPoint()
    {
        var c = s_lib.Electric(ChillerCurveLibrary.Carrier19Xr);
        Assert.Equal(1_758_300, c.RatedCapacityW);
        double available = c.AvailableCapacityW(5.56, 24.44);
        Assert.Equal(1_732_585, available, 0);
        Assert.Equal(5.8881, available / c.ElectricPowerW(available, 5.56, 24.44), 4);
    }

    [Fact]
    public void Library_HoldsEveryEnergyPlusElectricChiller()
    {
        Assert.Equal(273, s_lib.ElectricNames.Count);
        Assert.Equal(CondenserType.AirCooled, s_lib.Electric(ChillerCurveLibrary.Carrier30Xa).Condenser);
        Assert.Throws<ArgumentException>(() => s_lib.Electric("DOE-2 Centrifugal/5.50COP"));
        Assert.Equal(2e6, s_lib.Electric("DOE-2 Centrifugal/5.50COP", 2e6).RatedCapacityW);
        Assert.Throws<KeyNotFoundException>(() => s_lib.Electric("no such chiller"));
    }

    [Fact]
    public void BigChiller_ByName_MatchesEnergyPlus()
    {
        var p = s_lib.EngineDriven().Evaluate(1e9, 6.67, 35);
        Assert.Equal(99_490, p.CoolingW, 0);
        Assert.Equal(65_657.0, p.FuelW, 0);
        Assert.Equal(35_236.6, p.ShaftPowerW, 0);
    }

    [Fact]
    public void AirCooledChiller_FollowsDryBulb()
    {
        var spec = s_lib.Electric(ChillerCurveLibrary.Carrier30Xa);
        var plant = new ChillerPlant(new ChillerPlantSpec([spec], new CoolingTowerSpec(1e6, 4, 1e4), new PumpGroupSpec("c", 1, 50, 1e4)));
        var mild = new WeatherConditions(30, 10, 30, 101_325, 17);
        var hot = new WeatherConditions(43, 10, 10, 101_325, 21);
        plant.Prepare(30, 6.67, 14, 1e6, mild);
        plant.Run(8e5, mild);
        double mildW = plant.Chillers[0].ElectricW;
        plant.Prepare(30, 6.67, 14, 1e6, hot);
        plant.Run(8e5, hot);
        Assert.True(plant.Chillers[0].ElectricW > 1.2 * mildW);
    }

    [Theory]
    [InlineData("weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw", 190)]
    [InlineData("weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw", 190)]
    [InlineData("weather/USA_FL_Miami.Intl.AP.722020_TMY3.epw", 190)]
    public void ReferenceHall_ADayClosesItsEnergyBalance_ForEachSite(string epw, int dayOfYear)
    {
        var weather = EpwReader.Read(AssetPaths.Asset(epw)).ToSeries();
        var sys = new CoolingSystem(ReferenceHall.Create(s_lib));
        sys.SetHybridMode(HybridMode.GridResponsive);
        var power = new double[sys.RackCount];
        double start = dayOfYear * 86_400.0;
        for (double t = 0; t < 86_400; t += 30)
        {
            ReferenceHall.RackPowerW(t, power);
            sys.SetGridSignal(ReferenceHall.InterconnectW - sys.ItHeatW - sys.CoolingElectricPowerW);
            sys.Step(30, power, weather.At(start + t));
        }

        Assert.True(sys.EnergyBalanceRelativeResidual < 1e-3, $"{sys.EnergyBalanceRelativeResidual}");
        Assert.True(sys.EnergyBalanceRelativeResidual < 1e-12, $"{sys.EnergyBalanceRelativeResidual}");
        Assert.True(sys.MaxChillerBalanceResidualW < 1e-6);
        Assert.InRange(sys.HeatRemovedJ / sys.HeatGeneratedJ, 0.99, 1.02); // IT, fans and pumps all end as heat in the water
        Assert.Equal(0, sys.ThrottledAcceleratorHours);
        Assert.InRange(sys.FacilitySupplyC, 13.5, 14.5);
    }

    [Fact]
    public void ReferenceHall_WinterDay_EconomiserCarriesTheLoad()
    {
        var weather = EpwReader.Read(AssetPaths.Asset("weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw")).ToSeries();
        var sys = new CoolingSystem(ReferenceHall.Create(s_lib));
        var power = new double[sys.RackCount];
        double econJ = 0;
        for (double t = 0; t < 86_400; t += 60)
        {
            ReferenceHall.RackPowerW(t, power);
            sys.Step(60, power, weather.At((15 * 86_400.0) + t));
            econJ += sys.Plant.EconomizerCoolingW * 60;
        }

        Assert.True(econJ > 0.9 * sys.HeatRemovedJ, $"{econJ / sys.HeatRemovedJ}");
    }

    private static CoolingSystem Day(int day = 190, Action<WeatherSeries>? weatherEdit = null)
    {
        var weather = EpwReader.Read(AssetPaths.Asset("weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw")).ToSeries();
        weatherEdit?.Invoke(weather);
        var sys = new CoolingSystem(ReferenceHall.Create(s_lib));
        sys.SetHybridMode(HybridMode.GridResponsive);
        var power = new double[sys.RackCount];
        for (double t = 0; t < 86_400; t += 30)
        {
            ReferenceHall.RackPowerW(t, power);
            sys.SetGridSignal(ReferenceHall.InterconnectW - sys.ItHeatW - sys.CoolingElectricPowerW);
            sys.Step(30, power, weather.At((day * 86_400.0) + t));
        }

        return sys;
    }

    [Fact]
    public void ReferenceHall_GridResponsiveHybrid_FreesCapacityOnASummerAfternoon()
    {
        var sys = Day();
        var hybrid = (HybridChiller)sys.Plant.Chillers[0];
        Assert.True(hybrid.EngineStarts >= 1);
        Assert.True(sys.FuelJ > 0);
        Assert.True(sys.FreedJ > 0);
        Assert.True(sys.PeakFreedCapacityW > 50_000);
    }

    [Theory]
    [InlineData(140)] // 21 May: the economiser carries part of the load; 8 K hotter takes it away
    [InlineData(190)] // 10 July: warmer tower water costs the chillers efficiency
    public void HeatWave_RaisesTheDaysCoolingEnergy(int day)
    {
        var normal = Day(day);
        var hot = Day(day, w => w.AddDryBulbOffset(day * 86_400.0, (day + 1) * 86_400.0, 8));
        // Compare what an all-electric plant would draw (actual electric + freed): the gas share moves with the grid signal.
        double normalAllElectric = normal.CoolingElectricJ + normal.FreedJ;
        double hotAllElectric = hot.CoolingElectricJ + hot.FreedJ;
        Assert.True(hotAllElectric > 1.03 * normalAllElectric, $"{normalAllElectric / 3.6e6} kWh → {hotAllElectric / 3.6e6} kWh");
        Assert.True(hot.EnergyBalanceRelativeResidual < 1e-12);
    }
}
