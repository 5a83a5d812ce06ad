using DataCenterTwin.Model.Twin;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.Traces.Datasets;

/// <summary>The <c>facility</c> dataset: one row per output interval, every power the interval's time-weighted mean.</summary>
public sealed class FacilityDataset : IDisposable
{
    private const double JPerKWh = 3.6e6;

    /// <summary>The columns, in order (SCHEMA.md documents the same list).</summary>
    public static readonly TraceColumn[] Columns =
    [
        new("time", ColumnType.Timestamp, "UTC", "Start of the interval."),
        new("interval_s", ColumnType.Double, "s", "Length of the interval."),
        new("it_power_w", ColumnType.Double, "W", "IT power (accelerators, hosts, network)."),
        new("cooling_electric_power_w", ColumnType.Double, "W", "Cooling electric power: chillers, pumps, fans, towers, CRAHs."),
        new("losses_power_w", ColumnType.Double, "W", "Distribution losses in UPS and PDUs."),
        new("other_power_w", ColumnType.Double, "W", "Lighting, offices and other facility load."),
        new("total_power_w", ColumnType.Double, "W", "Facility electric power: IT + cooling + losses + other, whatever its source."),
        new("grid_power_w", ColumnType.Double, "W", "Power drawn from the grid."),
        new("grid_cap_w", ColumnType.Double, "W", "Grid capacity in force (contracted or curtailed)."),
        new("headroom_w", ColumnType.Double, "W", "Grid capacity minus grid draw (negative when over)."),
        new("ups_power_w", ColumnType.Double, "W", "Power from the UPS battery."),
        new("generator_power_w", ColumnType.Double, "W", "Power from the standby generators."),
        new("gas_power_w", ColumnType.Double, "W", "Fuel power burned by gas-driven chillers (higher heating value)."),
        new("freed_capacity_w", ColumnType.Double, "W", "Electric power the plant does not draw because gas carries cooling load."),
        new("cooling_all_electric_power_w", ColumnType.Double, "W", "Electric power an all-electric plant would draw for the same load."),
        new("gas_share", ColumnType.Double, "1", "Share of the hybrid chillers' load carried on gas."),
        new("it_cap_w", ColumnType.Double, "W", "Lowest IT power cap in force during the interval; +Infinity when uncapped."),
        new("pue", ColumnType.Double, "1", "Power usage effectiveness: total power over IT power."),
        new("price_usd_per_kwh", ColumnType.Double, "USD/kWh", "Electricity energy price."),
        new("carbon_kg_per_kwh", ColumnType.Double, "kg/kWh", "Carbon intensity of grid electricity."),
        new("outdoor_dry_bulb_c", ColumnType.Double, "°C", "Outdoor dry-bulb temperature."),
        new("inlet_min_c", ColumnType.Double, "°C", "Lowest rack inlet temperature."),
        new("inlet_mean_c", ColumnType.Double, "°C", "Mean rack inlet temperature."),
        new("inlet_max_c", ColumnType.Double, "°C", "Highest rack inlet temperature."),
        new("accelerator_max_c", ColumnType.Double, "°C", "Highest accelerator temperature."),
        new("throttled_fraction", ColumnType.Double, "1", "Share of accelerators running below full clocks."),
        new("batch_occupancy", ColumnType.Double, "1", "Mean running batch over the largest batch, across serving replicas."),
        new("compute_busy", ColumnType.Double, "1", "Share of accelerator time in the compute-bound (clock-bound) part of steps; training counts as compute."),
        new("memory_busy", ColumnType.Double, "1", "Share of accelerator time in the memory-bound part of serving steps (roofline split)."),
    ];

    private readonly TraceTable _table;
    private readonly DateTime _startUtc;

    /// <summary>Opens the dataset under the run folder.</summary>
    public FacilityDataset(string runDirectory, DateTime startUtc, TraceFileOptions options, IReadOnlyDictionary<string, string> metadata)
    {
        _table = new TraceTable(runDirectory, "facility", Columns, options, metadata);
        _startUtc = startUtc;
    }

    /// <summary>The table the rows go to.</summary>
    public TraceTable Table => _table;

    /// <summary>Rows written.</summary>
    public long RowCount => _table.RowCount;

    /// <summary>Writes one interval.</summary>
    public void Write(in FacilitySample s)
    {
        var time = _startUtc.AddTicks((long)Math.Round(s.StartS * TimeSpan.TicksPerSecond));
        _table.StartRow(time);
        int c = 0;
        _table.Set(c++, time);
        _table.Set(c++, s.DurationS);
        _table.Set(c++, s.ItW);
        _table.Set(c++, s.CoolingElectricW);
        _table.Set(c++, s.LossesW);
        _table.Set(c++, s.OtherW);
        _table.Set(c++, s.TotalW);
        _table.Set(c++, s.GridW);
        _table.Set(c++, s.GridCapW);
        _table.Set(c++, s.GridCapW - s.GridW);
        _table.Set(c++, s.UpsW);
        _table.Set(c++, s.GeneratorW);
        _table.Set(c++, s.GasW);
        _table.Set(c++, s.FreedW);
        _table.Set(c++, s.CoolingAllElectricW);
        _table.Set(c++, s.GasShare);
        _table.Set(c++, s.ItCapW);
        _table.Set(c++, s.Pue);
        _table.Set(c++, s.PriceUsdPerJ * JPerKWh);
        _table.Set(c++, s.CarbonKgPerJ * JPerKWh);
        _table.Set(c++, s.OutdoorDryBulbC);
        _table.Set(c++, s.InletMinC);
        _table.Set(c++, s.InletMeanC);
        _table.Set(c++, s.InletMaxC);
        _table.Set(c++, s.AcceleratorMaxC);
        _table.Set(c++, s.ThrottledFraction);
        _table.Set(c++, s.BatchOccupancy);
        _table.Set(c++, s.ComputeBusy);
        _table.Set(c, s.MemoryBusy);
        _table.EndRow();
    }

    /// <summary>Writes what is buffered and completes the file (an empty one if there is none yet and <paramref name="ensureFile"/>).</summary>
    public void Complete(bool ensureFile = true) => _table.Complete(ensureFile);

    /// <inheritdoc/>
    public void Dispose() => _table.Dispose();
}
