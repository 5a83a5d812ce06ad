using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataCenterTwin.Scenarios.Catalog;
using Xunit.Abstractions;

namespace DataCenterTwin.Scenarios.Tests.Schema;

/// <summary>
/// Same hash, same inputs: a change at any key of the schema changes the scenario hash, and the
/// resolved scenario holds the change (loading it again gives the same text, so the same hash).
/// Each change is made in the resolved scenario of a reference scenario or the kitchen sink, the
/// first that holds the key, and loaded only: the work is bounded by the number of keys.
/// </summary>
public partial class ScenarioHashTests(ITestOutputHelper output)
{
    private static readonly string Assets = AssetPaths.FindAssetsDirectory()!;
    private static readonly string ScenariosDirectory = Path.GetFullPath(Path.Combine(Assets, "..", "scenarios"));

    // Not values the run uses: the loader merges the file it names, whose values are in the
    // resolved scenario like any others.
    // run.threads: how many threads step the run changes no output, so it stays out of the
    // resolved scenario and its hash (RunSection).
    private static readonly string[] NotValues = ["extends", "run.threads"];

    // Keys whose value no valid scenario can change alone: a window runs at the other fidelity
    // than the run, and a run with windows runs at fluid level, so a window's fidelity is request;
    // a control's kind decides which of its other keys it takes; the kitchen sink's scaling gives a
    // parked power and the SLO-driven settings, which the other parking and policy refuse; a
    // class's pools are mappings the test does not rewrite as a whole, and their shares are
    // normalised, so the kitchen sink's one pool takes the whole class whatever share it is given;
    // only the kitchen sink names dispatch_groups, and its windows and MMPP class refuse any count
    // but 1 (DispatchGroupsScenarioTests checks that a count moves the hash).
    private static readonly string[] NoOtherValue =
        ["run.windows[].fidelity", "controls[].kind", "hall.pools[].scaling.parked", "hall.pools[].scaling.policy", "workload.classes[].pools",
         "workload.classes[].pools[].share", "hall.pools[].dispatch_groups"];

    [Fact]
    public void EveryKeyOfTheSchema_MovesTheHash_AndTheResolvedScenarioHoldsIt()
    {
        var schemaRoot = JsonDocument.Parse(File.ReadAllText(Path.Combine(ScenariosDirectory, "schema", "scenario.schema.json"))).RootElement;
        var leaves = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        SchemaLeaves(schemaRoot, schemaRoot, "", leaves);
        Assert.True(leaves.Count > 100, $"only {leaves.Count} keys found in the schema");

        var bases = new List<string> { ScenarioSchemaTests.WriteTemp(ScenarioSchemaTests.KitchenSink), ScenarioSchemaTests.WriteTemp(TraceClass) };
        bases.AddRange(Directory.GetFiles(ScenariosDirectory, "*.yaml").Order(StringComparer.Ordinal));
        var specs = bases.Select(file => (File: file, Spec: Reload(File.ReadAllText(file), file))).ToList();

        // Values seen at each key in any of them: a name changes to another that exists (a rack, a model, a curve).
        var seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (_, spec) in specs)
        {
            string[] lines = spec.ResolvedYaml.Split('\n');
            foreach (var (line, path, valueStart) in ResolvedLeaves(lines))
            {
                string key = SchemaKey(path);
                (seen.TryGetValue(key, out var set) ? set : seen[key] = new HashSet<string>(StringComparer.Ordinal)).Add(lines[line][valueStart..]);
            }
        }

        // and any rack or model of the catalog.
        var catalog = HardwareCatalog.LoadDefault();
        foreach (var (key, set) in seen)
        {
            var names = key.EndsWith(".rack", StringComparison.Ordinal) ? catalog.Racks.Keys : key.EndsWith(".model", StringComparison.Ordinal) ? catalog.Models.Keys : [];
            set.UnionWith(names.Select(n => $"\"{n}\""));
        }

