namespace DataCenterTwin.Model.Twin;

/// <summary>One rack over an output interval: averages (energy-exact for power) and the extremes that matter.</summary>
public struct RackSample
{
    /// <summary>Seconds since the start of the run at the start of the interval.</summary>
    public double StartS { get; set; }

    /// <summary>Length of the interval, s.</summary>
    public double DurationS { get; set; }

    /// <summary>Rack index in the hall.</summary>
    public int Rack { get; set; }

    /// <summary>Mean IT power, W.</summary>
    public double PowerW { get; set; }

    /// <summary>Mean inlet air temperature, °C.</summary>
    public double InletC { get; set; }

    /// <summary>Highest inlet air temperature, °C.</summary>
    public double InletMaxC { get; set; }

    /// <summary>Mean outlet (exhaust) air temperature, °C.</summary>
    public double OutletC { get; set; }

    /// <summary>Mean liquid supply temperature to the cold plates, °C (NaN for air-cooled racks).</summary>
    public double LiquidSupplyC { get; set; }

    /// <summary>Mean liquid return temperature from the cold plates, °C (NaN for air-cooled racks).</summary>
    public double LiquidReturnC { get; set; }

    /// <summary>Highest accelerator temperature, °C.</summary>
    public double AcceleratorMaxC { get; set; }

    /// <summary>Share of the interval the rack's accelerators ran throttled (speed factor below 1), 0–1.</summary>
    public double ThrottleFraction { get; set; }

    /// <summary>Mean speed factor (1 = full clocks).</summary>
    public double SpeedFactor { get; set; }
}
