using DataCenterTwin.Model.Twin;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.Traces.Datasets;

/// <summary>The <c>plant</c> dataset: one row per piece of plant equipment per output interval.</summary>
public sealed class PlantDataset : IDisposable
{
    /// <summary>The columns, in order.</summary>
    public static readonly TraceColumn[] Columns =
    [
        new("time", ColumnType.Timestamp, "UTC", "Start of the interval."),
        new("interval_s", ColumnType.Double, "s", "Length of the interval."),
        new("unit", ColumnType.Category, "", "The equipment's name."),
        new("kind", ColumnType.Category, "", "chiller, cdu, loop, pump, tower, crah, economizer or dry_cooler (the warm-water loop's; its pumps are a pump)."),
        new("mode", ColumnType.Category, "", "Mode at the end of the interval: electric, gas, split, on, off, failed."),
        new("load_w", ColumnType.Double, "W", "Mean heat moved."),
        new("electric_power_w", ColumnType.Double, "W", "Mean electric power."),
        new("gas_power_w", ColumnType.Double, "W", "Mean fuel power (higher heating value)."),
        new("cop", ColumnType.Double, "1", "Heat moved over energy in (electric plus fuel); NaN when idle."),
        new("supply_c", ColumnType.Double, "°C", "Mean supply (leaving) temperature."),
        new("return_c", ColumnType.Double, "°C", "Mean return (entering) temperature."),
        new("flow_kg_per_s", ColumnType.Double, "kg/s", "Mean mass flow."),
        new("water_m3", ColumnType.Double, "m3", "Make-up water over the interval (tower: evaporation, drift, blowdown); 0 for other units."),
    ];

    private readonly TraceTable _table;
    private readonly DateTime _startUtc;

    /// <summary>Opens the dataset under the run folder.</summary>
    public PlantDataset(string runDirectory, DateTime startUtc, TraceFileOptions options, IReadOnlyDictionary<string, string> metadata)
    {
        _table = new TraceTable(runDirectory, "plant", Columns, options, metadata);
        _startUtc = startUtc;
    }

    /// <summary>The table the rows go to.</summary>
    public TraceTable Table => _table;

    /// <summary>Rows written.</summary>
    public long RowCount => _table.RowCount;

    /// <summary>Writes one unit's interval.</summary>
    public void Write(in PlantSample s)
    {
        var time = _startUtc.AddTicks((long)Math.Round(s.StartS * TimeSpan.TicksPerSecond));
        _table.StartRow(time);
        int c = 0;
        _table.Set(c++, time);
        _table.Set(c++, s.DurationS);
        _table.Set(c++, s.Unit);
        _table.Set(c++, s.UnitKind);
        _table.Set(c++, s.Mode);
        _table.Set(c++, s.LoadW);
        _table.Set(c++, s.ElectricW);
        _table.Set(c++, s.GasW);
        _table.Set(c++, s.Cop);
        _table.Set(c++, s.SupplyC);
        _table.Set(c++, s.ReturnC);
        _table.Set(c++, s.FlowKgPerS);
        _table.Set(c, s.WaterM3);
        _table.EndRow();
    }

    /// <summary>Writes what is buffered and completes the file (an empty one if there is none yet and <paramref name="ensureFile"/>).</summary>
    public void Complete(bool ensureFile = true) => _table.Complete(ensureFile);

    /// <inheritdoc/>
    public void Dispose() => _table.Dispose();
}
