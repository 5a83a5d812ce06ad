namespace DataCenterTwin.Model.Thermal;

/// <summary>
/// Moist-air relations of ASHRAE Handbook Fundamentals (2017, ch. 1): saturation pressure
/// (Hyland–Wexler), humidity ratio, and the thermodynamic wet-bulb temperature solved by bisection.
/// </summary>
public static class Psychrometrics
{
    /// <summary>Standard sea-level pressure, Pa.</summary>
    public const double StandardPressurePa = 101_325;

    private const double MolarMassRatio = 0.621945;
    private const double KelvinOffset = 273.15;

    /// <summary>Saturation vapour pressure over water (t ≥ 0 °C) or ice (t &lt; 0 °C), Pa.</summary>
    public static double SaturationPressurePa(double tC)
    {
        double t = tC + KelvinOffset;
        double ln = tC >= 0
            ? (-5.8002206e3 / t) + 1.3914993 - (4.8640239e-2 * t) + (4.1764768e-5 * t * t) - (1.4452093e-8 * t * t * t) + (6.5459673 * Math.Log(t))
            : (-5.6745359e3 / t) + 6.3925247 - (9.677843e-3 * t) + (6.2215701e-7 * t * t) + (2.0747825e-9 * t * t * t) - (9.484024e-13 * t * t * t * t) + (4.1635019 * Math.Log(t));
        return Math.Exp(ln);
    }

    /// <summary>Humidity ratio from the partial pressure of water vapour, kg water per kg dry air.</summary>
    public static double HumidityRatioFromVapourPressure(double vapourPressurePa, double pressurePa) =>
        MolarMassRatio * vapourPressurePa / (pressurePa - vapourPressurePa);

    /// <summary>Humidity ratio from the dew point, kg/kg.</summary>
    public static double HumidityRatioFromDewPoint(double dewPointC, double pressurePa) =>
        HumidityRatioFromVapourPressure(SaturationPressurePa(dewPointC), pressurePa);

    /// <summary>Humidity ratio from dry-bulb and wet-bulb temperatures (ASHRAE eq. 33/35), kg/kg.</summary>
    public static double HumidityRatioFromWetBulb(double dryBulbC, double wetBulbC, double pressurePa)
    {
        double wsStar = HumidityRatioFromVapourPressure(SaturationPressurePa(wetBulbC), pressurePa);
        if (wetBulbC >= 0)
        {
            return (((2501 - (2.326 * wetBulbC)) * wsStar) - (1.006 * (dryBulbC - wetBulbC)))
                / (2501 + (1.86 * dryBulbC) - (4.186 * wetBulbC));
        }

        return (((2830 - (0.24 * wetBulbC)) * wsStar) - (1.006 * (dryBulbC - wetBulbC)))
            / (2830 + (1.86 * dryBulbC) - (2.1 * wetBulbC));
    }

    /// <summary>Thermodynamic wet-bulb temperature from dry-bulb and humidity ratio, °C (bisection to 1e-9 K).</summary>
    public static double WetBulbFromHumidityRatio(double dryBulbC, double humidityRatio, double pressurePa)
    {
        double lo = -60;
        double hi = dryBulbC;
        for (int i = 0; i < 60 && hi - lo > 1e-9; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (HumidityRatioFromWetBulb(dryBulbC, mid, pressurePa) > humidityRatio)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return 0.5 * (lo + hi);
    }

    /// <summary>Thermodynamic wet-bulb temperature from dry-bulb and dew point, °C.</summary>
    public static double WetBulbFromDewPoint(double dryBulbC, double dewPointC, double pressurePa) =>
        WetBulbFromHumidityRatio(dryBulbC, HumidityRatioFromDewPoint(Math.Min(dewPointC, dryBulbC), pressurePa), pressurePa);

    /// <summary>Relative humidity from dry-bulb and dew point, 0–100 %.</summary>
    public static double RelativeHumidityPercent(double dryBulbC, double dewPointC) =>
        100 * SaturationPressurePa(Math.Min(dewPointC, dryBulbC)) / SaturationPressurePa(dryBulbC);
}
