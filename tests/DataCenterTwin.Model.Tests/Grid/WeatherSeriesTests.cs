using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Tests.Grid;

public class WeatherSeriesTests
{
    private static WeatherSeries ThreeHours() => new([10, 20, 30], [5, 5, 5], [70, 40, 20], [101_325, 101_325, 101_325]);

    [Fact]
    public void Interpolates_BetweenHourEndings_AndLoops()
    {
        var s = ThreeHours();
        Assert.Equal(10, s.At(3600.0).DryBulbC, 12);
        Assert.Equal(15, s.At(5400.0).DryBulbC, 12);
        Assert.Equal(30, s.At(3 * 3600.0).DryBulbC, 12);
        Assert.Equal(30, s.At(0.0).DryBulbC, 12); // the start is the end of the last hour
        Assert.Equal(20, s.At(1800.0).DryBulbC, 12); // between hour 3 (30) and hour 1 of the next loop (10)
        Assert.Equal(s.At(5400.0).DryBulbC, s.At(SimTime.FromSeconds(5400 + (3 * 3600))).DryBulbC, 12);
    }

    [Fact]
    public void WetBulb_IsDerivedPerHour()
    {
        var s = ThreeHours();
        Assert.Equal(Psychrometrics.WetBulbFromDewPoint(20, 5, 101_325), s.At(7200.0).WetBulbC, 12);
        Assert.True(s.At(7200.0).WetBulbC < 20);
    }

    [Fact]
    public void HeatWaveOffset_RaisesDryBulbInItsWindowOnly()
    {
        var s = ThreeHours();
        double before = s.At(7200.0).WetBulbC;
        s.AddDryBulbOffset(7000, 8000, 5);
        var hot = s.At(7200.0);
        Assert.Equal(25, hot.DryBulbC, 12);
        Assert.True(hot.WetBulbC > before);
        Assert.Equal(5, hot.DewPointC, 12);
        Assert.Equal(30, s.At(3 * 3600.0).DryBulbC, 12);
    }

    [Fact]
    public void Constant_And_BadInput()
    {
        var c = WeatherSeries.Constant(25, 15);
        Assert.Equal(25, c.At(123456.0).DryBulbC);
        Assert.Throws<ArgumentException>(() => new WeatherSeries([1], [1, 2], [1], [1]));
        Assert.Throws<ArgumentException>(() => new WeatherSeries([double.NaN], [1], [1], [1]));
    }
}
