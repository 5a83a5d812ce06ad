using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Tests.Thermal;

public class PsychrometricsTests
{
    [Fact]
    public void DryBulb30WetBulb25_HumidityRatioAndBack()
    {
        double w = Psychrometrics.HumidityRatioFromWetBulb(30, 25, 101_325);
        Assert.Equal(0.017954, w, 5);
        Assert.Equal(25, Psychrometrics.WetBulbFromHumidityRatio(30, w, 101_325), 6);
    }

    [Fact]
    public void DewPoint20At35_HumidityRatioAndWetBulb()
    {
        Assert.Equal(0.014695, Psychrometrics.HumidityRatioFromDewPoint(20, 101_325), 5);
        Assert.InRange(Psychrometrics.WetBulbFromDewPoint(35, 20, 101_325), 24.27, 24.31);
    }

    [Fact]
    public void SaturatedAir_WetBulbEqualsDryBulb()
    {
        Assert.Equal(22, Psychrometrics.WetBulbFromDewPoint(22, 22, 101_325), 4);
        Assert.Equal(100, Psychrometrics.RelativeHumidityPercent(22, 22), 9);
    }

    [Fact]
    public void SaturationPressure_KnownValues()
    {
        // ASHRAE Fundamentals table 3: 20 °C → 2.3392 kPa, 0 °C → 0.6112 kPa, −10 °C (ice) → 0.2600 kPa.
        Assert.Equal(2339.2, Psychrometrics.SaturationPressurePa(20), 0);
        Assert.Equal(611.2, Psychrometrics.SaturationPressurePa(0.0), 0);
        Assert.Equal(260.0, Psychrometrics.SaturationPressurePa(-10), 0);
    }
}
