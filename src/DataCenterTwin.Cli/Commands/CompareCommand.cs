using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataCenterTwin.Runs;

namespace DataCenterTwin.Cli.Commands;

/// <summary><c>dctwin compare RUN_A RUN_B</c>: two runs' summaries side by side, with differences.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("RUN_A") { Description = "A run folder (or its summary.json)." };
        var b = new Argument<string>("RUN_B") { Description = "Another run folder (or its summary.json)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("compare", "Print two runs' summaries side by side.") { a, b, json };
        command.SetAction(parse => Run(parse.GetValue(a)!, parse.GetValue(b)!, parse.GetValue(json), Console.Out));
        return command;
    }

    public static int Run(string pathA, string pathB, bool json, TextWriter output)
    {
        JsonObject? first = Load(pathA), second = Load(pathB);
        if (first is null || second is null)
        {
            return Program.ExitInvalidInput;
        }

        JsonObject flatA = Flatten(first), flatB = Flatten(second);
        var units = first["units"] as JsonObject ?? [];
        var unitsB = second["units"] as JsonObject ?? [];
        var rows = new List<(string Key, string Unit, JsonNode? A, JsonNode? B)>();
        foreach (var (key, value) in flatA)
        {
            rows.Add((key, Unit(units, key), value, flatB[key]));
        }

        foreach (var (key, value) in flatB)
        {
            if (!flatA.ContainsKey(key))
            {
                rows.Add((key, Unit(unitsB, key), null, value));
            }
        }

        string nameA = Name(pathA, first), nameB = Name(pathB, second);
        if (json)
        {
            var result = new JsonObject { ["a"] = nameA, ["b"] = nameB };
            var table = new JsonObject();
            foreach (var (key, unit, va, vb) in rows)
            {
                var row = new JsonObject { ["unit"] = unit, ["a"] = va?.DeepClone(), ["b"] = vb?.DeepClone() };
                if (Number(va) is double x && Number(vb) is double y)
                {
                    row["difference"] = y - x;
                }

                table[key] = row;
            }

            result["metrics"] = table;
            output.WriteLine(result.ToJsonString());
            return Program.ExitOk;
        }

        output.WriteLine(Inv($"{"metric",-44} {"unit",-8} {Trim(nameA, 18),18} {Trim(nameB, 18),18} {"B − A",14} {"change",8}"));
        foreach (var (key, unit, va, vb) in rows)
        {
            string change = "", diff = "";
            if (Number(va) is double x && Number(vb) is double y)
            {
                diff = FormatNumber(y - x);
                change = x != 0 ? Inv($"{(y - x) / Math.Abs(x) * 100:+0.0;-0.0;0.0}%") : "";
            }

            output.WriteLine(Inv($"{key,-44} {unit,-8} {Format(va),18} {Format(vb),18} {diff,14} {change,8}"));
        }

        return Program.ExitOk;
    }

    // Per-pool and per-class figures become rows of their own: pools.chat.utilisation.
    private static JsonObject Flatten(JsonObject summary)
    {
        var flat = new JsonObject();
        foreach (var (key, value) in summary)
        {
            if (key is "units")
            {
                continue;
            }

            if (key is "pools" or "classes" && value is JsonObject group)
            {
                foreach (var (name, figures) in group)
                {
                    foreach (var (field, v) in figures as JsonObject ?? [])
                    {
                        if (v is JsonObject nested)
                        {
                            foreach (var (sub, x) in nested)
                            {
                                flat[$"{key}.{name}.{field}.{sub}"] = x?.DeepClone();
                            }
                        }
                        else
                        {
                            flat[$"{key}.{name}.{field}"] = v?.DeepClone();
                        }
                    }
                }

                continue;
            }

            if (key is "years" && value is JsonArray years)
            {
                // A run of several years: years.3.cost_per_million_tokens.
                for (int i = 0; i < years.Count; i++)
                {
                    foreach (var (field, v) in years[i] as JsonObject ?? [])
                    {
                        if (field != "year")
                        {
                            flat[$"years.{i + 1}.{field}"] = v?.DeepClone();
                        }
                    }
                }

                continue;
            }

            flat[key] = value?.DeepClone();
        }

        return flat;
    }

    // Nested figures share their unit with every pool or class: units["pools.utilisation"].
    private static string Unit(JsonObject units, string key)
    {
        if (units[key] is JsonValue v)
        {
            return v.GetValue<string>();
        }

        string[] parts = key.Split('.');
        return parts.Length >= 3 && units[$"{parts[0]}.{parts[2]}"] is JsonValue n ? n.GetValue<string>() : "";
    }

    private static JsonObject? Load(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "summary.json") : path;
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"error: {file}: no such summary (expected a run folder holding summary.json)");
            return null;
        }

        try
        {
            // Read as the results type, so compare sees what every front end sees.
            return RunSummary.Parse(File.ReadAllText(file)).ToJson();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            Console.Error.WriteLine($"error: {file}: not a summary: {ex.Message}");
            return null;
        }
    }

    private static string Name(string path, JsonObject summary) =>
        summary["scenario"]?.GetValue<string>() is { Length: > 0 } s ? s : Path.GetFileName(Path.TrimEndingDirectorySeparator(path));

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out double d) ? d : null;

    private static string Format(JsonNode? node) => node switch
    {
        null => "-",
        JsonValue v when v.TryGetValue(out double d) => FormatNumber(d),
        JsonValue v when v.TryGetValue(out bool b) => b ? "yes" : "no",
        JsonValue v => v.ToString(),
        _ => "…",
    };

    private static string FormatNumber(double d) =>
        Math.Abs(d) >= 1e6 || (Math.Abs(d) < 1e-3 && d != 0)
            ? d.ToString("G4", CultureInfo.InvariantCulture)
            : d.ToString(Math.Abs(d) >= 100 ? "N0" : "0.####", CultureInfo.InvariantCulture);

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
