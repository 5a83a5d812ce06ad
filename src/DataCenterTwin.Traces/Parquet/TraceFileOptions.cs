using Parquet;

namespace DataCenterTwin.Traces.Parquet;

/// <summary>How trace files are written.</summary>
/// <param name="Compression">Zstd (default) or Snappy.</param>
/// <param name="RowGroupRows">Rows buffered per row group: memory stays bounded by this.</param>
/// <param name="PartitionByMonth">Write <c>dataset/month=YYYY-MM/part-N.parquet</c> instead of one file.</param>
public sealed record TraceFileOptions(CompressionMethod Compression = CompressionMethod.Zstd, int RowGroupRows = 65_536, bool PartitionByMonth = false);
