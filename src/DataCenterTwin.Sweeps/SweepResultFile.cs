using System.Text.Json;
using Parquet;
using Parquet.Schema;
using DataCenterTwin.Runs;

namespace DataCenterTwin.Sweeps;

/// <summary>
/// One variant's row of the results dataset: a Parquet file of its own, named by its key
/// (scenario hash, seed), written under a temporary name and renamed, so that a file present is a
/// variant complete and the same key twice is one row. DuckDB reads them all as one table
/// (<c>read_parquet('results/**/*.parquet', union_by_name = true, hive_partitioning = true)</c>).
/// </summary>
public static class SweepResultFile
{
    /// <summary>The file of the variant with <paramref name="scenarioHash"/> and <paramref name="seed"/> in <paramref name="folder"/>.</summary>
    public static string PathOf(string folder, string scenarioHash, long seed) => Path.Combine(folder, $"{scenarioHash[..16]}-{seed}.parquet");

    /// <summary>Writes the row: the sweep, the variant, its key and parameters, and every figure of its summary but the wall time (NaN where undefined).</summary>
    public static void Write(string path, string sweep, SweepVariant variant, RunSummary summary)
    {
        var fields = new List<DataField>
        {
            new DataField<string>("sweep"), new DataField<int>("variant"), new DataField<string>("scenario_hash"),
            new DataField<long>("seed"), new DataField<string>("parameters"),
        };
        var columns = new List<Array>
        {
            new[] { sweep }, new[] { variant.Index }, new[] { summary.ScenarioHash }, new[] { variant.Seed },
            new[] { JsonSerializer.Serialize(variant.Parameters) },
        };
        foreach (var (key, value) in variant.Parameters)
        {
            fields.Add(new DataField<string>($"param:{key}"));
            columns.Add(new[] { value });
        }

        foreach (var f in summary.Figures)
        {
            // Wall time differs run to run; everything else is a function of (scenario, seed).
            if (f.Key == "wall_s")
            {
                continue;
            }

            fields.Add(new DataField<double>(f.Key));
            columns.Add(new[] { f.Value ?? double.NaN });
        }

        var schema = new ParquetSchema(fields.ToArray());
        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            var writer = ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult();
            writer.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["sweep"] = sweep,
                ["units"] = JsonSerializer.Serialize(summary.Figures.ToDictionary(f => f.Key, f => f.Unit)),
            };
            using (var group = writer.CreateRowGroup())
            {
                for (int i = 0; i < fields.Count; i++)
                {
                    var task = columns[i] switch
                    {
                        string[] t => group.WriteAsync(fields[i], new ArraySegment<string>(t), null),
                        int[] n => group.WriteAsync<int>(fields[i], n.AsMemory(), null, null),
                        long[] n => group.WriteAsync<long>(fields[i], n.AsMemory(), null, null),
                        double[] d => group.WriteAsync<double>(fields[i], d.AsMemory(), null, null),
                        _ => throw new InvalidOperationException("unexpected column type"),
                    };
                    task.GetAwaiter().GetResult();
                }
            }

            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        File.Move(temporary, path, overwrite: true);
    }
}
