namespace DataCenterTwin.Scenarios.Units;

/// <summary>What a quantity in a scenario file measures; each has one SI unit the code uses.</summary>
public enum Dimension
{
    /// <summary>Power or heat flow, W.</summary>
    Power,

    /// <summary>Energy, J.</summary>
    Energy,

    /// <summary>Temperature, °C.</summary>
    Temperature,

    /// <summary>Temperature difference, K.</summary>
    TemperatureDifference,

    /// <summary>Duration, s.</summary>
    Time,

    /// <summary>Mass flow, kg/s.</summary>
    MassFlow,

    /// <summary>Volume flow, m³/s.</summary>
    VolumeFlow,

    /// <summary>Pressure, Pa.</summary>
    Pressure,

    /// <summary>Dimensionless fraction 0–1 (a percentage is accepted and divided by 100).</summary>
    Fraction,

    /// <summary>Events per unit time, 1/s.</summary>
    Rate,

    /// <summary>Price of energy, USD/J.</summary>
    PricePerEnergy,

    /// <summary>Price of peak power (a demand charge), USD/W.</summary>
    PricePerPower,

    /// <summary>Emission per energy, kg CO2 per J.</summary>
    EmissionPerEnergy,

    /// <summary>Mass, kg.</summary>
    Mass,

    /// <summary>Heat capacity, J/K.</summary>
    HeatCapacity,

    /// <summary>Memory or storage size, bytes.</summary>
    DataSize,

    /// <summary>Price of served tokens, USD per token.</summary>
    PricePerToken,
    /// <summary>Length, m.</summary>
    Length,
}
