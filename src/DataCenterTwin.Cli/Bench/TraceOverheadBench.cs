using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DataCenterTwin.Cli.Run;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench trace-overhead [SCENARIO]</c>: the same run with and without Parquet traces, in
/// one process, as a ratio of wall times (issue 7: tracing at the default interval must not more
/// than double a year-long run). The untraced run goes first and once more last, so JIT warm-up
/// and machine noise show as a spread rather than hiding in the ratio.
/// </summary>
internal static class TraceOverheadBench
{
    public static Command CreateCommand()
    {
        var scenario = new Argument<string>("SCENARIO") { Description = "The scenario (default scenarios/quick.yaml).", DefaultValueFactory = _ => "scenarios/quick.yaml" };
        var horizon = new Option<string>("--horizon") { Description = "Run length.", DefaultValueFactory = _ => "365 d" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of lines." };
        var command = new Command("trace-overhead", "Wall time of a run with traces over the same run without.") { scenario, horizon, json };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(horizon)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(string scenario, string horizon, bool json)
    {
        // One run's wall seconds, or its exit code where it failed (the first says why, once).
        int failed = Program.ExitOk;
        double Time(bool traces)
        {
            if (failed != Program.ExitOk)
            {
                return double.NaN;
            }

            string folder = Directory.CreateTempSubdirectory("dctwin-bench-overhead").FullName;
            try
            {
                var clock = Stopwatch.StartNew();
                failed = RunCommand.Run(scenario, folder, horizon, null, noTraces: !traces, quiet: true, TextWriter.Null, Console.Error);
                return failed == Program.ExitOk ? clock.Elapsed.TotalSeconds : double.NaN;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        double without1 = Time(false), with = Time(true), without2 = Time(false);
        if (failed != Program.ExitOk)
        {
            return failed;
        }

        double without = Math.Min(without1, without2);
        var result = new JsonObject
        {
            ["scenario"] = scenario,
            ["horizon"] = horizon,
            ["wall_s_without_traces"] = Math.Round(without, 3),
            ["wall_s_without_traces_spread"] = Math.Round(Math.Abs(without1 - without2), 3),
            ["wall_s_with_traces"] = Math.Round(with, 3),
            ["ratio"] = Math.Round(with / without, 3),
        };
        Console.WriteLine(json
            ? result.ToJsonString()
            : string.Create(CultureInfo.InvariantCulture,
                $"{scenario} over {horizon}: {without:F2} s without traces ({without1:F2}, {without2:F2}), {with:F2} s with: ratio {with / without:F2} (limit 2)"));
        return Program.ExitOk;
    }
}
