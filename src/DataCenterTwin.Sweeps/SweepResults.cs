using System.Text.Json;
using Parquet;

namespace DataCenterTwin.Sweeps;

/// <summary>One variant's row of a sweep's results, read back.</summary>
/// <param name="Variant">Its place in the expansion.</param>
/// <param name="Seed">The run seed.</param>
/// <param name="ScenarioHash">The resolved scenario's SHA-256.</param>
/// <param name="Parameters">What varies across the sweep, path → value.</param>
/// <param name="Figures">Every summary figure (NaN where undefined).</param>
public sealed record SweepRow(int Variant, long Seed, string ScenarioHash, IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, double> Figures)
{
    /// <summary>The figure <paramref name="key"/>, NaN when absent.</summary>
    public double this[string key] => Figures.TryGetValue(key, out double v) ? v : double.NaN;
}

/// <summary>Reads a sweep's results folder (the rows the local and cluster runners write) and finds its Pareto fronts.</summary>
public static class SweepResults
{
    /// <summary>Every row under <paramref name="resultsFolder"/>, by variant.</summary>
    public static IReadOnlyList<SweepRow> Read(string resultsFolder)
    {
        var rows = new List<SweepRow>();
        foreach (string file in Directory.GetFiles(resultsFolder, "*.parquet").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            int variant = 0;
            long seed = 0;
            string hash = "";
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            var figures = new Dictionary<string, double>(StringComparer.Ordinal);
            try
            {
                using var group = reader.OpenRowGroupReader(0);
                foreach (var field in reader.Schema.GetDataFields())
                {
                    var t = field.ClrType;
                    if (t == typeof(double))
                    {
                        var d = new double[1];
                        group.ReadAsync<double>(field, d.AsMemory()).AsTask().GetAwaiter().GetResult();
                        figures[field.Name] = d[0];
                    }
                    else if (t == typeof(int) && field.Name == "variant")
                    {
                        var n = new int[1];
                        group.ReadAsync<int>(field, n.AsMemory()).AsTask().GetAwaiter().GetResult();
                        variant = n[0];
                    }
                    else if (t == typeof(long) && field.Name == "seed")
                    {
                        var n = new long[1];
                        group.ReadAsync<long>(field, n.AsMemory()).AsTask().GetAwaiter().GetResult();
                        seed = n[0];
                    }
                    else if ((t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) && field.Name is "scenario_hash" or "parameters")
                    {
                        var text = new string?[1];
                        group.ReadAsync(field, text.AsMemory()).AsTask().GetAwaiter().GetResult();
                        if (field.Name == "scenario_hash")
                        {
                            hash = text[0] ?? "";
                        }
                        else
                        {
                            foreach (var (k, v) in JsonSerializer.Deserialize<Dictionary<string, string>>(text[0] ?? "{}") ?? [])
                            {
                                parameters[k] = v;
                            }
                        }
                    }
                }
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            rows.Add(new SweepRow(variant, seed, hash, parameters, figures));
        }

        rows.Sort((a, b) => a.Variant.CompareTo(b.Variant));
        return rows;
    }

    /// <summary>
    /// The indices of the points no other point dominates (as good in both, better in one), in
    /// ascending x; points with a NaN coordinate take no part.
    /// </summary>
    public static IReadOnlyList<int> ParetoFront(IReadOnlyList<(double X, double Y)> points, bool minimizeX, bool minimizeY)
    {
        var front = new List<int>();
        for (int i = 0; i < points.Count; i++)
        {
            var (xi, yi) = points[i];
            if (double.IsNaN(xi) || double.IsNaN(yi))
            {
                continue;
            }

            bool dominated = false;
            for (int j = 0; j < points.Count && !dominated; j++)
            {
                var (xj, yj) = points[j];
                if (j == i || double.IsNaN(xj) || double.IsNaN(yj))
                {
                    continue;
                }

                bool asGoodX = minimizeX ? xj <= xi : xj >= xi;
                bool asGoodY = minimizeY ? yj <= yi : yj >= yi;
                bool betterX = minimizeX ? xj < xi : xj > xi;
                bool betterY = minimizeY ? yj < yi : yj > yi;
                dominated = asGoodX && asGoodY && (betterX || betterY);
            }

            if (!dominated)
            {
                front.Add(i);
            }
        }

        front.Sort((a, b) => points[a].X.CompareTo(points[b].X));
        return front;
    }
}
