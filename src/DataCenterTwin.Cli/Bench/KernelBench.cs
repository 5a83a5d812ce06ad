using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Reference;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench kernel</c>: the three standard kernel models (timeout with 1,000 and 100,000
/// processes, M/M/8 at ρ = 0.9), each measured next to the lean loop in the same run.
/// </summary>
internal static class KernelBench
{
    private const ulong Seed = 42;

    public static Command CreateCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var repeat = new Option<int>("--repeat") { Description = "Runs per model; the median is reported.", DefaultValueFactory = _ => 3 };
        var scale = new Option<double>("--scale") { Description = "Scale the event and customer counts (1 = the standard sizes).", DefaultValueFactory = _ => 1.0 };
        var baseline = new Option<string?>("--baseline") { Description = "Folder of the lean loop (default: ../shared/bench/lean beside the repository)." };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Measure the kernel alone." };
        var command = new Command("kernel", "Kernel events per second and bytes per event, next to the lean hand-written loop.")
        {
            json, repeat, scale, baseline, noBaseline,
        };
        command.SetAction(parse => Run(parse.GetValue(json), Math.Max(1, parse.GetValue(repeat)), parse.GetValue(scale),
            parse.GetValue(noBaseline) ? null : LeanBaseline.TryBuild(parse.GetValue(baseline), Console.Error)));
        return command;
    }

    private static int Run(bool json, int repeat, double scale, LeanBaseline? lean)
    {
        long events = (long)(10_000_000 * scale);
        long customers = (long)(2_000_000 * scale);
        Warmup();

        var models = new JsonArray();
        foreach (int processes in new[] { 1_000, 100_000 })
        {
            var runs = Enumerable.Range(0, repeat).Select(_ => MeasureTimeout(processes, events)).ToList();
            var leanRuns = lean is null ? null : Enumerable.Range(0, repeat).Select(_ => LeanBaseline.Number(
                lean.Run("heap4", "timeout", Str(processes), Str(events), Str(Seed)), "timeouts_per_s")).ToList();
            var node = new JsonObject
            {
                ["name"] = processes == 1_000 ? "timeout-1k" : "timeout-100k",
                ["events"] = events,
                ["events_per_s"] = Median(runs.Select(r => r.EventsPerS)),
                ["bytes_per_event"] = runs.Max(r => r.BytesPerEvent),
            };
            AddBaseline(node, "events_per_s", leanRuns);
            models.Add(node);
        }

        var mmc = Enumerable.Range(0, repeat).Select(_ => MeasureMmc(customers)).ToList();
        var leanMmc = lean is null ? null : Enumerable.Range(0, repeat).Select(_ => LeanBaseline.Number(
            lean.Run("heap4", "mmc", "8", "0.9", Str(customers), Str(Seed)), "customers_per_s")).ToList();
        var mmcNode = new JsonObject
        {
            ["name"] = "mmc",
            ["customers"] = customers,
            ["events_per_s"] = Median(mmc.Select(r => r.EventsPerS)),
            ["customers_per_s"] = Median(mmc.Select(r => r.CustomersPerS)),
            ["mean_wait"] = mmc[0].MeanWaitS,
            ["erlang_c"] = MmcModel.ErlangC(8, 7.2, 1.0).MeanWaitS,
            ["bytes_per_event"] = mmc.Max(r => r.BytesPerEvent),
        };
        AddBaseline(mmcNode, "customers_per_s", leanMmc);
        models.Add(mmcNode);

        var result = new JsonObject { ["models"] = models, ["repeat"] = repeat };
        if (json)
        {
            Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return Program.ExitOk;
        }

        Console.WriteLine($"{"model",-14} {"rate/s",14} {"lean rate/s",14} {"ratio",7} {"bytes/event",12}");
        foreach (var m in models)
        {
            string rateKey = m!["name"]!.GetValue<string>() == "mmc" ? "customers_per_s" : "events_per_s";
            double rate = m[rateKey]!.GetValue<double>();
            string leanRate = m["lean_" + rateKey] is { } l ? l.GetValue<double>().ToString("N0", CultureInfo.InvariantCulture) : "-";
            string ratio = m["ratio_to_lean"] is { } r ? r.GetValue<double>().ToString("F2", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m["name"],-14} {rate,14:N0} {leanRate,14} {ratio,7} {m["bytes_per_event"]!.GetValue<double>(),12:F3}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mmc mean wait {mmcNode["mean_wait"]!.GetValue<double>():F4} s, Erlang C {mmcNode["erlang_c"]!.GetValue<double>():F4} s (median of {repeat} runs)"));
        return Program.ExitOk;
    }

    private static void AddBaseline(JsonObject node, string key, List<double>? leanRuns)
    {
        if (leanRuns is null)
        {
            return;
        }

        double leanRate = Median(leanRuns);
        node["lean_" + key] = leanRate;
        node["ratio_to_lean"] = Math.Round(node[key]!.GetValue<double>() / leanRate, 3);
    }

    private static void Warmup()
    {
        MeasureTimeout(1_000, 300_000);
        MeasureMmc(100_000);
    }

    private static (double EventsPerS, double BytesPerEvent) MeasureTimeout(int processes, long events)
    {
        var model = TimeoutModel.Create(processes, Seed, events / processes);
        var clock = new Stopwatch();
        long before = GC.GetAllocatedBytesForCurrentThread();
        clock.Start();
        long fired = model.Run(long.MaxValue);
        double seconds = clock.Elapsed.TotalSeconds;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return (fired / seconds, bytes / (double)fired);
    }

    private static (double EventsPerS, double CustomersPerS, double MeanWaitS, double BytesPerEvent) MeasureMmc(long customers)
    {
        var sim = new Simulator(Seed);
        var model = new MmcModel(sim, 8, 7.2, 1.0, customers);
        var clock = new Stopwatch();
        long before = GC.GetAllocatedBytesForCurrentThread();
        clock.Start();
        sim.Run();
        double seconds = clock.Elapsed.TotalSeconds;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return (sim.EventsFired / seconds, model.Served / seconds, model.MeanWaitS, bytes / (double)sim.EventsFired);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Str(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
