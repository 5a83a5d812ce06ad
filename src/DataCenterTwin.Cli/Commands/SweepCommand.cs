using System.CommandLine;
using System.Globalization;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Sweeps;
using DataCenterTwin.Sweeps.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace DataCenterTwin.Cli.Commands;

/// <summary>
/// <c>dctwin sweep FILE</c>: expands a sweep file and runs its variants on the local cores, one result
/// row per variant under <c>OUT/results/sweep=NAME/</c>; a rerun skips the variants already done.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("SWEEP") { Description = "The sweep file (YAML)." };
        var outDir = new Option<string>("--out") { Description = "The sweep folder (results are kept there; a rerun resumes).", Required = true };
        var workers = new Option<int>("--workers") { Description = "Variants at once (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var dryRun = new Option<bool>("--list") { Description = "Print the variants and stop." };
        var cluster = SiloCommand.ClusterOptions();
        var command = new Command("sweep", "Run a sweep of scenario variants on every core, or on an Orleans cluster (--cluster).") { file, outDir, workers, dryRun };
        foreach (var o in cluster.All)
        {
            command.Options.Add(o);
        }

        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(outDir)!, parse.GetValue(workers), parse.GetValue(dryRun), Console.Out, Console.Error,
            cluster.Read(parse, parse.GetValue(workers))));
        return command;
    }

    public static int Run(string file, string outDir, int workers, bool list, TextWriter output, TextWriter error, SweepSiloOptions? cluster = null)
    {
        var (spec, errors) = SweepLoader.Load(file, AssetPaths.FindAssetsDirectory());
        if (spec is null)
        {
            ValidateCommand.PrintErrors(errors, file, error);
            return Program.ExitInvalidInput;
        }

        var variants = SweepExpansion.Expand(spec);
        if (list)
        {
            foreach (var v in variants)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{v.Index,5}  seed {v.Seed,-6} {string.Join("  ", v.Parameters.Select(p => $"{p.Key}={p.Value}"))}"));
            }

            return Program.ExitOk;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{spec.Name}: {variants.Count} variants on {workers} workers"));
        var started = DateTime.UtcNow;
        var progress = new InOrderProgress(done =>
        {
            double elapsed = (DateTime.UtcNow - started).TotalSeconds;
            double eta = done > 0 ? elapsed / done * (variants.Count - done) : double.NaN;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done}/{variants.Count} done, {elapsed:F0} s, about {eta:F0} s to go"));
        });
        SweepOutcome outcome;
        try
        {
            outcome = cluster is null
                ? SweepRunner.Run(spec, variants, outDir, workers, AssetPaths.FindAssetsDirectory(), progress)
                : RunOnCluster(spec, variants, outDir, cluster, progress, output);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {outDir}: {ex.Message}");
            return Program.ExitFailure;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Ran} run, {outcome.Skipped} already done, {outcome.Failed.Count} failed; rows in {outcome.ResultsFolder}"));
        foreach (string f in outcome.Failed)
        {
            error.WriteLine($"error: {f}");
        }

        if (Directory.EnumerateFiles(outcome.ResultsFolder, "*.parquet").Any())
        {
            output.WriteLine($"report: {SweepReport.Write(spec.Name, outcome.ResultsFolder, outDir)}");
        }

        return outcome.Failed.Count == 0 ? Program.ExitOk : Program.ExitFailure;
    }

    // This process joins the cluster as a silo (with its own workers, or none) and submits through it.
    private static SweepOutcome RunOnCluster(SweepSpec spec, IReadOnlyList<SweepVariant> variants, string outDir, SweepSiloOptions cluster,
        IProgress<int> progress, TextWriter output)
    {
        using var host = SweepCluster.BuildSilo(cluster);
        host.StartAsync().GetAwaiter().GetResult();
        try
        {
            output.WriteLine($"joined cluster {cluster.ClusterId} (membership in Redis at {cluster.Redis}) with {cluster.Workers} workers here");
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var result = ClusterSweep.RunAsync(grains, spec, variants, outDir, AssetPaths.FindAssetsDirectory(), progress).GetAwaiter().GetResult();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cluster: {result.Reassigned} leases taken over from dead silos, {result.Duplicates} duplicate completions ignored; by silo: {string.Join(", ", result.ByWorker.Select(w => $"{w.Key} {w.Value}"))}"));
            return result.Outcome;
        }
        finally
        {
            host.StopAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Progress the workers report as they finish, written on their threads one at a time and in
    /// order (a count below one written already is dropped), so every line is out before the
    /// summary. <see cref="Progress{T}"/> would post each to the thread pool: lines out of order,
    /// after the summary, and written to the output from two threads at once.
    /// </summary>
    private sealed class InOrderProgress(Action<int> write) : IProgress<int>
    {
        private readonly Lock _gate = new();
        private int _written;

        public void Report(int value)
        {
            lock (_gate)
            {
                if (value > _written)
                {
                    _written = value;
                    write(value);
                }
            }
        }
    }
}
