namespace DataCenterTwin.Model.Twin;

/// <summary>One piece of plant equipment (chiller, CDU, loop, pump, tower, CRAH) over an output interval.</summary>
public struct PlantSample
{
    /// <summary>Seconds since the start of the run at the start of the interval.</summary>
    public double StartS { get; set; }

    /// <summary>Length of the interval, s.</summary>
    public double DurationS { get; set; }

    /// <summary>The unit's name (<c>chiller-1</c>).</summary>
    public string Unit { get; set; }

    /// <summary>What it is (<c>chiller</c>, <c>cdu</c>, <c>loop</c>, <c>pump</c>, <c>tower</c>, <c>crah</c>).</summary>
    public string UnitKind { get; set; }

    /// <summary>Its mode at the end of the interval (<c>electric</c>, <c>gas</c>, <c>split</c>, <c>off</c>, <c>on</c>, <c>failed</c>).</summary>
    public string Mode { get; set; }

    /// <summary>Mean heat it moved, W.</summary>
    public double LoadW { get; set; }

    /// <summary>Mean electric power, W.</summary>
    public double ElectricW { get; set; }

    /// <summary>Mean fuel power (HHV), W.</summary>
    public double GasW { get; set; }

    /// <summary>Heat moved over energy in (electric plus fuel); NaN when idle.</summary>
    public double Cop { get; set; }

    /// <summary>Mean supply (leaving) temperature, °C.</summary>
    public double SupplyC { get; set; }

    /// <summary>Mean return (entering) temperature, °C.</summary>
    public double ReturnC { get; set; }

    /// <summary>Mean mass flow, kg/s.</summary>
    public double FlowKgPerS { get; set; }

    /// <summary>Make-up water used over the interval (tower evaporation, drift, blowdown), m³; 0 for other units.</summary>
    public double WaterM3 { get; set; }
}
