namespace DataCenterTwin.Model.Twin;

/// <summary>
/// The facility over one control step or one output interval: powers are averages over the
/// span (energy-exact), temperatures carry their minimum, mean and maximum. Powers in W,
/// temperatures in °C, prices in USD/J, carbon in kg/J.
/// </summary>
public struct FacilitySample
{
    /// <summary>Seconds since the start of the run at the start of the span.</summary>
    public double StartS { get; set; }

    /// <summary>Length of the span, s.</summary>
    public double DurationS { get; set; }

    /// <summary>IT power, W.</summary>
    public double ItW { get; set; }

    /// <summary>Cooling electric power (chillers, pumps, fans, towers, CRAHs), W.</summary>
    public double CoolingElectricW { get; set; }

    /// <summary>Chiller electric power (compressors and gas-side parasitics), W; part of the cooling power.</summary>
    public double ChillerElectricW { get; set; }

    /// <summary>Distribution losses (UPS, PDU), W.</summary>
    public double LossesW { get; set; }

    /// <summary>Other facility load (lighting, offices), W.</summary>
    public double OtherW { get; set; }

    /// <summary>Facility electric power, whatever its source: IT + cooling + losses + other, W.</summary>
    public readonly double TotalW => ItW + CoolingElectricW + LossesW + OtherW;

    /// <summary>Power drawn from the grid, W.</summary>
    public double GridW { get; set; }

    /// <summary>Grid capacity in force, W.</summary>
    public double GridCapW { get; set; }

    /// <summary>Power from the UPS battery, W (negative while it recharges): grid + generator + UPS = total.</summary>
    public double UpsW { get; set; }

    /// <summary>Diesel the standby generators burn (HHV), W.</summary>
    public double GeneratorFuelW { get; set; }

    /// <summary>Engine heat delivered to heat recovery, W.</summary>
    public double HeatRecoveredW { get; set; }

    /// <summary>Power from the standby generators, W.</summary>
    public double GeneratorW { get; set; }

    /// <summary>Fuel power burned by gas chillers (HHV), W.</summary>
    public double GasW { get; set; }

    /// <summary>Electric power the plant does not draw because gas carries the load, W.</summary>
    public double FreedW { get; set; }

    /// <summary>Electric power an all-electric plant would draw for the same load, W.</summary>
    public double CoolingAllElectricW { get; set; }

    /// <summary>Share of the hybrid chillers' load on gas, 0–1.</summary>
    public double GasShare { get; set; }

    /// <summary>IT power cap in force, W (infinite when uncapped).</summary>
    public double ItCapW { get; set; }

    /// <summary>Electricity price, USD/J.</summary>
    public double PriceUsdPerJ { get; set; }

    /// <summary>Grid carbon intensity, kg/J.</summary>
    public double CarbonKgPerJ { get; set; }

    /// <summary>Outdoor dry-bulb temperature, °C.</summary>
    public double OutdoorDryBulbC { get; set; }

    /// <summary>Lowest rack inlet temperature, °C.</summary>
    public double InletMinC { get; set; }

    /// <summary>Mean rack inlet temperature, °C.</summary>
    public double InletMeanC { get; set; }

    /// <summary>Highest rack inlet temperature, °C.</summary>
    public double InletMaxC { get; set; }

    /// <summary>Highest accelerator temperature, °C.</summary>
    public double AcceleratorMaxC { get; set; }

    /// <summary>Share of accelerators throttled, 0–1.</summary>
    public double ThrottledFraction { get; set; }

    /// <summary>Mean accelerator utilisation, 0–1.</summary>
    public double Utilisation { get; set; }

    /// <summary>Mean running batch over the largest, across serving replicas, 0–1.</summary>
    public double BatchOccupancy { get; set; }

    /// <summary>Share of accelerator time in the compute-bound part of steps, 0–1.</summary>
    public double ComputeBusy { get; set; }

    /// <summary>Share of accelerator time in the memory-bound part of serving steps, 0–1.</summary>
    public double MemoryBusy { get; set; }

    /// <summary>Facility power over IT power.</summary>
    public readonly double Pue => ItW > 0 ? TotalW / ItW : double.NaN;
}
