using System.Text.Json;
using System.Text.Json.Nodes;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Traces.Datasets;

namespace DataCenterTwin.Runs.Folder;

/// <summary>
/// checkpoint.json in a run folder: how far the run got and which trace files were complete
/// there. A run killed after it can be resumed: the files listed are kept, everything else in
/// the dataset folders (unfinished .tmp files, parts written after) is removed, and the run
/// replays to the checkpoint and writes on.
/// </summary>
internal sealed record RunCheckpoint(string ScenarioHash, ulong Seed, double SimS, IReadOnlyList<string> Files, IReadOnlyDictionary<string, long> Rows)
{
    public const string FileName = "checkpoint.json";
    private static readonly string[] Datasets = ["facility", "racks", "plant", "events", "requests"];

    /// <summary>The checkpoint at <paramref name="simS"/>: what <paramref name="kept"/> kept plus what the writer has written since.</summary>
    public static RunCheckpoint At(RunCheckpoint kept, double simS, RunTraceWriter writer) => new(kept.ScenarioHash, kept.Seed, simS,
        [.. kept.Files.Concat(writer.CompletedFiles.Select(f => f.Replace('\\', '/'))).Distinct(StringComparer.Ordinal)],
        Datasets.ToDictionary(d => d, d => kept.Rows.GetValueOrDefault(d) + writer.RowCounts.GetValueOrDefault(d)));

    public void Write(string folder)
    {
        var o = new JsonObject
        {
            ["scenario_hash"] = ScenarioHash,
            ["seed"] = Seed,
            ["sim_s"] = SimS,
            ["files"] = new JsonArray([.. Files.Select(f => (JsonNode)f)]),
            ["rows"] = new JsonObject([.. Rows.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
        };
        RunFolder.WriteAtomically(Path.Combine(folder, FileName), o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static RunCheckpoint? Read(string folder, ScenarioSpec spec, TextWriter error)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            error.WriteLine($"error: {path}: no checkpoint to resume from (the run finished, or never reached its first checkpoint: run it again without --resume)");
            return null;
        }

        try
        {
            var o = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not an object");
            string hash = o["scenario_hash"]!.GetValue<string>();
            if (hash != spec.Hash)
            {
                error.WriteLine($"error: {path}: the run was made from another scenario (hash {hash[..12]}…, this one {spec.Hash[..12]}…); resume with the same file and options");
                return null;
            }

            var files = o["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
            var rows = o["rows"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<long>());
            return new RunCheckpoint(hash, o["seed"]!.GetValue<ulong>(), o["sim_s"]!.GetValue<double>(), files, rows);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            error.WriteLine($"error: {path}: not a checkpoint: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Clears what an earlier run left in <paramref name="folder"/> before a fresh run writes there: its
    /// trace files (the writer continues in the next free part, so they would be counted twice), its
    /// checkpoint (a later --resume would keep files this run deleted) and its summary and report
    /// (they describe traces that are gone). Other files, unfinished .tmp files among them, stay.
    /// </summary>
    public static void ClearEarlierRun(string folder)
    {
        // Only finished files: a leftover .tmp is never read, and the writer truncates it when it reuses the name.
        foreach (string dataset in Datasets)
        {
            string dir = Path.Combine(folder, dataset);
            if (Directory.Exists(dir))
            {
                foreach (string file in Directory.EnumerateFiles(dir, "*.parquet", SearchOption.AllDirectories).ToList())
                {
                    File.Delete(file);
                }
            }
        }

        foreach (string file in new[] { FileName, "summary.json", "report.html" })
        {
            File.Delete(Path.Combine(folder, file));
        }
    }

    public void RemoveFilesNotKept(string folder)
    {
        var keep = new HashSet<string>(Files.Select(f => Path.GetFullPath(Path.Combine(folder, f))), StringComparer.Ordinal);
        foreach (string dataset in Datasets)
        {
            string dir = Path.Combine(folder, dataset);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToList())
            {
                if (!keep.Contains(Path.GetFullPath(file)))
                {
                    File.Delete(file);
                }
            }
        }
    }
}
