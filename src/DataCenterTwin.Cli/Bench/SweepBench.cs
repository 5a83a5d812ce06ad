using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Sweeps;
using DataCenterTwin.Sweeps.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench sweep</c>: the same sweep (N seeds of a scenario, <c>quick</c> by default) on 1 and
/// 2 local workers and on 1, 2 and 3 Orleans silos on loopback (one worker each, membership in a
/// Redis on loopback), in one process and one run: variants per minute, speed-up over one local
/// worker, and the cluster's overhead over the local runner with as many workers.
/// </summary>
internal static class SweepBench
{
    public static Command CreateCommand()
    {
        var scenario = new Option<string>("--scenario") { Description = "The base scenario.", DefaultValueFactory = _ => "scenarios/quick.yaml" };
        var variants = new Option<int>("--variants") { Description = "Variants (seeds 1…N).", DefaultValueFactory = _ => 64 };
        var horizon = new Option<string?>("--horizon") { Description = "Override run.horizon (default: the scenario's)." };
        var redis = new Option<string?>("--redis") { Description = "A Redis server for the membership (default: start redis-server on a loopback port)." };
        var local = new Option<int[]>("--local") { Description = "Local worker counts.", DefaultValueFactory = _ => [1, 2] };
        var silos = new Option<int[]>("--silos") { Description = "Silo counts (one worker each).", DefaultValueFactory = _ => [1, 2, 3] };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var command = new Command("sweep", "Sweep throughput: local workers against Orleans silos on loopback.") { scenario, variants, horizon, redis, local, silos, json };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(variants), parse.GetValue(horizon), parse.GetValue(redis),
            parse.GetValue(local) ?? [], parse.GetValue(silos) ?? [], parse.GetValue(json)));
        return command;
    }

    private static int Run(string scenario, int count, string? horizon, string? redisAddress, int[] localCounts, int[] siloCounts, bool json)
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-bench-sweep").FullName;
        string file = Path.Combine(dir, "sweep.yaml");
        File.WriteAllText(file, $"name: bench\nbase: {Path.GetFullPath(scenario)}\n"
            + (horizon is null ? "" : $"fixed:\n  run.horizon: {horizon}\n")
            + $"grid:\n  run.fidelity: [fluid]\nseeds: {count.ToString(CultureInfo.InvariantCulture)}\n");
        // A one-value grid because a sweep must name what it varies; the seeds are the variants.
        var (spec, errors) = SweepLoader.Load(file, AssetPaths.FindAssetsDirectory());
        if (spec is null)
        {
            foreach (var e in errors)
            {
                Console.Error.WriteLine($"error: {e}");
            }

            return Program.ExitInvalidInput;
        }

        var variants = SweepExpansion.Expand(spec);
        var rows = new List<(string Mode, int Workers, double WallS)>();
        foreach (int w in localCounts)
        {
            var clock = Stopwatch.StartNew();
            var outcome = SweepRunner.Run(spec, variants, Path.Combine(dir, $"local-{w}"), w, AssetPaths.FindAssetsDirectory());
            rows.Add(("local", w, clock.Elapsed.TotalSeconds));
            Check(outcome, variants.Count);
        }

        using var redis = redisAddress is null && siloCounts.Length > 0 ? LoopbackRedis.Start(dir) : null;
        foreach (int n in siloCounts)
        {
            var hosts = Enumerable.Range(0, n).Select(_ => SweepCluster.BuildSilo(new SweepSiloOptions(redisAddress ?? redis!.Address, $"bench-{n}-{Environment.ProcessId}",
                1, AssetPaths.FindAssetsDirectory(), dir, IPAddress.Loopback))).ToList();
            try
            {
                foreach (var h in hosts)
                {
                    h.StartAsync().GetAwaiter().GetResult();
                }

                // Timed from submission: the silos have joined, as a standing cluster would have.
                var clock = Stopwatch.StartNew();
                var outcome = ClusterSweep.RunAsync(hosts[0].Services.GetRequiredService<IGrainFactory>(), spec, variants, Path.Combine(dir, $"silos-{n}"),
                    AssetPaths.FindAssetsDirectory()).GetAwaiter().GetResult();
                rows.Add(("silos", n, clock.Elapsed.TotalSeconds));
                Check(outcome.Outcome, variants.Count);
            }
            finally
            {
                foreach (var h in hosts)
                {
                    h.StopAsync().GetAwaiter().GetResult();
                    h.Dispose();
                }
            }
        }

        double baseline = rows.FirstOrDefault(r => r.Mode == "local" && r.Workers == 1).WallS;
        var inv = CultureInfo.InvariantCulture;
        var table = rows.Select(r =>
        {
            double local = rows.FirstOrDefault(l => l.Mode == "local" && l.Workers == r.Workers).WallS;
            return new
            {
                mode = r.Mode, workers = r.Workers, wall_s = Math.Round(r.WallS, 2), variants_per_min = Math.Round(variants.Count / r.WallS * 60, 1),
                speedup = baseline > 0 ? Math.Round(baseline / r.WallS, 2) : (double?)null,
                overhead_vs_local = r.Mode == "silos" && local > 0 ? Math.Round(r.WallS / local - 1, 3) : (double?)null,
            };
        }).ToList();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { variants = variants.Count, scenario, cores = Environment.ProcessorCount, rows = table }));
            return Program.ExitOk;
        }

        Console.WriteLine(string.Create(inv, $"{variants.Count} variants of {scenario} on {Environment.ProcessorCount} cores"));
        Console.WriteLine("| runner | workers | wall, s | variants/min | speed-up over 1 local | cluster overhead over local, same workers |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var r in table)
        {
            Console.WriteLine(string.Create(inv,
                $"| {(r.mode == "local" ? "local" : "Orleans silos")} | {r.workers} | {r.wall_s:F1} | {r.variants_per_min:F1} | {r.speedup:F2} | {(r.overhead_vs_local is { } o ? $"{o * 100:+0.0;-0.0} %" : "–")} |"));
        }

        return Program.ExitOk;
    }

    private static void Check(SweepOutcome outcome, int expected)
    {
        if (outcome.Ran != expected || outcome.Failed.Count > 0)
        {
            throw new InvalidOperationException($"the sweep ran {outcome.Ran} of {expected} variants: {string.Join("; ", outcome.Failed)}");
        }
    }

    // Debian's redis-server on a free loopback port, no persistence, stopped on dispose.
    private sealed class LoopbackRedis : IDisposable
    {
        private readonly Process _process;

        private LoopbackRedis(Process process, string address)
        {
            _process = process;
            Address = address;
        }

        public string Address { get; }

        public static LoopbackRedis Start(string dir)
        {
            int port;
            using (var l = new TcpListener(IPAddress.Loopback, 0))
            {
                l.Start();
                port = ((IPEndPoint)l.LocalEndpoint).Port;
            }

            var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (string a in new[] { "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--dir", dir })
            {
                start.ArgumentList.Add(a);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server)");
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            for (int i = 0; i < 100; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, port);
                    return new LoopbackRedis(process, $"127.0.0.1:{port}");
                }
                catch (SocketException)
                {
                    Thread.Sleep(100);
                }
            }

            process.Kill();
            throw new InvalidOperationException($"redis-server did not listen on 127.0.0.1:{port}");
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}
