namespace DataCenterTwin.Traces.Parquet;

/// <summary>The physical type of a trace column.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The members name Parquet's physical types.")]
public enum ColumnType
{
    /// <summary>A UTC timestamp in microseconds (Parquet TIMESTAMP(MICROS, UTC)).</summary>
    Timestamp,

    /// <summary>A 64-bit float.</summary>
    Double,

    /// <summary>A 64-bit integer.</summary>
    Int64,

    /// <summary>A 32-bit integer.</summary>
    Int32,

    /// <summary>A boolean.</summary>
    Boolean,

    /// <summary>A string from a small set (an enum, a name): dictionary-encoded.</summary>
    Category,
}
