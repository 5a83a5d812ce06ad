namespace DataCenterTwin.IntegrationTests.Scenarios;

/// <summary>A workload may replay a request trace held as Parquet instead of the Azure CSV.</summary>
public sealed class ParquetRequestTraceTests
{
    [Fact]
    public void ParquetTrace_RunsLikeTheSameTraceAsCsv()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-parquet-trace").FullName;
        string csv = Repository.Path("assets/traces/AzureLLMInferenceTrace_code.csv");
        string parquet = Path.Combine(dir, "code.parquet");
        DuckDb.Query($"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)");
        string quick = File.ReadAllText(Repository.Path("scenarios/quick.yaml"));
        string Scenario(string trace)
        {
            string yaml = quick
                .Replace("prompt_tokens: { mean: 1024, cv: 0.8, max: 8192 }", $"tokens: {{ trace: {trace} }}", StringComparison.Ordinal)
                .Replace("      output_tokens: { mean: 256, cv: 0.8, max: 2048 }\n", "", StringComparison.Ordinal)
                .Replace("process: diurnal", $"process: trace\n        trace: {trace}", StringComparison.Ordinal);
            Assert.Contains("process: trace", yaml, StringComparison.Ordinal);
            string path = Path.Combine(dir, Path.GetFileNameWithoutExtension(trace) + Path.GetExtension(trace).TrimStart('.') + ".yaml");
            File.WriteAllText(path, yaml);
            return path;
        }

        try
        {
            var (fromCsv, csvSummary) = Repository.Run(Scenario(csv), "20 min", "request");
            var (fromParquet, parquetSummary) = Repository.Run(Scenario(parquet), "20 min", "request");
            Assert.True((double)csvSummary["requests_completed"]! > 100);
            Assert.Equal((double)csvSummary["requests_completed"]!, (double)parquetSummary["requests_completed"]!);
            Assert.Equal((double)csvSummary["energy_total_kwh"]!, (double)parquetSummary["energy_total_kwh"]!);
            Directory.Delete(fromCsv, recursive: true);
            Directory.Delete(fromParquet, recursive: true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
