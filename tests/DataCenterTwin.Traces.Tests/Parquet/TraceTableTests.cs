using DataCenterTwin.Traces.Parquet;
using Parquet;

namespace DataCenterTwin.Traces.Tests.Parquet;

public class TraceTableTests
{
    private static readonly TraceColumn[] s_columns =
    [
        new("time", ColumnType.Timestamp, "UTC", "Start of the interval."),
        new("it_power_w", ColumnType.Double, "W", "IT power."),
        new("count", ColumnType.Int64, "", "A counter."),
        new("rack", ColumnType.Int32, "", "Rack index."),
        new("over_cap", ColumnType.Boolean, "", "Whether over the cap."),
        new("mode", ColumnType.Category, "", "Chiller mode."),
    ];

    private static readonly Dictionary<string, string> s_metadata = new() { ["seed"] = "42", ["scenario_hash"] = "abc" };

    private static string Write(string dir, int rows, TraceFileOptions options)
    {
        using var table = new TraceTable(dir, "facility", s_columns, options, s_metadata);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string[] modes = ["electric", "gas", "split"];
        for (int i = 0; i < rows; i++)
        {
            var t = start.AddHours(i);
            table.StartRow(t);
            table.Set(0, t);
            table.Set(1, 1000.0 + i);
            table.Set(2, (long)i * 3);
            table.Set(3, i % 7);
            table.Set(4, i % 2 == 0);
            table.Set(5, modes[i % 3]);
            table.EndRow();
        }

        table.Complete();
        Assert.Equal(rows, table.RowCount);
        return Path.Combine(dir, "facility");
    }

    [Fact]
    public void DuckDb_ReadsTheRowsTypesAndMetadata()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-trace").FullName;
        string folder = Write(dir, 2_500, new TraceFileOptions(RowGroupRows: 1_000));
        string file = Path.Combine(folder, "facility.parquet");
        Assert.True(File.Exists(file));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));

        var summary = DuckDb.Query($"select count(*), sum(it_power_w), sum(count)::double, min(time), max(rack), sum(case when over_cap then 1 else 0 end)::bigint, count(distinct mode) from '{file}'")[0];
        Assert.Equal(2_500L, Convert.ToInt64(summary[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2_500 * 1000.0 + 2_499 * 2_500 / 2.0, (double)summary[1]!, 6);
        Assert.Equal(3.0 * 2_499 * 2_500 / 2, Convert.ToDouble(summary[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(6, Convert.ToInt32(summary[4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1_250L, Convert.ToInt64(summary[5], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3L, Convert.ToInt64(summary[6], System.Globalization.CultureInfo.InvariantCulture));

        var types = DuckDb.Query($"select column_name, column_type from (describe select * from '{file}')").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["time"]);
        Assert.Equal("DOUBLE", types["it_power_w"]);
        Assert.Equal("BIGINT", types["count"]);
        Assert.Equal("INTEGER", types["rack"]);
        Assert.Equal("BOOLEAN", types["over_cap"]);
        Assert.Equal("VARCHAR", types["mode"]);

        var groups = DuckDb.Query($"select count(distinct row_group_id) from parquet_metadata('{file}')")[0];
        Assert.Equal(3L, Convert.ToInt64(groups[0], System.Globalization.CultureInfo.InvariantCulture));

        var keys = DuckDb.Query($"select decode(key) from parquet_kv_metadata('{file}')").Select(r => (string)r[0]!).ToList();
        Assert.Contains("seed", keys);
        Assert.Contains("scenario_hash", keys);
        Assert.Contains("columns", keys);

        var encodings = DuckDb.Query($"select encodings, compression from parquet_metadata('{file}') where path_in_schema = 'mode' limit 1")[0];
        Assert.Contains("DICTIONARY", (string)encodings[0]!, StringComparison.Ordinal);
        Assert.Equal("ZSTD", encodings[1]);
    }

    [Fact]
    public void MonthPartitions_AreHiveFoldersThatDuckDbPrunes()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-trace").FullName;
        string folder = Write(dir, 24 * 59, new TraceFileOptions(CompressionMethod.Snappy, RowGroupRows: 500, PartitionByMonth: true));
        Assert.True(File.Exists(Path.Combine(folder, "month=2026-01", "part-0.parquet")));
        Assert.True(File.Exists(Path.Combine(folder, "month=2026-02", "part-0.parquet")));
        var rows = DuckDb.Query($"select month, count(*) from read_parquet('{folder}/*/*.parquet', hive_partitioning = true) group by month order by month");
        Assert.Equal("2026-01", rows[0][0]);
        Assert.Equal(31L * 24, Convert.ToInt64(rows[0][1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(28L * 24, Convert.ToInt64(rows[1][1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void AnUnfinishedTable_LeavesOnlyATemporaryFile()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-trace").FullName;
        var table = new TraceTable(dir, "facility", s_columns, new TraceFileOptions(RowGroupRows: 10), s_metadata);
        for (int i = 0; i < 25; i++)
        {
            table.StartRow();
            table.Set(5, "gas");
            table.EndRow();
        }

        table.Dispose();
        Assert.Empty(Directory.GetFiles(Path.Combine(dir, "facility"), "*.parquet"));
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "facility"), "*.parquet.tmp"));
    }

    [Fact]
    public void ManySmallRowGroupsAcrossMonths_KeepEveryRowWhole()
    {
        // Row groups are encoded on a worker while the next set of arrays fills: a swap that lost or
        // mixed rows would show as a missing id or a cell paired with another row's time.
        string dir = Directory.CreateTempSubdirectory("dctwin-trace").FullName;
        const int rows = 24 * 100;
        string folder = Write(dir, rows, new TraceFileOptions(RowGroupRows: 37, PartitionByMonth: true));
        string glob = $"read_parquet('{folder}/*/*.parquet', hive_partitioning = true)";
        var check = DuckDb.Query($"SELECT count(*), count(DISTINCT count), min(count), max(count) FROM {glob}")[0]
            .Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([rows, rows, 0, 3L * (rows - 1)], check);
        long start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var mismatched = DuckDb.Query($"SELECT count(*) FROM {glob} WHERE it_power_w <> 1000 + count / 3 OR epoch(time) <> {start} + count / 3 * 3600 OR rack <> (count / 3) % 7");
        Assert.Equal(0L, Convert.ToInt64(mismatched[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }
}
