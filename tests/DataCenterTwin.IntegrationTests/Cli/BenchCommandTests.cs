using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DataCenterTwin.Cli.Bench;

namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary>
/// <c>dctwin bench</c> on the real program: one case of <c>requests --scale</c> (what the parent
/// tabulates), the same requests and events on one thread and two, and bad arguments, each an exit
/// code of 2 with one line that says which and what, before anything runs.
/// </summary>
public class BenchCommandTests
{
    [Fact]
    public void OneCase_PrintsItsFigures_TheSameRunOnOneThreadAndTwo()
    {
        var one = Case(threads: 1);
        var two = Case(threads: 2);

        Assert.Equal("metro-inference", one["scenario"]!.GetValue<string>());
        Assert.Equal(64, one["racks"]!.GetValue<int>());
        Assert.Equal(1, one["threads"]!.GetValue<int>());
        Assert.Equal(2, two["threads"]!.GetValue<int>());

        // Two minutes of the night of 1 January, when the hall's hour brings 558,731 requests (about 155 a
        // second); most of them finish within the two minutes.
        long requests = one["requests"]!.GetValue<long>();
        Assert.InRange(requests, 15_000, 22_000);
        Assert.InRange(one["completed"]!.GetValue<long>(), requests * 9 / 10, requests);
        Assert.InRange(one["events_per_request"]!.GetValue<double>(), 2, 20);
        Assert.True(one["peak_memory_bytes"]!.GetValue<long>() > 0);
        Assert.True(one["wall_s"]!.GetValue<double>() > 0);

        // Two lanes (chat's pool and code's); chat's, about four in five of the requests, fires most of the events.
        Assert.Equal(2, one["lanes"]!.GetValue<int>());
        Assert.InRange(one["busiest_lane_event_share"]!.GetValue<double>(), 0.75, 0.95);
        foreach (string key in new[] { "requests", "completed", "events", "iterations", "it_energy_kwh", "output_tokens", "busiest_lane_event_share" })
        {
            Assert.True(JsonNode.DeepEquals(one[key], two[key]), $"{key}: {one[key]} on one thread, {two[key]} on two");
        }
    }

