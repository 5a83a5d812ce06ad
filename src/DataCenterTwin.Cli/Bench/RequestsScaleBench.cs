using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench requests --scale</c>: whole request-level runs of the reference halls — an hour
/// (the night hour of 1 January) of metro-inference (64 racks), metro-campus-10x (640) and
/// metro-campus-1184 (1,184), metro-campus-1184-grouped (the same hall in ten dispatch groups, ten
/// lanes for the threads), and a day of metro-inference and of metro-inference-grouped (its pools in
/// ten dispatch groups) — each in its own child process (so
/// its peak memory is its own), with the lean loop measured just before it, so the cost per request
/// is a ratio to the machine's speed of the moment: lean-loop events of wall time per request.
/// </summary>
internal static class RequestsScaleBench
{
    /// <summary>The cases, smallest first: scenario file and simulated horizon.</summary>
    private static readonly (string Scenario, string Horizon)[] s_cases =
    [
        ("metro-inference.yaml", "1 h"),
        ("metro-campus-10x.yaml", "1 h"),
        ("metro-campus-1184.yaml", "1 h"),
        ("metro-campus-1184-grouped.yaml", "1 h"),
        ("metro-inference.yaml", "1 d"),
        ("metro-inference-grouped.yaml", "1 d"),
    ];

    /// <summary>Options of the parent (the table) and of the child (one case); Threads as given (<see cref="ParseThreads"/>).</summary>
    public sealed record Options(string ScenariosFolder, string? Case, string Horizon, string Threads, string? Only, int Repeat = 1);

    public static (Option<string> Scenarios, Option<string?> Case, Option<string> Horizon, Option<string> Threads, Option<string?> Only, Option<int> Repeat) CreateOptions() =>
        (new Option<string>("--scenarios") { Description = "With --scale: the reference scenarios folder.", DefaultValueFactory = _ => "scenarios" },
         new Option<string?>("--scale-case") { Description = "With --scale: run this one scenario file in this process and print its JSON (used by the parent).", Hidden = true },
         new Option<string>("--scale-horizon") { Description = "With --scale-case: the simulated horizon.", DefaultValueFactory = _ => "1 h", Hidden = true },
         new Option<string>("--threads") { Description = "With --scale: thread counts to run each case with, comma-separated (default 1 and every core; each sets run.threads).", DefaultValueFactory = _ => "" },
         new Option<string?>("--only") { Description = "With --scale: run only the cases whose scenario name contains this." },
         new Option<int>("--repeat") { Description = "With --scale: runs of each case and thread count, alternating the counts; the table gives the median run.", DefaultValueFactory = _ => 1 });

    public static int Run(Options options, bool json, Func<LeanBaseline?> lean)
    {
        if (ParseThreads(options.Threads, Environment.ProcessorCount) is not { } threadCounts)
        {
            Console.Error.WriteLine($"error: --threads {options.Threads}: expected thread counts of 1 or more, comma-separated (e.g. 1,2,4)");
            return Program.ExitInvalidInput;
        }

        if (options.Repeat < 1)
        {
            Console.Error.WriteLine($"error: --repeat {options.Repeat}: expected a number of runs of 1 or more");
            return Program.ExitInvalidInput;
        }

        if (options.Case is not null)
        {
            return RunCase(options.Case, options.Horizon, threadCounts[0]);
        }

        var cases = s_cases.Where(c => options.Only is null || c.Scenario.Contains(options.Only, StringComparison.Ordinal)).ToArray();
        if (cases.Length == 0)
        {
            Console.Error.WriteLine($"error: --only {options.Only}: no case's scenario contains it (the cases: {string.Join(", ", s_cases.Select(c => c.Scenario).Distinct())})");
            return Program.ExitInvalidInput;
        }

        var baseline = lean();
        var rows = new JsonArray();
        foreach (var (scenario, horizon) in cases)
        {
            // Rounds of one run per thread count, so a slow spell of the shared machine falls on every count alike.
            var runs = threadCounts.Select(_ => new List<JsonObject>()).ToArray();
            for (int round = 0; round < options.Repeat; round++)
            {
                for (int i = 0; i < threadCounts.Length; i++)
                {
                    double? leanPerS = baseline is null ? null : LeanBaseline.Number(baseline.Run("heap4", "timeout", "1000", "10000000", "42"), "timeouts_per_s");
                    var run = RunChild(Path.Combine(options.ScenariosFolder, scenario), horizon, threadCounts[i]);
                    if (run is null)
                    {
                        return Program.ExitFailure;
                    }

                    if (leanPerS is { } l)
                    {
                        double requestsPerS = run["requests_per_s"]!.GetValue<double>();
                        run["lean_events_per_s"] = Math.Round(l);
                        run["lean_events_per_request"] = Math.Round(l / requestsPerS, 2);
                    }

                    runs[i].Add(run);
                }
            }

            foreach (var caseRuns in runs)
            {
                var row = MedianRun(caseRuns);
                rows.Add(row);
                if (!json)
                {
                    PrintRow(row);
                }
            }
        }

        if (json)
        {
            Console.WriteLine(new JsonObject { ["cases"] = rows, ["target_lean_events_per_request"] = TargetLeanEventsPerRequest }.ToJsonString());
        }
        else if (Targets([.. rows.Select(r => r!.AsObject())]) is { } targets)
        {
            Console.WriteLine(targets);
        }

        return Program.ExitOk;
    }

