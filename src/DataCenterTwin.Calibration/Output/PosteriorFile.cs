using System.Globalization;
using System.Text.Json;
using DataCenterTwin.Calibration.Twin;
using DataCenterTwin.Kernel.Random;
using Parquet;
using Parquet.Schema;

namespace DataCenterTwin.Calibration.Output;

/// <summary>A parameter column of a posterior file: its name, override path ("" for a noise scale) and unit.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Path">Scenario override path.</param>
/// <param name="Unit">Unit written after the number in the override.</param>
public sealed record PosteriorColumn(string Name, string Path, string Unit);

/// <summary>Posterior draws read back: the columns and every draw, chain after chain.</summary>
/// <param name="Columns">The parameters.</param>
/// <param name="Chain">Each draw's chain.</param>
/// <param name="Draws">Draws, [row][parameter].</param>
/// <param name="Converged">Whether the fit that wrote them was called converged.</param>
public sealed record PosteriorDraws(IReadOnlyList<PosteriorColumn> Columns, int[] Chain, double[][] Draws, bool Converged);

/// <summary>
/// Posterior samples as Parquet: columns <c>chain</c>, <c>draw</c> and one double per parameter
/// (named as in the calibration file); the file metadata <c>parameters</c> holds each column's
/// override path, unit and summary as JSON, so <c>dctwin run --posterior</c> can put the draws
/// back into a scenario.
/// </summary>
public static class PosteriorFile
{
    /// <summary>Writes the MCMC draws (or, for a Laplace fit, <paramref name="laplaceDraws"/> draws from the Gaussian at the mode).</summary>
    public static void Write(string path, CalibrationResult result, int laplaceDraws = 4000, ulong seed = 42)
    {
        var parameters = result.Parameters;
        var chains = new List<int>();
        var rows = new List<double[]>();
        if (result.Samples is { } s)
        {
            for (int c = 0; c < s.Chains.Count; c++)
            {
                var d = s.Chains[c].Draws;
                for (int k = 0; k < d.GetLength(0); k++)
                {
                    chains.Add(c);
                    rows.Add([.. Enumerable.Range(0, d.GetLength(1)).Select(i => d[k, i])]);
                }
            }
        }
        else
        {
            var rng = new RandomStreams(seed).For("calibration/laplace-draws");
            var cov = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(result.Map.Covariance
                ?? Diagonal([.. parameters.Select(p => p.Summary.StandardDeviation)]));
            var l = cov.Cholesky().Factor;
            for (int k = 0; k < laplaceDraws; k++)
            {
                var z = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(parameters.Count, _ => rng.Normal(0, 1));
                var x = l * z;
                chains.Add(0);
                rows.Add([.. Enumerable.Range(0, parameters.Count).Select(i => result.Map.Mode[i] + x[i])]);
            }
        }

        var fields = new List<DataField> { new DataField<int>("chain"), new DataField<int>("draw") };
        fields.AddRange(parameters.Select(p => new DataField<double>(p.Spec.Name)));
        var schema = new ParquetSchema(fields);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dataset"] = "posterior",
            ["method"] = result.Method == PosteriorMethod.Mcmc ? "mcmc" : "laplace",
            ["converged"] = result.Converged ? "true" : "false",
            ["parameters"] = JsonSerializer.Serialize(parameters.Select(p => new Dictionary<string, object>
            {
                ["name"] = p.Spec.Name,
                ["path"] = p.Spec.Path,
                ["unit"] = p.Spec.Unit,
                ["mean"] = p.Summary.Mean,
                ["sd"] = p.Summary.StandardDeviation,
                ["rhat"] = double.IsFinite(p.Summary.Rhat) ? p.Summary.Rhat : -1,
                ["ess"] = double.IsFinite(p.Summary.EffectiveSampleSize) ? p.Summary.EffectiveSampleSize : -1,
                ["identified"] = p.Identified,
            })),
        };
        string tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var writer = ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult();
            writer.CustomMetadata = meta;
            var group = writer.CreateRowGroup();
            var draw = new int[rows.Count];
            var perChain = new Dictionary<int, int>();
            for (int r = 0; r < rows.Count; r++)
            {
                draw[r] = perChain.TryGetValue(chains[r], out int n) ? n : 0;
                perChain[chains[r]] = draw[r] + 1;
            }

            group.WriteAsync<int>(fields[0], chains.ToArray().AsMemory()).GetAwaiter().GetResult();
            group.WriteAsync<int>(fields[1], draw.AsMemory()).GetAwaiter().GetResult();
            for (int i = 0; i < parameters.Count; i++)
            {
                group.WriteAsync<double>(fields[i + 2], rows.Select(r => r[i]).ToArray().AsMemory()).GetAwaiter().GetResult();
            }

            group.Dispose();
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a posterior file written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">Not a posterior file.</exception>
    public static PosteriorDraws Read(string path)
    {
        string name = Path.GetFileName(path);
        using var stream = File.OpenRead(path);
        var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        try
        {
            return Read(reader, name);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static PosteriorDraws Read(ParquetReader reader, string name)
    {
        if (!reader.CustomMetadata.TryGetValue("parameters", out string? json))
        {
            throw new InvalidDataException($"{name}: not a posterior file from dctwin calibrate (no \"parameters\" metadata)");
        }

        using var doc = JsonDocument.Parse(json);
        var columns = doc.RootElement.EnumerateArray().Select(e => new PosteriorColumn(e.GetProperty("name").GetString()!,
            e.GetProperty("path").GetString()!, e.GetProperty("unit").GetString()!)).ToList();
        var fields = reader.Schema.GetDataFields();
        var chain = new List<int>();
        var values = columns.Select(_ => new List<double>()).ToArray();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            var c = new int[n];
            group.ReadAsync<int>(Field(fields, "chain", name), c.AsMemory()).AsTask().GetAwaiter().GetResult();
            chain.AddRange(c);
            for (int i = 0; i < columns.Count; i++)
            {
                var v = new double[n];
                group.ReadAsync<double>(Field(fields, columns[i].Name, name), v.AsMemory()).AsTask().GetAwaiter().GetResult();
                values[i].AddRange(v);
            }
        }

        var draws = Enumerable.Range(0, chain.Count).Select(r => values.Select(v => v[r]).ToArray()).ToArray();
        bool converged = reader.CustomMetadata.TryGetValue("converged", out string? conv) && conv == "true";
        return new PosteriorDraws(columns, [.. chain], draws, converged);
    }

    private static DataField Field(DataField[] fields, string column, string file) =>
        Array.Find(fields, f => f.Name == column) ?? throw new InvalidDataException($"{file}: no column \"{column}\"");

    private static double[,] Diagonal(double[] sd)
    {
        var c = new double[sd.Length, sd.Length];
        for (int i = 0; i < sd.Length; i++)
        {
            c[i, i] = sd[i] * sd[i];
        }

        return c;
    }

    /// <summary>A number as the files write it.</summary>
    internal static string Invariant(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
