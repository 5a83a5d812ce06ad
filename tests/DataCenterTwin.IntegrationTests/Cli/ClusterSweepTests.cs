using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Sweeps;
using DataCenterTwin.Sweeps.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary>
/// The cluster as it runs: Redis on loopback holds the Orleans membership, three real
/// <c>dctwin silo</c> processes work a sweep, one is killed while it runs a variant, and every
/// variant still completes exactly once.
/// </summary>
public sealed class ClusterSweepTests
{
    [Fact]
    public async Task ThreeSilos_OneKilledMidVariant_EveryVariantCompletesExactlyOnce()
    {
        using var redis = RedisOnLoopback.Start();
        string clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        var ports = Enumerable.Range(0, 3).Select(_ => FreePort()).ToArray();
        var silos = ports.Select(p => StartSilo(redis.Address, clusterId, p)).ToArray();
        try
        {
            foreach (var s in silos)
            {
                await s.Joined.WaitAsync(TimeSpan.FromMinutes(3));
            }

            string file = Path.Combine(Directory.CreateTempSubdirectory("dctwin-cluster").FullName, "sweep.yaml");
            File.WriteAllText(file, $"""
                name: kill
                base: {Repository.Path("scenarios/quick.yaml")}
                fixed:
                  run.horizon: 10 d
                grid:
                  control.policy: [electric-first, capacity-unlock]
                seeds: [1, 2, 3, 4]
                """);
            var (spec, errors) = SweepLoader.Load(file, AssetPaths.FindAssetsDirectory());
            Assert.True(spec is not null, string.Join("\n", errors.Select(e => e.Message)));
            var variants = SweepExpansion.Expand(spec);
            string outDir = Directory.CreateTempSubdirectory("dctwin-cluster-out").FullName;

            using var client = SweepCluster.BuildClient(redis.Address, clusterId);
            await client.StartAsync();
            int killedPort = -1;
            var outcome = await ClusterSweep.RunAsync(client.Services.GetRequiredService<IGrainFactory>(), spec, variants, outDir,
                AssetPaths.FindAssetsDirectory(), onPoll: p =>
                {
                    // Kill the first silo seen running a variant once a row exists, so the kill falls mid-sweep and mid-variant.
                    if (killedPort < 0 && p.Leases.Count > 0)
                    {
                        var worker = p.Leases.Values.First();
                        int index = Array.FindIndex(ports, port => worker.Contains($":{port}@", StringComparison.Ordinal));
                        if (index >= 0)
                        {
                            killedPort = ports[index];
                            silos[index].Process.Kill(entireProcessTree: true);
                        }
                    }
                });
            await client.StopAsync();

            Assert.True(killedPort > 0, "no silo was seen running a variant");
            Assert.Empty(outcome.Outcome.Failed);
            Assert.True(outcome.Reassigned + outcome.Resubmitted >= 1, "the killed silo's variant was never taken over");
            var rows = Directory.GetFiles(outcome.Outcome.ResultsFolder, "*.parquet");
            Assert.Equal(variants.Count, rows.Length);
            Assert.Equal(variants.Count, outcome.Outcome.Ran);
            Assert.Empty(Directory.GetFiles(outcome.Outcome.ResultsFolder, "*.tmp"));

            // Every variant once: DuckDB reads the dataset back, one row per variant index.
            var indices = DuckDb.Query($"SELECT variant FROM read_parquet('{outcome.Outcome.ResultsFolder}/*.parquet') ORDER BY variant")
                .Select(r => Convert.ToInt32(r[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, variants.Count), indices);
        }
        finally
        {
            foreach (var s in silos)
            {
                s.Stop();
            }
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static SiloProcess StartSilo(string redis, string clusterId, int port)
    {
        var start = new ProcessStartInfo(Dctwin.Program)
        {
            WorkingDirectory = Directory.CreateTempSubdirectory("dctwin-silo").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "silo", "--cluster", redis, "--cluster-id", clusterId, "--workers", "1", "--silo-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("joined cluster", StringComparison.Ordinal) == true)
            {
                joined.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, joined.Task);
    }

    private sealed record SiloProcess(Process Process, Task Joined)
    {
        public void Stop()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.WaitForExit();
            Process.Dispose();
        }
    }
}