    // The scale bench's arguments (with --no-baseline, so nothing is built first either way) and the busy hall's.
    [Theory]
    [InlineData("--scale --no-baseline --threads x", "--threads x: expected thread counts of 1 or more")]
    [InlineData("--scale --no-baseline --threads 0", "--threads 0: expected thread counts of 1 or more")]
    [InlineData("--scale --no-baseline --repeat 0", "--repeat 0: expected a number of runs of 1 or more")]
    [InlineData("--scale --no-baseline --only no-such-hall", "--only no-such-hall: no case's scenario contains it (the cases: metro-inference.yaml, ")]
    [InlineData("--policy fastest", "--policy fastest: expected round-robin, least-work, p2c, thermal or packing")]
    [InlineData("--trace no-such-trace.csv", "--trace no-such-trace.csv: no such file in ")]
    public void BadArguments_Exit2_WithOneLineThatSaysWhat_BeforeAnythingRuns(string arguments, string expected)
    {
        var (code, output, error) = Dctwin.Run(Repository.Root, ["bench", "requests", .. arguments.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: " + expected, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TraceOverhead_OfAMissingScenario_Exits2_SayingSoOnce()
    {
        var (code, output, error) = Dctwin.Run(Repository.Root, "bench", "trace-overhead", "no-such-scenario.yaml");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(Regex.Matches(error, "no-such-scenario.yaml:1:1: file not found"));
    }

    // Two cases by hand: a campus hour 10 s on one thread and 5 s on two (2.00x), 14 and 7 lean events
    // a request; the metro day 30 s and 28 s of simulation (1.07x), 31.5 s and 29 s whole process,
    // 12.5 lean events on one thread.
    [Fact]
    public void Targets_SayWhereTheCasesStand()
    {
        static JsonObject Row(string scenario, string horizon, int threads, double wallS, double? lean, double? processWallS = null) => new()
        {
            ["scenario"] = scenario, ["horizon"] = horizon, ["threads"] = threads, ["wall_s"] = wallS, ["lean_events_per_request"] = lean,
            ["process_wall_s"] = processWallS,
        };

        JsonObject[] rows =
        [
            Row("metro-campus-10x", "1 h", 1, 10, 14), Row("metro-campus-10x", "1 h", 2, 5, 7),
            Row("metro-inference", "1 d", 1, 30, 12.5, 31.5), Row("metro-inference", "1 d", 2, 28, 11.6, 29),
        ];

        Assert.Equal("targets: at most 15 lean events a request on one thread in 2 of 2 cases; 1.7x or more from one thread to the most in 1 of 2 "
            + "(best 2.00x, metro-campus-10x 1 h on 2); the metro day in 28.00 s of simulation, 29.00 s whole process, on 2 threads (goal under 20 s whole process)",
            RequestsScaleBench.Targets(rows));

        // The metro day's busiest lane fires 88 % of its events: threads gain it at most 1/0.88.
        rows[2]["busiest_lane_event_share"] = 0.878;
        Assert.Contains("in 1 of 2 (best 2.00x, metro-campus-10x 1 h on 2), the others' busiest lane firing 88 % of their events (a bound of about 1.14x);",
            RequestsScaleBench.Targets(rows), StringComparison.Ordinal);

        // Without the lean loop, or on one thread only, those parts are left out.
        Assert.Equal("targets: the metro day in 30.00 s of simulation on 1 thread (goal under 20 s whole process)",
            RequestsScaleBench.Targets([Row("metro-inference", "1 d", 1, 30, null)]));
        Assert.Null(RequestsScaleBench.Targets([Row("metro-campus-10x", "1 h", 2, 5, null)]));
    }

    // Three runs of 9, 7 and 8 s (whole processes 9.6, 7.4 and 8.3 s; 16, 12 and 15 lean events a
    // request): the 8 s run, whole 8.3 s, 15 lean events; of two runs, the faster.
    [Fact]
    public void Repeats_GiveTheMedianRun()
    {
        static JsonObject Run(double wallS, double processWallS, double lean) => new()
        {
            ["scenario"] = "metro-campus-10x", ["threads"] = 2, ["wall_s"] = wallS, ["process_wall_s"] = processWallS, ["lean_events_per_request"] = lean,
        };

        var row = RequestsScaleBench.MedianRun([Run(9, 9.6, 16), Run(7, 7.4, 12), Run(8, 8.3, 15)]);

        Assert.Equal(8, row["wall_s"]!.GetValue<double>());
        Assert.Equal(8.3, row["process_wall_s"]!.GetValue<double>());
        Assert.Equal(15, row["lean_events_per_request"]!.GetValue<double>());
        Assert.Equal(3, row["runs"]!.GetValue<int>());
        Assert.Equal("[9,7,8]", row["wall_s_runs"]!.ToJsonString());
        Assert.Equal(7, RequestsScaleBench.MedianRun([Run(9, 9.6, 16), Run(7, 7.4, 12)])["wall_s"]!.GetValue<double>());
        Assert.False(RequestsScaleBench.MedianRun([Run(9, 9.6, 16)]).ContainsKey("runs"));
    }

    [Fact]
    public void Threads_DefaultToOneAndEveryCore()
    {
        Assert.Equal(new[] { 1, 16 }, RequestsScaleBench.ParseThreads("", cores: 16)!);
        Assert.Equal(new[] { 1 }, RequestsScaleBench.ParseThreads(" ", cores: 1)!);
        Assert.Equal(new[] { 1, 4, 8, 16 }, RequestsScaleBench.ParseThreads("1, 4,8 ,16", cores: 2)!);
        Assert.Null(RequestsScaleBench.ParseThreads("1,-2", cores: 2));
        Assert.Null(RequestsScaleBench.ParseThreads(",", cores: 2));
    }

    private static JsonNode Case(int threads)
    {
        var (code, output, error) = Dctwin.Run(Repository.Root, "bench", "requests", "--scale", "--scale-case", Repository.Path("scenarios/metro-inference.yaml"),
            "--scale-horizon", "2 min", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, error);
        string line = Regex.Match(output, "^\\{.*\\}$", RegexOptions.Multiline).Value;
        return JsonNode.Parse(line)!;
    }
}
