using DataCenterTwin.Traces.Datasets;
using DataCenterTwin.Traces.Parquet;
using DataCenterTwin.Traces.Weather;

namespace DataCenterTwin.IntegrationTests.Traces;

/// <summary>SCHEMA.md lists every column of every dataset, under its dataset, with its unit: the page and the code cannot drift.</summary>
public sealed class SchemaDocumentTests
{
    public static TheoryData<string, TraceColumn[]> Datasets => new()
    {
        { "facility", FacilityDataset.Columns },
        { "racks", RackDataset.Columns },
        { "plant", PlantDataset.Columns },
        { "events", EventDataset.Columns },
        { "requests", RequestDataset.Columns },
    };

    /// <summary>The table rows under <c>## name</c>, up to the next heading, keyed by column name.</summary>
    private static Dictionary<string, string[]> Section(string heading)
    {
        var lines = File.ReadAllLines(Repository.Path("SCHEMA.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("## " + heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"SCHEMA.md has no '## {heading}' section");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1].Trim('`'), cells => cells, StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void EveryColumn_IsDocumentedWithItsUnit(string dataset, TraceColumn[] columns)
    {
        var documented = Section(dataset);
        Assert.All(columns, c =>
        {
            Assert.True(documented.ContainsKey(c.Name), $"SCHEMA.md, {dataset}: column {c.Name} is missing");
            Assert.Equal(c.Unit.Length == 0 ? "—" : c.Unit, documented[c.Name][4]);
        });
        Assert.Equal(columns.Select(c => c.Name), documented.Keys);
    }

    [Fact]
    public void WeatherColumns_AreDocumented() =>
        Assert.Equal(EpwParquet.Columns.Select(c => c.Name), Section("weather").Keys);
}
