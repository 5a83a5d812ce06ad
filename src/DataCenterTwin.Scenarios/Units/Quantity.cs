using System.Globalization;

namespace DataCenterTwin.Scenarios.Units;

/// <summary>
/// Parses quantities written with their unit ("40 kW", "7 C", "500 ton", "150 L/min") into SI
/// doubles. The one place in the project where units other than SI exist.
/// </summary>
public static class Quantity
{
    /// <summary>
    /// Parses <paramref name="text"/> as a quantity of <paramref name="dimension"/>. A bare number is
    /// accepted only for fractions. Returns false with a message saying what was expected.
    /// </summary>
    public static bool TryParse(string text, Dimension dimension, out double si, out string error)
    {
        si = 0;
        error = "";
        string s = text.Trim();
        int split = 0;
        while (split < s.Length && (char.IsDigit(s[split]) || s[split] is '.' or '-' or '+' or 'e' or 'E'))
        {
            // 'e' only inside a number with digits before it (1e6), not the start of a unit.
            if (s[split] is 'e' or 'E' && (split == 0 || split + 1 >= s.Length || !(char.IsDigit(s[split + 1]) || s[split + 1] is '-' or '+')))
            {
                break;
            }

            split++;
        }

        string number = s[..split];
        string unit = s[split..].Trim();
        if (number.Length == 0 || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            error = $"expected {UnitTable.Example(dimension)}, got \"{text}\"";
            return false;
        }

        if (!double.IsFinite(value))
        {
            error = $"expected a finite number, got \"{text}\"";
            return false;
        }

        var units = UnitTable.ByDimension[dimension];
        if (unit.Length == 0)
        {
            if (dimension == Dimension.Fraction)
            {
                si = value;
                return true;
            }

            error = $"expected {UnitTable.Example(dimension)}: the unit is missing in \"{text}\"";
            return false;
        }

        if (!units.TryGetValue(unit, out var u))
        {
            error = $"expected {UnitTable.Example(dimension)}: unknown unit \"{unit}\" (known: {string.Join(", ", units.Keys)})";
            return false;
        }

        si = value * u.Factor + u.Offset;
        if (!double.IsFinite(si))
        {
            error = $"\"{text}\" is too large";
            return false;
        }

        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with the message of <see cref="TryParse"/>.</summary>
    public static double Parse(string text, Dimension dimension) =>
        TryParse(text, dimension, out double si, out string error) ? si : throw new FormatException(error);

    /// <summary>
    /// Writes an SI value in the unit a person would read it in (kW, kWh, C, USD/kWh, g/kWh), so
    /// that <see cref="TryParse"/> reads it back to the same value within the last digits.
    /// </summary>
    public static string Format(double si, Dimension dimension)
    {
        var (unit, factor, offset) = dimension switch
        {
            Dimension.Power => ("kW", 1e3, 0.0),
            Dimension.Energy => ("kWh", 3.6e6, 0.0),
            Dimension.Temperature => ("C", 1.0, 0.0),
            Dimension.TemperatureDifference => ("K", 1.0, 0.0),
            Dimension.Time => ("s", 1.0, 0.0),
            Dimension.MassFlow => ("kg/s", 1.0, 0.0),
            Dimension.VolumeFlow => ("L/s", 1e-3, 0.0),
            Dimension.Pressure => ("kPa", 1e3, 0.0),
            Dimension.Fraction => ("", 1.0, 0.0),
            Dimension.Rate => ("/s", 1.0, 0.0),
            Dimension.PricePerEnergy => ("USD/kWh", 1 / 3.6e6, 0.0),
            Dimension.PricePerPower => ("USD/kW", 1e-3, 0.0),
            Dimension.EmissionPerEnergy => ("g/kWh", 1e-3 / 3.6e6, 0.0),
            Dimension.Mass => ("kg", 1.0, 0.0),
            Dimension.HeatCapacity => ("kJ/K", 1e3, 0.0),
            Dimension.DataSize => ("GB", 1e9, 0.0),
            Dimension.PricePerToken => ("USD/Mtok", 1e-6, 0.0),
            Dimension.Length => ("m", 1.0, 0.0),
            _ => ("", 1.0, 0.0),
        };
        string number = ((si - offset) / factor).ToString("G12", System.Globalization.CultureInfo.InvariantCulture);
        return unit.Length == 0 ? number : $"{number} {unit}";
    }
}
