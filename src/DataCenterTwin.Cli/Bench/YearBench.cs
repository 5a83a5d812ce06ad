using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;
using DataCenterTwin.Traces.Datasets;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench year</c>: a simulated year of the metro hall at fluid level, the same for a campus
/// ten times larger, the metro year again with every trace written, and a request-level day of the
/// quick scenario — all in one run, so the ratios compare like with like.
/// </summary>
internal static class YearBench
{
    public static Command CreateCommand()
    {
        var scenarios = new Option<string>("--scenarios") { Description = "The reference scenarios folder.", DefaultValueFactory = _ => "scenarios" };
        var skipCampus = new Option<bool>("--no-campus") { Description = "Skip the ten times larger campus." };
        var command = new Command("year", "Wall time of a simulated year (fluid), its scaling with racks, trace overhead, request-level speed.")
        {
            scenarios, skipCampus,
        };
        command.SetAction(parse => Run(parse.GetValue(scenarios)!, parse.GetValue(skipCampus)));
        return command;
    }

    private static int Run(string folder, bool skipCampus)
    {
        var inv = CultureInfo.InvariantCulture;
        var metro = Load(Path.Combine(folder, "metro-inference.yaml"));
        if (metro is null)
        {
            return Program.ExitInvalidInput;
        }

        var (wallS, heapMidMb, heapEndMb) = Year(metro, traces: false);
        double metroSpeed = metro.Run.Horizon.TotalSeconds / wallS;
        Console.WriteLine(string.Format(inv, "metro year (fluid, {0} racks, 60 s step): {1:F2} s wall = {2:N0} simulated s per wall s; managed heap {3:F1} MB at mid-year, {4:F1} MB at the end",
            metro.Hall.Racks.Count, wallS, metroSpeed, heapMidMb, heapEndMb));

        if (!skipCampus && Load(Path.Combine(folder, "metro-campus-10x.yaml")) is { } campus)
        {
            var (campusS, _, _) = Year(campus, traces: false);
            double rackRatio = campus.Hall.Racks.Count / (double)metro.Hall.Racks.Count;
            Console.WriteLine(string.Format(inv, "campus year ({0} racks): {1:F2} s wall = {2:N0} simulated s per wall s; {3:F1}x the racks cost {4:F2}x the wall time",
                campus.Hall.Racks.Count, campusS, campus.Run.Horizon.TotalSeconds / campusS, rackRatio, campusS / wallS));
        }

        var (tracedS, _, _) = Year(metro, traces: true);
        Console.WriteLine(string.Format(inv, "metro year with every trace written (15 min interval): {0:F2} s wall, {1:F2}x the untraced year", tracedS, tracedS / wallS));

        if (Load(Path.Combine(folder, "quick.yaml")) is { } quick)
        {
            var built = TwinBuilder.Build(quick, Fidelity.Request);
            var clock = Stopwatch.StartNew();
            built.Twin.RunUntil(quick.Run.Horizon);
            double s = clock.Elapsed.TotalSeconds;
            long requests = built.RequestHall!.Metrics.Sum(m => m.Completed + m.Rejected);
            Console.WriteLine(string.Format(inv, "quick day at request level: {0:N0} requests in {1:F2} s = {2:N0} requests per wall s ({3:N0} kernel events)",
                requests, s, requests / s, built.Simulator.EventsFired));
        }

        Console.WriteLine(string.Format(inv, "peak working set {0:N0} MB", Process.GetCurrentProcess().PeakWorkingSet64 / 1e6));
        return Program.ExitOk;
    }

    // The year is measured at fluid level throughout: a scenario's request-level windows are left out.
    private static ScenarioSpec? Load(string path)
    {
        var (spec, errors) = ScenarioLoader.Load(path, AssetPaths.FindAssetsDirectory());
        foreach (var e in errors)
        {
            Console.Error.WriteLine($"error: {e}");
        }

        return spec is null ? null : spec with { Run = spec.Run with { Windows = [] } };
    }

    private static (double WallS, double HeapMidMb, double HeapEndMb) Year(ScenarioSpec spec, bool traces)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"dctwin-bench-year-{Environment.ProcessId}");
        RunTraceWriter? writer = null;
        try
        {
            if (traces)
            {
                var start = DateTime.SpecifyKind(spec.Site.Start.AddHours(-spec.Site.UtcOffsetHours), DateTimeKind.Utc);
                writer = new RunTraceWriter(dir, start, null, new TraceFileOptions(PartitionByMonth: true), new Dictionary<string, string> { ["scenario"] = spec.Name });
            }

            var built = TwinBuilder.Build(spec, Fidelity.Fluid);
            if (writer is not null)
            {
                built.Twin.Observe(writer);
            }

            var clock = Stopwatch.StartNew();
            var half = SimTime.FromSeconds(spec.Run.Horizon.TotalSeconds / 2);
            built.Twin.RunUntil(half);
            double mid = GC.GetTotalMemory(false) / 1e6;
            built.Twin.RunUntil(spec.Run.Horizon);
            built.Twin.Flush();
            writer?.Complete();
            double wall = clock.Elapsed.TotalSeconds;
            return (wall, mid, GC.GetTotalMemory(false) / 1e6);
        }
        finally
        {
            writer?.Dispose();
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
