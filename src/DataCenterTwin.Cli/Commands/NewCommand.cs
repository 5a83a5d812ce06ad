using System.CommandLine;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Cli.Commands;

/// <summary>
/// <c>dctwin new NAME [--from metro]</c>: writes a starter scenario, NAME.yaml, into the current
/// folder from one of the reference scenarios shipped with the program, with the schema beside it
/// (schema/scenario.schema.json) so an editor checks the file as it is typed.
/// </summary>
internal static class NewCommand
{
    // Short names for the reference scenarios a user starts from most.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["quick"] = "quick.yaml",
        ["metro"] = "metro-inference.yaml",
    };

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The new scenario's name; the file is NAME.yaml in the current folder." };
        var from = new Option<string>("--from") { Description = "The reference scenario to start from: quick (default), metro, or another in the program's scenarios/ folder.", DefaultValueFactory = _ => "quick" };
        var command = new Command("new", "Write a starter scenario into the current folder.") { name, from };
        command.SetAction(parse => Run(parse.GetValue(name)!, parse.GetValue(from)!, Directory.GetCurrentDirectory(), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string name, string from, string folder, TextWriter output, TextWriter error)
    {
        string stem = name.EndsWith(".yaml", StringComparison.Ordinal) ? name[..^".yaml".Length] : name;
        if (stem.Length == 0 || stem.IndexOfAny(['/', '\\', ':']) >= 0 || stem.StartsWith('.'))
        {
            error.WriteLine($"error: \"{name}\" is not a scenario name: give a plain name such as my-hall (it becomes my-hall.yaml here)");
            return Program.ExitInvalidInput;
        }

        string? scenarios = AssetPaths.FindAssetsDirectory() is { } assets ? Path.GetFullPath(Path.Combine(assets, "..", "scenarios")) : null;
        if (scenarios is null || !Directory.Exists(scenarios))
        {
            error.WriteLine($"error: the program's reference scenarios are missing (no scenarios/ folder beside its assets/, searched from {AppContext.BaseDirectory})");
            return Program.ExitFailure;
        }

        string template = Path.Combine(scenarios, Aliases.GetValueOrDefault(from, from.EndsWith(".yaml", StringComparison.Ordinal) ? from : from + ".yaml"));
        var starters = Directory.GetFiles(scenarios, "*.yaml").Where(f => !File.ReadLines(f).Any(l => l.StartsWith("extends:", StringComparison.Ordinal)))
            .Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
        if (!File.Exists(template) || !starters.Contains(Path.GetFileNameWithoutExtension(template)))
        {
            error.WriteLine($"error: --from {from}: no such starter; choose quick, metro or one of {string.Join(", ", starters)}");
            return Program.ExitInvalidInput;
        }

        string target = Path.Combine(folder, stem + ".yaml");
        if (File.Exists(target))
        {
            error.WriteLine($"error: {target} exists; choose another name or remove it");
            return Program.ExitInvalidInput;
        }

        // The template's own comments describe the hall; the name line becomes the new name. The
        // assets/… paths in it find the program's assets from any folder.
        var lines = File.ReadAllLines(template).ToList();
        int nameLine = lines.FindIndex(l => l.StartsWith("name:", StringComparison.Ordinal));
        if (nameLine >= 0)
        {
            lines[nameLine] = "name: " + stem;
        }

        lines.Insert(1, $"# {stem}: started by `dctwin new` from the reference scenario {Path.GetFileName(template)}.");
        string schema = Path.Combine(folder, "schema", "scenario.schema.json");
        if (!File.Exists(schema))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(schema)!);
            File.Copy(Path.Combine(scenarios, "schema", "scenario.schema.json"), schema);
        }

        File.WriteAllText(target, string.Join('\n', lines) + "\n");
        output.WriteLine($"wrote {target} (from {Path.GetFileName(template)}) and its schema in {Path.GetDirectoryName(schema)}; run it with: dctwin run {stem}.yaml");
        return Program.ExitOk;
    }
}
