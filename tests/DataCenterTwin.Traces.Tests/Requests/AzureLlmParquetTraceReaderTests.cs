using DataCenterTwin.Traces.Requests;
using DataCenterTwin.Traces.Tests.Weather;

namespace DataCenterTwin.Traces.Tests.Requests;

/// <summary>The Parquet request-trace reader, on files another writer (DuckDB) made from the real Azure CSVs.</summary>
public class AzureLlmParquetTraceReaderTests
{
    private static readonly string s_csv = EpwReaderTests.Asset("traces/AzureLLMInferenceTrace_code.csv");

    private static string ToParquet(string select)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("dctwin-trace-in").FullName, "trace.parquet");
        DuckDb.Query($"COPY ({select}) TO '{path}' (FORMAT parquet)");
        return path;
    }

    [Fact]
    public void TimestampColumn_GivesTheCsvReadersTrace()
    {
        var csv = AzureLlmTraceReader.Read(s_csv).Trace;
        var parquet = AzureLlmParquetTraceReader.Read(ToParquet($"SELECT * FROM read_csv('{s_csv}')")).Trace;
        Assert.Equal(csv.Count, parquet.Count);
        Assert.Equal(csv.PromptTokens, parquet.PromptTokens);
        Assert.Equal(csv.OutputTokens, parquet.OutputTokens);

        // DuckDB keeps microseconds; the CSV's 100 ns digits round either way by one tick at most.
        Assert.All(csv.OffsetTicks.Zip(parquet.OffsetTicks), p => Assert.InRange(p.Second - p.First, -1, 1));
    }

    [Fact]
    public void StringTimestampsAndLongTokens_GiveExactlyTheCsvReadersTrace()
    {
        var csv = AzureLlmTraceReader.Read(s_csv).Trace;
        var parquet = AzureLlmParquetTraceReader.Read(ToParquet(
            $"SELECT \"TIMESTAMP\", ContextTokens::BIGINT AS ContextTokens, GeneratedTokens::BIGINT AS GeneratedTokens FROM read_csv('{s_csv}', all_varchar = true)")).Trace;
        Assert.Equal(csv.OffsetTicks, parquet.OffsetTicks);
        Assert.Equal(csv.PromptTokens, parquet.PromptTokens);
        Assert.Equal(csv.TotalOutputTokens, parquet.TotalOutputTokens);
    }

    [Fact]
    public void MissingColumn_IsRefusedWithTheColumnsFound()
    {
        string path = ToParquet("SELECT TIMESTAMP '2023-11-16 18:17:03' AS \"TIMESTAMP\", 10 AS ContextTokens");
        var ex = Assert.Throws<InvalidDataException>(() => AzureLlmParquetTraceReader.Read(path));
        Assert.Contains("GeneratedTokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowsOutOfOrderOrNegative_AreRefused_OrSkippedWhenAsked()
    {
        string path = ToParquet("""
            SELECT * FROM (VALUES
              (TIMESTAMP '2023-11-16 18:17:03', 100, 10),
              (TIMESTAMP '2023-11-16 18:17:05', 200, 20),
              (TIMESTAMP '2023-11-16 18:17:04', 300, 30),
              (TIMESTAMP '2023-11-16 18:17:06', -1, 40),
              (TIMESTAMP '2023-11-16 18:17:07', 500, NULL)) AS t("TIMESTAMP", ContextTokens, GeneratedTokens)
            """);
        var ex = Assert.Throws<InvalidDataException>(() => AzureLlmParquetTraceReader.Read(path));
        Assert.Contains("3 malformed row(s)", ex.Message, StringComparison.Ordinal);
        var skipped = AzureLlmParquetTraceReader.Read(path, MalformedRowPolicy.SkipRows);
        Assert.Equal(3, skipped.SkippedRows);
        Assert.Equal([0L, 2_000_000L], skipped.Trace.OffsetTicks);
        Assert.Equal([100, 200], skipped.Trace.PromptTokens);
    }

    [Fact]
    public void NotParquet_IsRefused()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("dctwin-trace-in").FullName, "bad.parquet");
        File.WriteAllText(path, "TIMESTAMP,ContextTokens,GeneratedTokens\n");
        Assert.Throws<InvalidDataException>(() => AzureLlmParquetTraceReader.Read(path));
    }
}
