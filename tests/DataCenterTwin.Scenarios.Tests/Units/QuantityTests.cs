using DataCenterTwin.Scenarios.Units;

namespace DataCenterTwin.Scenarios.Tests.Units;

public class QuantityTests
{
    [Theory]
    [InlineData("40 kW", Dimension.Power, 40_000)]
    [InlineData("1.2 MW", Dimension.Power, 1_200_000)]
    [InlineData("500 ton", Dimension.Power, 1_758_426.4210)]   // 500 × 3,516.8528 W (12,000 BTU/h)
    [InlineData("7 C", Dimension.Temperature, 7)]
    [InlineData("44.6 F", Dimension.Temperature, 7)]
    [InlineData("280.15 K", Dimension.Temperature, 7)]
    [InlineData("5 K", Dimension.TemperatureDifference, 5)]
    [InlineData("9 F", Dimension.TemperatureDifference, 5)]
    [InlineData("30 s", Dimension.Time, 30)]
    [InlineData("2 h", Dimension.Time, 7200)]
    [InlineData("365 d", Dimension.Time, 31_536_000)]
    [InlineData("150 L/min", Dimension.VolumeFlow, 0.0025)]
    [InlineData("2.5 kg/s", Dimension.MassFlow, 2.5)]
    [InlineData("85 %", Dimension.Fraction, 0.85)]
    [InlineData("0.85", Dimension.Fraction, 0.85)]
    [InlineData("500 kWh", Dimension.Energy, 1.8e9)]
    [InlineData("0.08 USD/kWh", Dimension.PricePerEnergy, 0.08 / 3.6e6)]
    [InlineData("362.62 g/kWh", Dimension.EmissionPerEnergy, 0.36262 / 3.6e6)]
    [InlineData("1e3 W", Dimension.Power, 1000)]
    [InlineData("-3 C", Dimension.Temperature, -3)]
    public void Parse_ConvertsToSI(string text, Dimension dimension, double expected)
    {
        Assert.Equal(expected, Quantity.Parse(text, dimension), 1e-9 * Math.Max(1, Math.Abs(expected)));
    }

    [Theory]
    [InlineData("12", Dimension.Power, "the unit is missing")]
    [InlineData("12 kg", Dimension.Power, "unknown unit \"kg\"")]
    [InlineData("kW", Dimension.Power, "expected a power such as")]
    [InlineData("NaN W", Dimension.Power, "expected a power")]
    [InlineData("1e400 W", Dimension.Power, "expected a finite number")]
    [InlineData("", Dimension.Time, "expected a duration")]
    public void Parse_RefusesMissingOrWrongUnits(string text, Dimension dimension, string expectedMessage)
    {
        Assert.False(Quantity.TryParse(text, dimension, out _, out string error));
        Assert.Contains(expectedMessage, error, StringComparison.Ordinal);
    }
}
