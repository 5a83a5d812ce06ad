using DataCenterTwin.Model.Twin;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.Traces.Datasets;

/// <summary>The <c>events</c> dataset: every site event, failure and control decision, with its reason.</summary>
public sealed class EventDataset : IDisposable
{
    /// <summary>The columns, in order.</summary>
    public static readonly TraceColumn[] Columns =
    [
        new("time", ColumnType.Timestamp, "UTC", "When it happened."),
        new("kind", ColumnType.Category, "", "event_start, event_end, control_decision, generator_start, generator_online, ups_depleted, grid_limit_exceeded, engine_start_failed, curve_extrapolated, manual_control, accelerator_shutdown, accelerator_restart, training_interrupted, training_resumed."),
        new("source", ColumnType.Category, "", "The event's kind, the policy, the equipment, or who gave a manual control."),
        new("description", ColumnType.Category, "", "What and why, in words."),
        new("value_w", ColumnType.Double, "W", "A power that goes with it (curtailed capacity, IT cap, reduction asked); NaN when none."),
    ];

    private static readonly string[] KindNames =
        ["event_start", "event_end", "control_decision", "generator_start", "generator_online", "ups_depleted", "grid_limit_exceeded", "engine_start_failed", "curve_extrapolated", "manual_control",
            "accelerator_shutdown", "accelerator_restart", "training_interrupted", "training_resumed"];

    private readonly TraceTable _table;
    private readonly DateTime _startUtc;

    /// <summary>Opens the dataset under the run folder.</summary>
    public EventDataset(string runDirectory, DateTime startUtc, TraceFileOptions options, IReadOnlyDictionary<string, string> metadata)
    {
        _table = new TraceTable(runDirectory, "events", Columns, options with { PartitionByMonth = false }, metadata);
        _startUtc = startUtc;
    }

    /// <summary>The table the rows go to.</summary>
    public TraceTable Table => _table;

    /// <summary>Rows written.</summary>
    public long RowCount => _table.RowCount;

    /// <summary>The snake_case name of an event kind.</summary>
    public static string KindName(TwinEventKind kind) => KindNames[(int)kind];

    /// <summary>Writes one event.</summary>
    public void Write(in TwinEvent e)
    {
        var time = _startUtc.AddTicks((long)Math.Round(e.TimeS * TimeSpan.TicksPerSecond));
        _table.StartRow(time);
        _table.Set(0, time);
        _table.Set(1, KindName(e.Kind));
        _table.Set(2, e.Source);
        _table.Set(3, e.Description);
        _table.Set(4, e.ValueW);
        _table.EndRow();
    }

    /// <summary>Writes what is buffered and completes the file (an empty one if there is none yet and <paramref name="ensureFile"/>).</summary>
    public void Complete(bool ensureFile = true) => _table.Complete(ensureFile);

    /// <inheritdoc/>
    public void Dispose() => _table.Dispose();
}
