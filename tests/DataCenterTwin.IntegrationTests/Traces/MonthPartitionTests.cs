namespace DataCenterTwin.IntegrationTests.Traces;

/// <summary>A run longer than two months writes Hive month partitions that DuckDB reads and prunes.</summary>
public sealed class MonthPartitionTests
{
    [Fact]
    public void SeventyDays_WritesMonthPartitions_ThatDuckDbReadsWithHivePartitioning()
    {
        // quick.yaml starts 2026-07-15: 70 days reach into September. Runs over 62 days partition by default.
        var (folder, summary) = Repository.Run("scenarios/quick.yaml", "70 d");
        try
        {
            string[] months = [.. Directory.GetDirectories(Path.Combine(folder, "facility")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
            Assert.Equal(["month=2026-07", "month=2026-08", "month=2026-09"], months);
            string glob = Path.Combine(folder, "facility", "*", "*.parquet");
            var rows = DuckDb.Query($"SELECT month, count(*) FROM read_parquet('{glob}', hive_partitioning = true) GROUP BY month ORDER BY month");
            Assert.Equal(["2026-07", "2026-08", "2026-09"], rows.Select(r => r[0]!.ToString()));
            Assert.Equal(70 * 86_400 / QuickRuns.OutputIntervalS, rows.Sum(r => Convert.ToDouble(r[1], System.Globalization.CultureInfo.InvariantCulture)));

            // Each partition holds only its own month's rows (UTC).
            Assert.Equal(0, DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = true) WHERE strftime(time AT TIME ZONE 'UTC', '%Y-%m') <> month"));
            double total = DuckDb.Scalar($"SELECT sum(total_power_w * interval_s) / 3.6e6 FROM read_parquet('{glob}', hive_partitioning = true)");
            Assert.Equal((double)summary["energy_total_kwh"]!, total, (double)summary["energy_total_kwh"]! * 1e-3);
            Assert.Equal(3, Directory.GetDirectories(Path.Combine(folder, "racks")).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
