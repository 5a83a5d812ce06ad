using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Workload;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Traces.Requests;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench requests</c>: the Azure conversation trace replayed at 100× its rate (10× time
/// compression × 10 phase-shifted copies, looped) on a hall of 1,024 H100s (32 racks of 4 DGX H100,
/// 128 replicas of Llama-2-70B at tensor parallel 8, power-of-two-choices dispatch) for one
/// simulated hour, request by request;
/// measured next to the lean loop in the same run.
/// </summary>
internal static class RequestsBench
{
    private const ulong Seed = 42;

    public static Command CreateCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var hours = new Option<double>("--hours") { Description = "Simulated hours.", DefaultValueFactory = _ => 1.0 };
        var speedUp = new Option<double>("--speedup") { Description = "Time compression of the trace.", DefaultValueFactory = _ => 10.0 };
        var copies = new Option<int>("--copies") { Description = "Phase-shifted copies superposed (rate = trace rate × speedup × copies).", DefaultValueFactory = _ => 10 };
        var racks = new Option<int>("--racks") { Description = "Racks of 4 DGX H100 (32 racks = 1,024 GPUs).", DefaultValueFactory = _ => 32 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most running requests per replica.", DefaultValueFactory = _ => 128 };
        var policy = new Option<string>("--policy") { Description = "Dispatch: round-robin, least-work, p2c, thermal, packing.", DefaultValueFactory = _ => "p2c" };
        var trace = new Option<string>("--trace") { Description = "Trace file in assets/traces.", DefaultValueFactory = _ => "AzureLLMInferenceTrace_conv.csv" };
        var baseline = new Option<string?>("--baseline") { Description = "Folder of the lean loop (default: ../shared/bench/lean beside the repository)." };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Measure the hall alone." };
        var scale = new Option<bool>("--scale") { Description = "Whole request-level runs of the reference halls instead: an hour of 64, 640 and 1,184 racks (the last also in dispatch groups) and a day of metro, plain and grouped." };
        var (scaleScenarios, scaleCase, scaleHorizon, scaleThreads, scaleOnly, scaleRepeat) = RequestsScaleBench.CreateOptions();
        var command = new Command("requests", "Request-level serving: simulated requests per wall second, events per request, memory, TTFT.")
        {
            json, hours, speedUp, copies, racks, maxBatch, policy, trace, baseline, noBaseline,
            scale, scaleScenarios, scaleCase, scaleHorizon, scaleThreads, scaleOnly, scaleRepeat,
        };
        command.SetAction(parse => parse.GetValue(scale)
            ? RequestsScaleBench.Run(new RequestsScaleBench.Options(parse.GetValue(scaleScenarios)!, parse.GetValue(scaleCase), parse.GetValue(scaleHorizon)!,
                parse.GetValue(scaleThreads)!, parse.GetValue(scaleOnly), parse.GetValue(scaleRepeat)), parse.GetValue(json),
                () => parse.GetValue(noBaseline) || parse.GetValue(scaleCase) is not null ? null : LeanBaseline.TryBuild(parse.GetValue(baseline), Console.Error))
            : Run(parse.GetValue(json), parse.GetValue(hours), parse.GetValue(speedUp), Math.Max(1, parse.GetValue(copies)),
            Math.Max(1, parse.GetValue(racks)), Math.Max(1, parse.GetValue(maxBatch)), parse.GetValue(policy)!, parse.GetValue(trace)!,
            () => parse.GetValue(noBaseline) ? null : LeanBaseline.TryBuild(parse.GetValue(baseline), Console.Error)));
        return command;
    }

    private static DispatchKind? Policy(string name) => name switch
    {
        "round-robin" => DispatchKind.RoundRobin,
        "least-work" => DispatchKind.LeastWork,
        "p2c" => DispatchKind.PowerOfTwo,
        "thermal" => DispatchKind.ThermalAware,
        "packing" => DispatchKind.PowerAware,
        _ => null,
    };

    private static int Run(bool json, double hours, double speedUp, int copies, int racks, int maxBatch, string policy, string traceFile, Func<LeanBaseline?> leanBaseline)
    {
        // Arguments first, before the lean loop is built and the trace read.
        if (Policy(policy) is not { } dispatch)
        {
            Console.Error.WriteLine($"error: --policy {policy}: expected round-robin, least-work, p2c, thermal or packing");
            return Program.ExitInvalidInput;
        }

        string tracePath = AssetPaths.Asset(Path.Combine("traces", traceFile));
        if (!File.Exists(tracePath))
        {
            Console.Error.WriteLine($"error: --trace {traceFile}: no such file in {Path.GetDirectoryName(tracePath)}");
            return Program.ExitInvalidInput;
        }

        var lean = leanBaseline();
        var catalog = HardwareCatalog.LoadDefault();
        var trace = AzureLlmTraceReader.Read(tracePath).Trace;
        var pool = catalog.Pool("h100", "DGX-H100-rack", 0, racks, "llama2-70b", 8, dispatch);

        // Up to 128 running sequences (vLLM allows 256 by default); the decode curve is extrapolated past its
        // largest profiled batch (64) along its last segment.
        pool = pool with { Batching = pool.Batching with { MaxBatch = maxBatch } };
        var cls = new RequestClass("conv", "llama2-70b", TokenDistribution.Fixed(1), TokenDistribution.Fixed(1), new SloSpec(TtftS: 2, TpotS: 0.2));

        // Warm-up: a short run so the JIT has compiled the hot paths before the clock starts.
        Measure(catalog, pool, cls, trace, speedUp, copies, 0.02);
        var r = Measure(catalog, pool, cls, trace, speedUp, copies, hours);

        double? leanEventsPerS = lean is null ? null : LeanBaseline.Number(lean.Run("heap4", "timeout", "1000", "10000000", "42"), "timeouts_per_s");
        var node = new JsonObject
        {
            ["requests"] = r.Requests,
            ["simulated_s"] = hours * 3600,
            ["wall_s"] = Math.Round(r.WallS, 3),
            ["requests_per_s"] = Math.Round(r.Requests / r.WallS),
            ["events_per_request"] = Math.Round(r.Events / (double)r.Requests, 3),
            ["peak_memory_bytes"] = r.PeakMemoryBytes,
            ["managed_heap_bytes"] = r.ManagedBytes,
            ["bytes_allocated_per_request"] = Math.Round(r.AllocatedBytes / (double)r.Requests, 1),
            ["ttft_p50_s"] = Math.Round(r.Hall.Metrics[0].Ttft.Quantile(0.5), 4),
            ["ttft_p99_s"] = Math.Round(r.Hall.Metrics[0].Ttft.Quantile(0.99), 4),
            ["tpot_p50_s"] = Math.Round(r.Hall.Metrics[0].Tpot.Quantile(0.5), 4),
            ["tpot_p99_s"] = Math.Round(r.Hall.Metrics[0].Tpot.Quantile(0.99), 4),
            ["slo_attainment"] = Math.Round(r.Hall.Metrics[0].SloAttainment, 4),
            ["mean_utilisation"] = Math.Round(r.Hall.MeanUtilisation, 4),
            ["it_energy_kwh"] = Math.Round(Enumerable.Range(0, r.Hall.RackCount).Sum(r.Hall.RackEnergyJ) / 3.6e6, 2),
            ["energy_per_output_token_j"] = Math.Round(r.Hall.Metrics[0].EnergyPerOutputTokenJ, 3),
            ["arrival_rate_per_s"] = Math.Round(r.ArrivalRatePerS, 2),
            ["replicas"] = r.Hall.ReplicaCount,
            ["accelerators"] = r.Hall.AcceleratorCount,
        };
        if (leanEventsPerS is { } l)
        {
            // The target: a request costs no more wall time than 15 events of the lean loop.
            node["lean_events_per_s"] = Math.Round(l);
            node["lean_events_per_request"] = Math.Round(l / (r.Requests / r.WallS), 2);
            node["target_lean_events_per_request"] = 15;
        }

        if (json)
        {
            Console.WriteLine(node.ToJsonString());
            return Program.ExitOk;
        }

        foreach (var (key, value) in node)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key,-32} {value}"));
        }

        return Program.ExitOk;
    }

    private sealed record Result(ComputeHall Hall, long Requests, long Events, double WallS, long PeakMemoryBytes, long ManagedBytes, long AllocatedBytes, double ArrivalRatePerS);

    private static Result Measure(HardwareCatalog catalog, PoolSpec pool, RequestClass cls, RequestTrace trace, double speedUp, int copies, double hours)
    {
        _ = catalog;
        var sim = new Simulator(Seed, 1 << 12);
        var hall = new ComputeHall(sim, new ComputeHallSpec(pool.RackCount, [pool], [cls]));
        var arrivals = new TraceReplayArrivals(trace, speedUp, copies, loop: true);
        var source = new RequestSource(sim, hall, "conv", arrivals, "replay", SimTime.FromSeconds(hours * 3600));
        GC.Collect();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        sim.RunUntil(SimTime.FromSeconds(hours * 3600));
        double wall = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        hall.AdvanceTo(sim.Now);
        using var process = Process.GetCurrentProcess();
        return new Result(hall, source.Submitted, sim.EventsFired, wall, process.PeakWorkingSet64, GC.GetTotalMemory(false), allocated, arrivals.MeanRatePerS);
    }
}
