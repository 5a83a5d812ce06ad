namespace DataCenterTwin.Scenarios.Units;

/// <summary>The units accepted for each dimension and their factor (and offset) to SI.</summary>
internal static class UnitTable
{
    // 1 refrigeration ton = 12,000 BTU/h = 3,516.8528 W (ASHRAE Terminology).
    private const double TonW = 3516.8528420667;

    // 1 BTU (IT) = 1,055.05585262 J.
    private const double BtuJ = 1055.05585262;

    private const double KWhJ = 3.6e6;

    public sealed record Unit(double Factor, double Offset = 0);

    public static readonly IReadOnlyDictionary<Dimension, IReadOnlyDictionary<string, Unit>> ByDimension =
        new Dictionary<Dimension, IReadOnlyDictionary<string, Unit>>
        {
            [Dimension.Power] = Map(("W", 1), ("kW", 1e3), ("MW", 1e6), ("GW", 1e9), ("ton", TonW), ("tons", TonW),
                ("TR", TonW), ("BTU/h", BtuJ / 3600), ("hp", 745.69987158)),
            [Dimension.Energy] = Map(("J", 1), ("kJ", 1e3), ("MJ", 1e6), ("GJ", 1e9), ("Wh", 3600), ("kWh", KWhJ),
                ("MWh", 1e3 * KWhJ), ("GWh", 1e6 * KWhJ), ("therm", 1e5 * BtuJ), ("MMBtu", 1e6 * BtuJ)),
            [Dimension.Temperature] = new Dictionary<string, Unit>(StringComparer.Ordinal)
            {
                ["C"] = new(1), ["°C"] = new(1), ["degC"] = new(1),
                ["K"] = new(1, -273.15),
                ["F"] = new(5.0 / 9, -32 * 5.0 / 9), ["°F"] = new(5.0 / 9, -32 * 5.0 / 9), ["degF"] = new(5.0 / 9, -32 * 5.0 / 9),
            },
            [Dimension.TemperatureDifference] = Map(("K", 1), ("C", 1), ("°C", 1), ("degC", 1), ("F", 5.0 / 9), ("°F", 5.0 / 9), ("degF", 5.0 / 9)),
            [Dimension.Time] = Map(("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("min", 60), ("h", 3600), ("d", 86400),
                ("w", 7 * 86400), ("y", 365 * 86400)),
            [Dimension.MassFlow] = Map(("kg/s", 1), ("kg/min", 1.0 / 60), ("kg/h", 1.0 / 3600)),
            [Dimension.VolumeFlow] = Map(("m3/s", 1), ("m³/s", 1), ("m3/h", 1.0 / 3600), ("m³/h", 1.0 / 3600), ("L/s", 1e-3),
                ("L/min", 1e-3 / 60), ("lpm", 1e-3 / 60), ("gpm", 3.785411784e-3 / 60), ("cfm", 0.028316846592 / 60)),
            [Dimension.Pressure] = Map(("Pa", 1), ("kPa", 1e3), ("MPa", 1e6), ("bar", 1e5), ("psi", 6894.757293168)),
            [Dimension.Fraction] = Map(("%", 0.01)),
            [Dimension.Rate] = Map(("/s", 1), ("/min", 1.0 / 60), ("/h", 1.0 / 3600), ("/d", 1.0 / 86400), ("req/s", 1),
                ("req/min", 1.0 / 60), ("req/h", 1.0 / 3600), ("Hz", 1)),
            [Dimension.PricePerEnergy] = Map(("USD/J", 1), ("USD/kWh", 1 / KWhJ), ("USD/MWh", 1 / (1e3 * KWhJ)),
                ("USD/MMBtu", 1 / (1e6 * BtuJ)), ("USD/therm", 1 / (1e5 * BtuJ)), ("USD/GJ", 1e-9)),
            [Dimension.PricePerPower] = Map(("USD/W", 1), ("USD/kW", 1e-3), ("USD/MW", 1e-6)),
            [Dimension.EmissionPerEnergy] = Map(("kg/J", 1), ("g/kWh", 1e-3 / KWhJ), ("kg/kWh", 1 / KWhJ), ("kg/MWh", 1 / (1e3 * KWhJ)),
                ("t/MWh", 1 / KWhJ), ("kg/MMBtu", 1 / (1e6 * BtuJ)), ("lb/MMBtu", 0.45359237 / (1e6 * BtuJ))),
            [Dimension.Mass] = Map(("g", 1e-3), ("kg", 1), ("t", 1e3)),
            [Dimension.HeatCapacity] = Map(("J/K", 1), ("kJ/K", 1e3), ("MJ/K", 1e6)),
            [Dimension.DataSize] = Map(("B", 1), ("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("KiB", 1024.0),
                ("MiB", 1024.0 * 1024), ("GiB", 1024.0 * 1024 * 1024)),
            [Dimension.PricePerToken] = Map(("USD/token", 1), ("USD/ktok", 1e-3), ("USD/Mtok", 1e-6)),
            [Dimension.Length] = Map(("mm", 1e-3), ("cm", 1e-2), ("m", 1), ("in", 0.0254), ("ft", 0.3048)),
        };

    /// <summary>An example value for error messages ("expected a power such as "1.2 MW"").</summary>
    public static string Example(Dimension d) => d switch
    {
        Dimension.Power => "a power such as \"1.2 MW\" or \"40 kW\"",
        Dimension.Energy => "an energy such as \"500 kWh\"",
        Dimension.Temperature => "a temperature such as \"7 C\"",
        Dimension.TemperatureDifference => "a temperature difference such as \"5 K\"",
        Dimension.Time => "a duration such as \"30 s\", \"2 h\" or \"365 d\"",
        Dimension.MassFlow => "a mass flow such as \"2.5 kg/s\"",
        Dimension.VolumeFlow => "a volume flow such as \"150 L/min\"",
        Dimension.Pressure => "a pressure such as \"150 kPa\"",
        Dimension.Fraction => "a fraction such as \"0.85\" or \"85 %\"",
        Dimension.Rate => "a rate such as \"50 /s\"",
        Dimension.PricePerEnergy => "a price such as \"0.08 USD/kWh\"",
        Dimension.PricePerPower => "a demand charge such as \"15 USD/kW\"",
        Dimension.EmissionPerEnergy => "an emission factor such as \"362 g/kWh\"",
        Dimension.Mass => "a mass such as \"500 kg\"",
        Dimension.HeatCapacity => "a heat capacity such as \"600 kJ/K\"",
        Dimension.DataSize => "a size such as \"80 GB\"",
        Dimension.PricePerToken => "a price such as \"2 USD/Mtok\" (per million output tokens)",
        Dimension.Length => "a length such as \"1.2 m\" or \"600 mm\"",
        _ => d.ToString(),
    };

    private static Dictionary<string, Unit> Map(params (string Name, double Factor)[] units) =>
        units.ToDictionary(u => u.Name, u => new Unit(u.Factor), StringComparer.Ordinal);
}
