namespace DataCenterTwin.Model.Grid;

/// <summary>Outdoor air at one instant.</summary>
/// <param name="DryBulbC">Dry-bulb temperature, °C.</param>
/// <param name="DewPointC">Dew-point temperature, °C.</param>
/// <param name="RelativeHumidityPercent">Relative humidity, 0–100 %.</param>
/// <param name="PressurePa">Station pressure, Pa.</param>
/// <param name="WetBulbC">Thermodynamic wet-bulb temperature, °C (derived psychrometrically).</param>
public readonly record struct WeatherConditions(
    double DryBulbC, double DewPointC, double RelativeHumidityPercent, double PressurePa, double WetBulbC);