    // The goals the cases are measured against: a request's wall time on one thread, the gain from one
    // thread to the most, and the metro day's wall time.
    private const double TargetLeanEventsPerRequest = 15;
    private const double TargetSpeedUp = 1.7;
    private const double TargetMetroDayS = 20;

    /// <summary>
    /// One line of where the rows stand against the goals, for those the rows measure (null for none):
    /// cases at most 15 lean events a request on one thread, cases 1.7x or more from one thread to
    /// the most, and the plain metro day's best wall time.
    /// </summary>
    internal static string? Targets(IReadOnlyList<JsonObject> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        var cases = rows.GroupBy(r => (Scenario: r["scenario"]!.GetValue<string>(), Horizon: r["horizon"]!.GetValue<string>())).ToArray();
        var lean = rows.Where(r => r["threads"]!.GetValue<int>() == 1 && r["lean_events_per_request"] is not null)
            .Select(r => r["lean_events_per_request"]!.GetValue<double>()).ToArray();
        if (lean.Length > 0)
        {
            parts.Add(string.Create(inv, $"at most {TargetLeanEventsPerRequest} lean events a request on one thread in {lean.Count(l => l <= TargetLeanEventsPerRequest)} of {lean.Length} cases"));
        }

        var gains = cases
            .Select(c => (Case: c.Key, One: c.FirstOrDefault(r => r["threads"]!.GetValue<int>() == 1), Most: c.MaxBy(r => r["threads"]!.GetValue<int>())!))
            .Where(c => c.One is not null && c.Most["threads"]!.GetValue<int>() > 1)
            .Select(c => (c.Case, Threads: c.Most["threads"]!.GetValue<int>(), Gain: c.One!["wall_s"]!.GetValue<double>() / c.Most["wall_s"]!.GetValue<double>(),
                Share: c.One!["busiest_lane_event_share"]?.GetValue<double>()))
            .ToArray();
        if (gains.Length > 0)
        {
            var best = gains.MaxBy(g => g.Gain);
            parts.Add(string.Create(inv,
                $"{TargetSpeedUp}x or more from one thread to the most in {gains.Count(g => g.Gain >= TargetSpeedUp)} of {gains.Length} (best {best.Gain:F2}x, {best.Case.Scenario} {best.Case.Horizon} on {best.Threads})"));

            // What bounds the others: their busiest lane's events run on one thread, however many there are.
            var shares = gains.Where(g => g.Gain < TargetSpeedUp).Select(g => g.Share).OfType<double>().ToArray();
            if (shares.Length > 0)
            {
                static string Span(double low, double high, string format) =>
                    low.ToString(format, CultureInfo.InvariantCulture) is var a && high.ToString(format, CultureInfo.InvariantCulture) is var b && a == b ? a : $"{a}-{b}";
                parts[^1] += $", the others' busiest lane firing {Span(100 * shares.Min(), 100 * shares.Max(), "F0")} % of their events (a bound of about {Span(1 / shares.Max(), 1 / shares.Min(), "F2")}x)";
            }
        }

        var day = rows.Where(r => r["scenario"]!.GetValue<string>() == "metro-inference" && r["horizon"]!.GetValue<string>() == "1 d").ToArray();
        if (day.Length > 0)
        {
            // The goal is the whole process's wall time; rows read before it was measured have the run's alone.
            static double Whole(JsonObject r) => (r["process_wall_s"] ?? r["wall_s"])!.GetValue<double>();
            var fastest = day.MinBy(Whole)!;
            int threads = fastest["threads"]!.GetValue<int>();
            string whole = fastest["process_wall_s"] is { } p ? string.Create(inv, $", {p.GetValue<double>():F2} s whole process,") : "";
            parts.Add(string.Create(inv,
                $"the metro day in {fastest["wall_s"]!.GetValue<double>():F2} s of simulation{whole} on {threads} thread{(threads == 1 ? "" : "s")} (goal under {TargetMetroDayS} s whole process)"));
        }

        return parts.Count == 0 ? null : "targets: " + string.Join("; ", parts);
    }