        var scratch = Directory.CreateTempSubdirectory("dctwin-hash").FullName;
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        int changes = 0, attempts = 0;
        foreach (var (file, spec) in specs)
        {
            Assert.Equal(spec.ResolvedYaml, Reload(spec.ResolvedYaml, file).ResolvedYaml);
            string[] lines = spec.ResolvedYaml.Split('\n');
            foreach (var (lineIndex, path, valueStart) in ResolvedLeaves(lines))
            {
                string key = SchemaKey(path);
                if (covered.Contains(key))
                {
                    continue;
                }

                string value = lines[lineIndex][valueStart..];
                leaves.TryGetValue(key, out var leafSchema);
                var others = seen.GetValueOrDefault(key, []).Where(v => v != value).Order(StringComparer.Ordinal);
                foreach (string changed in Changes(lines, lineIndex, valueStart, others, leafSchema, scratch))
                {
                    attempts++;
                    var (mutant, mutantErrors) = ScenarioLoader.LoadText(changed, file, Assets);
                    if (mutant is null)
                    {
                        refused.TryAdd(key, $"{path}: {value} refused: {string.Join("; ", mutantErrors.Select(e => e.Message))}");
                        continue;
                    }

                    changes++;
                    covered.Add(key);
                    if (mutant.Hash == spec.Hash && !NoOtherValue.Contains(key))
                    {
                        problems.Add($"{path}: {value} changed: the hash did not move");
                    }
                    else if (Reload(mutant.ResolvedYaml, file).ResolvedYaml != mutant.ResolvedYaml)
                    {
                        problems.Add($"{path}: {value} changed: the resolved scenario does not load back to itself");
                    }

                    break;
                }
            }
        }

