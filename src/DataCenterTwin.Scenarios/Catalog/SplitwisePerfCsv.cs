using System.Globalization;
using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Scenarios.Catalog;

/// <summary>
/// Builds a <see cref="ServingProfile"/> from the Splitwise profiling CSV (SplitwiseSim's
/// <c>perf_model.csv</c>): the median of each configuration's repeats, as SplitwiseSim takes them.
/// Prefill points are the batch-1 prompt sizes plus the batched 512-token rows beyond the largest
/// single prompt (prefill time depends on the tokens in the iteration: 2 × 512 tokens take as long
/// as 1 × 1,024 within a few per cent). Decode points are the 512-token, 128-output rows by batch
/// size, and the batch-1, 128-output rows by prompt size (the context).
/// </summary>
public static class SplitwisePerfCsv
{
    private const int ReferencePrompt = 512;
    private const int ReferenceOutput = 128;

    /// <summary>Reads the profile of one (model, hardware, tensor parallel) configuration.</summary>
    /// <exception cref="InvalidDataException">A malformed row (with its line), or no rows for the configuration.</exception>
    public static ServingProfile Read(string path, string model, string hardware, int tensorParallel, string acceleratorName)
    {
        var rows = new List<(int Prompt, int Batch, int Output, double PromptMs, double TokenMs)>();
        using (var reader = new StreamReader(path))
        {
            var header = (reader.ReadLine() ?? throw new InvalidDataException($"{path}: the file is empty")).Split(',');
            int Col(string name) => Array.IndexOf(header, name) is int i and >= 0 ? i : throw new InvalidDataException($"{path}:1: missing column '{name}'");
            int cModel = Col("model"), cHw = Col("hardware"), cPrompt = Col("prompt_size"), cBatch = Col("batch_size"), cTok = Col("token_size"),
                cPt = Col("prompt_time"), cTt = Col("token_time"), cTp = Col("tensor_parallel");
            int line = 1;
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (text.Length == 0)
                {
                    continue;
                }

                var f = text.Split(',');
                if (f.Length != header.Length)
                {
                    throw new InvalidDataException($"{path}:{line}: expected {header.Length} fields, found {f.Length}");
                }

                if (f[cModel] != model || f[cHw] != hardware || Int(f[cTp], path, line, "tensor_parallel") != tensorParallel)
                {
                    continue;
                }

                rows.Add((Int(f[cPrompt], path, line, "prompt_size"), Int(f[cBatch], path, line, "batch_size"), Int(f[cTok], path, line, "token_size"),
                    Num(f[cPt], path, line, "prompt_time"), Num(f[cTt], path, line, "token_time")));
            }
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{path}: no rows for model '{model}', hardware '{hardware}', tensor parallel {tensorParallel}");
        }

        var prefill = new SortedDictionary<int, double>();
        foreach (var g in rows.Where(r => r.Batch == 1).GroupBy(r => r.Prompt))
        {
            prefill[g.Key] = Median(g.Select(r => r.PromptMs));
        }

        int largest = prefill.Keys.Max();
        foreach (var g in rows.Where(r => r.Batch > 1 && r.Prompt == ReferencePrompt && r.Output == ReferenceOutput).GroupBy(r => r.Batch))
        {
            int tokens = ReferencePrompt * g.Key;
            if (tokens > largest)
            {
                prefill[tokens] = Median(g.Select(r => r.PromptMs));
            }
        }

        var batch = new SortedDictionary<int, double>();
        foreach (var g in rows.Where(r => r.Prompt == ReferencePrompt && r.Output == ReferenceOutput).GroupBy(r => r.Batch))
        {
            batch[g.Key] = Median(g.Select(r => r.TokenMs));
        }

        var context = new SortedDictionary<int, double>();
        foreach (var g in rows.Where(r => r.Batch == 1 && r.Output == ReferenceOutput).GroupBy(r => r.Prompt))
        {
            context[g.Key] = Median(g.Select(r => r.TokenMs));
        }

        if (batch.Count == 0 || context.Count == 0)
        {
            throw new InvalidDataException($"{path}: '{model}' on '{hardware}' lacks the {ReferencePrompt}-token, {ReferenceOutput}-output decode rows");
        }

        return new ServingProfile(model, acceleratorName, tensorParallel,
            [.. prefill.Keys.Select(k => (double)k)], [.. prefill.Values.Select(v => v / 1000)],
            [.. batch.Keys.Select(k => (double)k)], [.. batch.Values.Select(v => v / 1000)],
            ReferencePrompt,
            [.. context.Keys.Select(k => (double)k)], [.. context.Values.Select(v => v / 1000)],
            $"{Path.GetFileName(path)}: {model} on {hardware}, TP {tensorParallel}, medians of repeats");
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static int Int(string s, string path, int line, string column) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v
            : throw new InvalidDataException($"{path}:{line}: {column}: expected a positive integer, got '{s}'");

    private static double Num(string s, string path, int line, string column) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v) ? v
            : throw new InvalidDataException($"{path}:{line}: {column}: expected a positive number, got '{s}'");
}
