namespace DataCenterTwin.Traces.Parquet;

/// <summary>One column of a trace dataset: its name (snake_case with the unit as suffix), type, unit and meaning.</summary>
/// <param name="Name">Column name, e.g. <c>it_power_w</c>.</param>
/// <param name="Type">Physical type.</param>
/// <param name="Unit">Unit of the values ("W", "s", "UTC", "" for none).</param>
/// <param name="Description">What the value is, one sentence.</param>
public sealed record TraceColumn(string Name, ColumnType Type, string Unit, string Description);
