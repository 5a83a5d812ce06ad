namespace DataCenterTwin.IntegrationTests.Traces;

/// <summary>Same scenario and seed → the same bytes in every Parquet file (STYLE §5).</summary>
public sealed class TraceDeterminismTests
{
    private static Dictionary<string, byte[]> ParquetFiles(string folder) =>
        Directory.GetFiles(folder, "*.parquet", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes, StringComparer.Ordinal);

    [Theory]
    [InlineData("fluid", "1 d")]
    [InlineData("request", "2 h")]
    public void SameScenarioAndSeed_WritesIdenticalParquet(string fidelity, string horizon)
    {
        var (a, _) = Repository.Run("scenarios/quick.yaml", horizon, fidelity);
        var (b, _) = Repository.Run("scenarios/quick.yaml", horizon, fidelity);
        try
        {
            var first = ParquetFiles(a);
            var second = ParquetFiles(b);
            Assert.NotEmpty(first);
            Assert.Equal(first.Keys.Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
            Assert.All(first, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(second[kv.Key]), kv.Key + " differs between runs"));
        }
        finally
        {
            Directory.Delete(a, recursive: true);
            Directory.Delete(b, recursive: true);
        }
    }
}
