using DataCenterTwin.Model.Twin;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.Traces.Datasets;

/// <summary>The <c>racks</c> dataset: one row per rack per output interval.</summary>
public sealed class RackDataset : IDisposable
{
    /// <summary>The columns, in order.</summary>
    public static readonly TraceColumn[] Columns =
    [
        new("time", ColumnType.Timestamp, "UTC", "Start of the interval."),
        new("interval_s", ColumnType.Double, "s", "Length of the interval."),
        new("rack", ColumnType.Int32, "", "Rack index in the hall (row-major)."),
        new("power_w", ColumnType.Double, "W", "Mean IT power of the rack."),
        new("inlet_c", ColumnType.Double, "°C", "Mean inlet air temperature."),
        new("inlet_max_c", ColumnType.Double, "°C", "Highest inlet air temperature."),
        new("outlet_c", ColumnType.Double, "°C", "Mean outlet (exhaust) air temperature."),
        new("liquid_supply_c", ColumnType.Double, "°C", "Mean cold-plate supply temperature; NaN for racks without liquid."),
        new("liquid_return_c", ColumnType.Double, "°C", "Mean cold-plate return temperature; NaN for racks without liquid."),
        new("accelerator_max_c", ColumnType.Double, "°C", "Highest accelerator temperature."),
        new("throttle_fraction", ColumnType.Double, "1", "Share of the interval the accelerators ran below full clocks."),
        new("speed_factor", ColumnType.Double, "1", "Mean clock factor (1 = full clocks)."),
    ];

    private readonly TraceTable _table;
    private readonly DateTime _startUtc;

    /// <summary>Opens the dataset under the run folder.</summary>
    public RackDataset(string runDirectory, DateTime startUtc, TraceFileOptions options, IReadOnlyDictionary<string, string> metadata)
    {
        _table = new TraceTable(runDirectory, "racks", Columns, options, metadata);
        _startUtc = startUtc;
    }

    /// <summary>The table the rows go to.</summary>
    public TraceTable Table => _table;

    /// <summary>Rows written.</summary>
    public long RowCount => _table.RowCount;

    /// <summary>Writes one rack's interval.</summary>
    public void Write(in RackSample s)
    {
        var time = _startUtc.AddTicks((long)Math.Round(s.StartS * TimeSpan.TicksPerSecond));
        _table.StartRow(time);
        int c = 0;
        _table.Set(c++, time);
        _table.Set(c++, s.DurationS);
        _table.Set(c++, s.Rack);
        _table.Set(c++, s.PowerW);
        _table.Set(c++, s.InletC);
        _table.Set(c++, s.InletMaxC);
        _table.Set(c++, s.OutletC);
        _table.Set(c++, s.LiquidSupplyC);
        _table.Set(c++, s.LiquidReturnC);
        _table.Set(c++, s.AcceleratorMaxC);
        _table.Set(c++, s.ThrottleFraction);
        _table.Set(c, s.SpeedFactor);
        _table.EndRow();
    }

    /// <summary>Writes what is buffered and completes the file (an empty one if there is none yet and <paramref name="ensureFile"/>).</summary>
    public void Complete(bool ensureFile = true) => _table.Complete(ensureFile);

    /// <inheritdoc/>
    public void Dispose() => _table.Dispose();
}
