using System.CommandLine;
using System.Globalization;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Sweeps;

namespace DataCenterTwin.Cli.Commands;

/// <summary>
/// <c>dctwin size SCENARIO --grow PATH --until CONDITION</c>: the largest whole value of PATH at
/// which CONDITION does not hold, by whole runs in parallel (doubling, then narrowing).
/// </summary>
internal static class SizeCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("SCENARIO") { Description = "The scenario file (YAML)." };
        var grow = new Option<string>("--grow") { Description = "The whole-number path to grow, e.g. hall.pools[0].racks.", Required = true };
        var until = new Option<string>("--until") { Description = "Stop condition on the summary, e.g. \"seconds_over_grid_cap > 0 or slo_attainment < 0.99\".", Required = true };
        var from = new Option<long>("--from") { Description = "First value (default 1).", DefaultValueFactory = _ => 1 };
        var to = new Option<long?>("--to") { Description = "Largest value to try." };
        var set = new Option<string[]>("--set") { Description = "Another override PATH=VALUE (repeatable), e.g. run.horizon=\"7 d\"." };
        var workers = new Option<int>("--workers") { Description = "Runs at once (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var perUnit = new Option<string[]>("--per-unit") { Description = "Grow another path with the grown one: PATH=VALUE per unit (repeatable), e.g. workload.classes[0].arrivals.rate=\"5.4 /s\" a rack." };
        var command = new Command("size", "Find the largest value of a path that keeps a condition false.") { scenario, grow, until, from, to, set, workers, perUnit };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(grow)!, parse.GetValue(until)!, parse.GetValue(from), parse.GetValue(to),
            parse.GetValue(set) ?? [], parse.GetValue(workers), Console.Out, Console.Error, parse.GetValue(perUnit) ?? []));
        return command;
    }

    public static int Run(string scenario, string grow, string until, long from, long? to, string[] set, int workers, TextWriter output, TextWriter error,
        string[]? perUnit = null)
    {
        StopCondition condition;
        try
        {
            condition = StopCondition.Parse(until);
        }
        catch (FormatException ex)
        {
            error.WriteLine($"error: --until: {ex.Message}");
            return Program.ExitInvalidInput;
        }

        if (from < 0 || to < from)
        {
            error.WriteLine(from < 0
                ? $"error: --from {from}: the first value must be 0 or more"
                : $"error: --to {to}: the largest value to try must not be below --from {from}");
            return Program.ExitInvalidInput;
        }

        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string s in set)
        {
            int eq = s.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error.WriteLine($"error: --set {s}: expected PATH=VALUE");
                return Program.ExitInvalidInput;
            }

            overrides[s[..eq]] = s[(eq + 1)..];
        }

        var scaled = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string s in perUnit ?? [])
        {
            int eq = s.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error.WriteLine($"error: --per-unit {s}: expected PATH=VALUE");
                return Program.ExitInvalidInput;
            }

            scaled[s[..eq]] = s[(eq + 1)..];
        }

        try
        {
            var answer = CapacitySearch.Run(scenario, overrides, grow, from, to, condition, workers, AssetPaths.FindAssetsDirectory(), scaled,
                p => output.WriteLine(p.Summary is not { } summary
                    ? string.Create(CultureInfo.InvariantCulture, $"  {grow} = {p.Value}: the scenario is invalid ({p.InvalidBecause})")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"  {grow} = {p.Value}: {(p.Stopped ? "stops" : "holds")} ({string.Join(", ", condition.Keys.Select(k => $"{k} {summary[k]}"))}, accelerators {summary["accelerators"]}){(p.EndedEarlyAtS is { } endS ? $", sure to stop on day {endS / 86400:F1}, run ended there" : "")}")));
            output.WriteLine(Answer(answer, grow, until, from, to));
            return Program.ExitOk;
        }
        catch (InvalidDataException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return Program.ExitInvalidInput;
        }
    }

    // The search's answer in words: none, the bound reached, or the largest value (and why the next one is refused, where it is).
    private static string Answer(CapacityAnswer answer, string grow, string until, long from, long? to)
    {
        if (answer.Largest is not { } v)
        {
            return $"even {grow} = {from} makes \"{until}\" true";
        }

        string runs = string.Create(CultureInfo.InvariantCulture, $"({answer.Probes.Count} runs)");
        if (v == to)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{grow} = {v}, the largest value asked for (--to), still has \"{until}\" false {runs}");
        }

        string next = answer.Probes.FirstOrDefault(p => p.Value == v + 1) is { InvalidBecause: { } why }
            ? string.Create(CultureInfo.InvariantCulture, $": at {v + 1} the scenario is invalid ({why})")
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"{grow} = {v} is the largest value with \"{until}\" false{next} {runs}");
    }
}