    /// <summary>
    /// The thread counts of <c>--threads</c>: by default one (the cost per request on one core, the
    /// figure the goals are set for) and every core of the machine; null where a count is not a whole
    /// number of 1 or more.
    /// </summary>
    public static int[]? ParseThreads(string text, int cores)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return cores > 1 ? [1, cores] : [1];
        }

        var counts = new List<int>();
        foreach (string t in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            {
                return null;
            }

            counts.Add(n);
        }

        return counts.Count > 0 ? [.. counts] : null;
    }

    /// <summary>
    /// One row for the runs of a case on one thread count: the run of median wall time (the lower of
    /// the middle two for an even count), with the median of the runs' whole-process times and lean
    /// events a request (each run's own ratio to the lean loop measured just before it), and every
    /// run's wall time (<c>wall_s_runs</c>) where there are several.
    /// </summary>
    internal static JsonObject MedianRun(IReadOnlyList<JsonObject> runs)
    {
        static T Middle<T>(T[] sorted) => sorted[(sorted.Length - 1) / 2];

        if (runs.Count == 1)
        {
            return runs[0];
        }

        var row = Middle([.. runs.OrderBy(r => r["wall_s"]!.GetValue<double>())]).DeepClone().AsObject();
        foreach (string key in new[] { "process_wall_s", "lean_events_per_request" })
        {
            double[] values = [.. runs.Where(r => r[key] is not null).Select(r => r[key]!.GetValue<double>()).Order()];
            if (values.Length > 0)
            {
                row[key] = Middle(values);
            }
        }

        row["runs"] = runs.Count;
        row["wall_s_runs"] = new JsonArray([.. runs.Select(r => (JsonNode?)r["wall_s"]!.GetValue<double>())]);
        return row;
    }

    private static void PrintRow(JsonObject row)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(inv,
            "{0,-26} {1,4} racks {2,-5} threads {3,2}: {4,12:N0} requests in {5,7:F2} s = {6,9:N0} /s; {7,6:F2} events/request ({11:F2} superseded ends); {8,6} lean events/request; peak {9:N0} MB (build {10:F2} s, whole process {12:F2} s); {13} lanes, the busiest {14:F0} % of events",
            row["scenario"]!.GetValue<string>(), row["racks"]!.GetValue<int>(), row["horizon"]!.GetValue<string>().Replace(" ", "", StringComparison.Ordinal),
            row["threads"]!.GetValue<int>(), row["requests"]!.GetValue<long>(), row["wall_s"]!.GetValue<double>(), row["requests_per_s"]!.GetValue<double>(),
            row["events_per_request"]!.GetValue<double>(), row["lean_events_per_request"]?.GetValue<double>().ToString("F1", inv) ?? "-",
            row["peak_memory_bytes"]!.GetValue<long>() / 1e6, row["build_s"]!.GetValue<double>(), row["superseded_ends_per_request"]?.GetValue<double>() ?? 0,
            row["process_wall_s"]?.GetValue<double>() ?? double.NaN, row["lanes"]?.GetValue<int>(), 100 * row["busiest_lane_event_share"]?.GetValue<double>()));
        if (row["wall_s_runs"] is JsonArray walls)
        {
            Console.WriteLine(string.Format(inv, "{0,-26} the median of {1} runs of {2} s", "", walls.Count,
                string.Join(", ", walls.Select(w => w!.GetValue<double>().ToString("F2", inv)))));
        }
    }

    private static JsonObject? RunChild(string scenario, string horizon, int threads)
    {
        string exe = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string a in new[] { "bench", "requests", "--scale", "--scale-case", scenario, "--scale-horizon", horizon, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--no-baseline" })
        {
            info.ArgumentList.Add(a);
        }

        // The whole child process as well as its run: the issue's metro day is timed whole (start-up,
        // scenario, build and run), the child's wall_s is the twin's run alone.
        var processClock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {exe}.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double processWallS = processClock.Elapsed.TotalSeconds;
        string? line = stdout.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"error: {scenario} ({horizon}, {threads} threads) failed ({process.ExitCode}): {stdout}{stderr.Result}");
            return null;
        }

        var row = JsonNode.Parse(line)!.AsObject();
        row["process_wall_s"] = Math.Round(processWallS, 3);
        return row;
    }

    // One case in this process: build the twin at request level, run it to the horizon untraced.
    private static int RunCase(string scenarioPath, string horizon, int threads)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["run.horizon"] = horizon,
            ["run.fidelity"] = "request",
            ["run.threads"] = threads.ToString(CultureInfo.InvariantCulture),
        };

        var (spec, errors) = ScenarioLoader.Load(scenarioPath, AssetPaths.FindAssetsDirectory(), overrides);
        if (spec is null)
        {
            foreach (var e in errors)
            {
                Console.Error.WriteLine($"error: {e}");
            }

            return Program.ExitInvalidInput;
        }

        var buildClock = Stopwatch.StartNew();
        var built = TwinBuilder.Build(spec, Fidelity.Request);
        double buildS = buildClock.Elapsed.TotalSeconds;
        GC.Collect();
        var clock = Stopwatch.StartNew();
        built.Twin.RunUntil(spec.Run.Horizon);
        double wallS = clock.Elapsed.TotalSeconds;
        var hall = built.RequestHall!;
        long[] laneEvents = hall.LaneEventsFired();
        long arrived = hall.Metrics.Sum(m => m.Arrived);
        long completed = hall.Metrics.Sum(m => m.Completed);
        long events = built.Simulator.EventsFired;
        using var process = Process.GetCurrentProcess();
        var node = new JsonObject
        {
            ["scenario"] = spec.Name,
            ["racks"] = hall.RackCount,
            ["replicas"] = hall.ReplicaCount,
            ["horizon"] = horizon,
            ["threads"] = threads,
            ["requests"] = arrived,
            ["completed"] = completed,
            ["build_s"] = Math.Round(buildS, 3),
            ["wall_s"] = Math.Round(wallS, 3),
            ["requests_per_s"] = Math.Round(arrived / wallS),
            ["events"] = events,
            ["events_per_request"] = Math.Round(events / (double)Math.Max(1, arrived), 3),
            ["lanes"] = laneEvents.Length,
            ["busiest_lane_event_share"] = Math.Round(laneEvents.Max() / (double)Math.Max(1, laneEvents.Sum()), 3),
            ["superseded_ends_per_request"] = Math.Round(hall.SupersededSpanEnds / (double)Math.Max(1, arrived), 3),
            ["iterations"] = hall.Iterations,
            ["peak_memory_bytes"] = process.PeakWorkingSet64,
            ["managed_heap_bytes"] = GC.GetTotalMemory(false),
            ["it_energy_kwh"] = Math.Round(Enumerable.Range(0, hall.RackCount).Sum(hall.RackEnergyJ) / 3.6e6, 3),
            ["output_tokens"] = hall.Metrics.Sum(m => m.OutputTokensServed),
        };
        Console.WriteLine(node.ToJsonString());
        return Program.ExitOk;
    }
}