        problems.AddRange(refused.Where(r => !covered.Contains(r.Key) && !NoOtherValue.Contains(r.Key)).Select(r => r.Value));
        var missing = leaves.Keys.Where(k => !covered.Contains(k) && !NotValues.Contains(k) && !NoOtherValue.Contains(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "keys of the schema no scenario's resolved file holds: " + string.Join(", ", missing));
        output.WriteLine($"{leaves.Count} keys in the schema, {covered.Count} changed, {changes} changes loaded, {attempts} tried");
        Assert.True(problems.Count == 0, $"{changes} changes loaded, {attempts} tried; problems:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TariffMonths_AreInTheResolvedScenario_AndTheHash()
    {
        // The issue's case: two copies of the metro hall that differ only in a period's months.
        string metro = File.ReadAllText(Path.Combine(ScenariosDirectory, "metro-inference.yaml"));
        string winter = metro.Replace("months: [6, 7, 8, 9]", "months: [1, 2]", StringComparison.Ordinal);
        Assert.NotEqual(metro, winter);
        var summer = Reload(metro, Path.Combine(ScenariosDirectory, "metro-inference.yaml"));
        var january = Reload(winter, Path.Combine(ScenariosDirectory, "metro-inference.yaml"));
        Assert.Contains("months: [6, 7, 8, 9]", summer.ResolvedYaml, StringComparison.Ordinal);
        Assert.Contains("months: [1, 2]", january.ResolvedYaml, StringComparison.Ordinal);
        Assert.NotEqual(summer.Hash, january.Hash);
        Assert.Equal([1, 2], Reload(january.ResolvedYaml, Path.Combine(ScenariosDirectory, "x.yaml")).Site.Tariff.Periods[0].Months);
    }

    [Fact]
    public void ChangedFileContents_MoveTheHash()
    {
        // The same path, other contents: the digest in the resolved scenario's file list moves the hash.
        string dir = Directory.CreateTempSubdirectory("dctwin-hash-file").FullName;
        string carbon = Path.Combine(dir, "carbon.csv");
        File.Copy(Path.Combine(Assets, "grid", "PJM_2022_hourly_genmix_carbon_intensity.csv"), carbon);
        string text = ScenarioSchemaTests.KitchenSink.Replace("carbon: 362 g/kWh", "carbon: carbon.csv", StringComparison.Ordinal);
        string file = Path.Combine(dir, "s.yaml");
        var first = Reload(text, file);
        Assert.Contains("relative to the scenario file", first.ResolvedYaml, StringComparison.Ordinal);
        File.AppendAllText(carbon, "");
        Assert.Equal(first.Hash, Reload(text, file).Hash);
        var rows = File.ReadAllLines(carbon);
        rows[^1] = rows[^1].Replace(rows[^1].Split(',')[^1], "1", StringComparison.Ordinal);
        File.WriteAllLines(carbon, rows);
        Assert.NotEqual(first.Hash, Reload(text, file).Hash);
    }

    // The kitchen sink with a second class on fixed output lengths whose arrivals replay a trace, and
    // its pool sized on predicted TTFT (target_ttft and target_utilisation exclude each other).
    private static readonly string TraceClass = ScenarioSchemaTests.KitchenSink.Replace("target_utilisation: 70 %", "target_ttft: 500 ms", StringComparison.Ordinal).Replace("\n  training_jobs:", """

            - name: code
              output_tokens: { fixed: 128 }
              arrivals: { process: trace, rate: 1 /s, trace: assets/traces/AzureLLMInferenceTrace_code.csv, skip_malformed_rows: true }
          training_jobs:
        """.TrimEnd(), StringComparison.Ordinal);

    private static ScenarioSpec Reload(string text, string file)
    {
        var (spec, errors) = ScenarioLoader.LoadText(text, file, Assets);
        Assert.True(spec is not null, string.Join("\n", errors));
        return spec;
    }

    // Every key of the schema that holds a value (not a mapping), as a path with [] for list items.
    private static void SchemaLeaves(JsonElement root, JsonElement node, string path, Dictionary<string, JsonElement> leaves)
    {
        if (node.TryGetProperty("$ref", out var r) && r.GetString() is { } reference && reference.StartsWith("#/$defs/", StringComparison.Ordinal))
        {
            node = root.GetProperty("$defs").GetProperty(reference["#/$defs/".Length..]);
        }

        if (node.TryGetProperty("patternProperties", out var patterns))
        {
            // A mapping keyed by name (hall.racks.rack-3): one leaf set per pattern, its key written *.
            foreach (var p in patterns.EnumerateObject())
            {
                SchemaLeaves(root, p.Value, $"{path}.*", leaves);
            }
        }
        else if (node.TryGetProperty("properties", out var properties))
        {
            foreach (var p in properties.EnumerateObject())
            {
                SchemaLeaves(root, p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}", leaves);
            }
        }
        else if (node.TryGetProperty("items", out var items) && items.TryGetProperty("properties", out _))
        {
            SchemaLeaves(root, items, path + "[]", leaves);
        }
        else if (path.Length > 0)
        {
            leaves[path] = node;
        }
    }

    // A resolved path as the schema's leaves name it: list items as [], a rack's name as *.
    private static string SchemaKey(string path) => RackName().Replace(ListIndex().Replace(path, "[]"), ".*");

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex ListIndex();

    [GeneratedRegex(@"\.rack-\d+(?=\.|$)")]
    private static partial Regex RackName();

    // The lines of a resolved scenario that hold a value: line, path, where the value starts.
    private static IEnumerable<(int Line, string Path, int ValueStart)> ResolvedLeaves(string[] lines)
    {
        var stack = new List<(int Indent, string Segment)>();
        var itemCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string rest = line.TrimStart(' ');
            if (rest.Length == 0 || rest[0] == '#')
            {
                continue;
            }

            int indent = line.Length - rest.Length;
            if (rest.StartsWith("- ", StringComparison.Ordinal))
            {
                Pop(stack, indent);
                string list = Join(stack);
                int index = itemCounts.GetValueOrDefault(list);
                itemCounts[list] = index + 1;
                stack.Add((indent, $"[{index}]"));
                rest = rest[2..];
                indent += 2;
            }

            Pop(stack, indent);
            int colon = rest.IndexOf(':', StringComparison.Ordinal);
            string key = rest[..colon];
            string path = stack.Count == 0 ? key : $"{Join(stack)}.{key}";
            if (colon + 1 < rest.Length)
            {
                yield return (i, path, line.Length - rest.Length + colon + 2);
            }
            else
            {
                stack.Add((indent, key));
            }
        }

        static void Pop(List<(int Indent, string Segment)> stack, int indent)
        {
            while (stack.Count > 0 && stack[^1].Indent >= indent)
            {
                stack.RemoveAt(stack.Count - 1);
            }
        }

        static string Join(List<(int Indent, string Segment)> stack) =>
            string.Concat(stack.Select((s, k) => k == 0 || s.Segment.StartsWith('[') ? s.Segment : "." + s.Segment));
    }

    // Whole scenario texts that change the value at one line, most likely to be accepted first.
    private static IEnumerable<string> Changes(string[] lines, int line, int valueStart, IEnumerable<string> others, JsonElement schema, string scratch)
    {
        string value = lines[line][valueStart..];
        string At(string replacement)
        {
            var copy = (string[])lines.Clone();
            copy[line] = copy[line][..valueStart] + replacement;
            return string.Join('\n', copy);
        }

        // A name others refer to (a pool's model, a training block, a chiller a failure targets)
        // changes everywhere it appears, as a user renaming it would.
        string Everywhere(string replacement) => string.Join('\n', lines.Select(l => l.EndsWith(": " + value, StringComparison.Ordinal) ? l[..^value.Length] + replacement : l));

        foreach (string candidate in ValueChanges(value, schema, scratch).Concat(others))
        {
            yield return At(candidate);
            if (value.StartsWith('"'))
            {
                yield return Everywhere(candidate);
            }
        }

        // An event's kind comes with its own setting: a curtailment's capacity is a demand response's reduction.
        string key = lines[line][..valueStart].Trim(' ', '-', ':');
        if (key == "kind" && value is "\"curtailment\"" or "\"demand-response\"")
        {
            var copy = (string[])lines.Clone();
            bool toResponse = value == "\"curtailment\"";
            copy[line] = copy[line][..valueStart] + (toResponse ? "\"demand-response\"" : "\"curtailment\"");
            for (int i = line + 1; i < copy.Length && !copy[i].TrimStart().StartsWith('-') && copy[i].StartsWith(' '); i++)
            {
                copy[i] = toResponse ? copy[i].Replace("capacity:", "reduction:", StringComparison.Ordinal) : copy[i].Replace("reduction:", "capacity:", StringComparison.Ordinal);
            }

            yield return string.Join('\n', copy);
        }
    }

    // Changes to try for a value by its form, most likely to be accepted first.
    private static IEnumerable<string> ValueChanges(string value, JsonElement schema, string scratch)
    {
        if (value is "true" or "false")
        {
            yield return value == "true" ? "false" : "true";
            yield break;
        }

        if (value.StartsWith('['))
        {
            var items = value.Trim('[', ']').Split(", ");
            if (double.TryParse(items[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double first))
            {
                yield return "[" + string.Join(", ", [Format(first + 1, items[0]), .. items.Skip(1)]) + "]";
            }

            if (items.Length > 1)
            {
                yield return "[" + string.Join(", ", items.Take(items.Length - 1)) + "]";
            }

            yield break;
        }

        if (value.StartsWith('"'))
        {
            string text = value[1..^1];
            if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var allowed))
            {
                foreach (var other in allowed.EnumerateArray().Select(a => a.GetString()).Where(a => a != text))
                {
                    yield return $"\"{other}\"";
                }

                yield break;
            }

            string asset = text.StartsWith("assets/", StringComparison.Ordinal) ? Path.Combine(Assets, text["assets/".Length..]) : text;
            if (File.Exists(asset))
            {
                // Another file with the same contents: the path in the resolved scenario moves the
                // hash. A catalog's serving profiles are found beside it, so they come along.
                string copy = Path.Combine(scratch, "copy", Path.GetRelativePath(Assets, asset));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(asset, copy, overwrite: true);
                if (Path.GetFileName(asset) == "catalog.json")
                {
                    Directory.CreateDirectory(Path.Combine(scratch, "copy", "llm-perf"));
                    foreach (string profile in Directory.GetFiles(Path.Combine(Assets, "llm-perf")))
                    {
                        File.Copy(profile, Path.Combine(scratch, "copy", "llm-perf", Path.GetFileName(profile)), overwrite: true);
                    }
                }

                yield return $"\"{copy}\"";
                yield break;
            }

            if (HoursRange().Match(text) is { Success: true } hours)
            {
                yield return $"\"{hours.Groups[1].Value}-{int.Parse(hours.Groups[2].Value, CultureInfo.InvariantCulture) - 1}\"";
                yield break;
            }

            if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                string format = text.Contains('T', StringComparison.Ordinal) ? "yyyy-MM-ddTHH:mm" : "yyyy-MM-dd";
                yield return $"\"{date.AddDays(1).ToString(format, CultureInfo.InvariantCulture)}\"";
                yield return $"\"{date.AddDays(-1).ToString(format, CultureInfo.InvariantCulture)}\"";
                yield break;
            }

            foreach (string quantity in QuantityChanges(text))
            {
                yield return $"\"{quantity}\"";
            }

            yield return $"\"{text}-b\"";
            yield break;
        }

        foreach (string quantity in QuantityChanges(value))
        {
            yield return quantity;
        }
    }

    private static IEnumerable<string> QuantityChanges(string text)
    {
        var m = NumberAndUnit().Match(text);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            yield break;
        }

        string unit = m.Groups[2].Value;
        string number = m.Groups[1].Value;
        double[] tries = v == 0 ? [1, 0.01] : [v * 1.05, v * 0.95, v + 1, v - 1, v * 2, v / 2];
        foreach (double t in tries)
        {
            string formatted = Format(t, number);
            if (formatted != number)
            {
                yield return unit.Length == 0 ? formatted : $"{formatted} {unit}";
            }
        }
    }

    // Whole numbers stay whole (counts, seeds).
    private static string Format(double value, string like) =>
        like.Contains('.', StringComparison.Ordinal) || like.Contains('e', StringComparison.OrdinalIgnoreCase)
            ? value.ToString("R", CultureInfo.InvariantCulture)
            : Math.Round(value).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{1,2})-(\d{1,2})$")]
    private static partial Regex HoursRange();

    [GeneratedRegex(@"^\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*(.*)$")]
    private static partial Regex NumberAndUnit();
}
