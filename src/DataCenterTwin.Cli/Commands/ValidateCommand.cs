using System.CommandLine;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Cli.Commands;

/// <summary><c>dctwin validate FILE</c>: every error in a scenario, at once, with file, line, column and path.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The scenario file (YAML)." };
        var command = new Command("validate", "Check a scenario file and report every error.") { file };
        command.SetAction(parse => Run(parse.GetValue(file)!, Console.Out, Console.Error));
        return command;
    }

    public static int Run(string path, TextWriter output, TextWriter error)
    {
        var (spec, errors) = ScenarioLoader.Load(path, AssetPaths.FindAssetsDirectory());
        if (spec is null)
        {
            PrintErrors(errors, path, error);
            return Program.ExitInvalidInput;
        }

        output.WriteLine($"{path}: valid: {spec.Name}, {Count(spec.Hall.Racks.Count, "rack")} ({spec.Hall.DesignPowerW / 1e3:F0} kW IT at design), " +
            $"{Count(spec.Cooling.Plant.Chillers.Count, "chiller")}, {Count(spec.Workload.Classes.Count, "request class", "request classes")}, {Count(spec.Events.Count, "event")}, " +
            $"horizon {spec.Run.Horizon}, {spec.Run.Fidelity.ToString().ToLowerInvariant()} level");
        if (spec.Sizing is { } sized)
        {
            output.WriteLine(sized.Describe());
        }

        return Program.ExitOk;
    }

    public static void PrintErrors(IReadOnlyList<ScenarioError> errors, string path, TextWriter error)
    {
        foreach (var e in errors)
        {
            error.WriteLine($"error: {e}");
        }

        error.WriteLine($"{path}: {errors.Count} error{(errors.Count == 1 ? "" : "s")}; nothing was run");
    }

    private static string Count(int n, string one, string? many = null) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many ?? one + "s")}");
}
