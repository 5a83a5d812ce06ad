using DataCenterTwin.Runs;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Sweeps;

/// <summary>How a sweep went.</summary>
/// <param name="Variants">Variants in the sweep.</param>
/// <param name="Ran">Variants run now.</param>
/// <param name="Skipped">Variants already complete (a resumed sweep).</param>
/// <param name="Failed">Variants that failed, with why.</param>
/// <param name="ResultsFolder">Where the rows are.</param>
public sealed record SweepOutcome(int Variants, int Ran, int Skipped, IReadOnlyList<string> Failed, string ResultsFolder);

/// <summary>
/// Runs a sweep's variants on the local cores, each a session on its own thread, and writes one
/// result row per variant. A variant whose row exists is skipped, so a rerun of a killed sweep
/// loses at most the variants that were in flight.
/// </summary>
public static class SweepRunner
{
    /// <summary>Runs <paramref name="variants"/> of <paramref name="spec"/> into <paramref name="outFolder"/> on <paramref name="workers"/> threads.</summary>
    public static SweepOutcome Run(SweepSpec spec, IReadOnlyList<SweepVariant> variants, string outFolder, int workers, string? assetsDirectory,
        IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        string results = Path.Combine(outFolder, "results", $"sweep={spec.Name}");
        Directory.CreateDirectory(results);
        int ran = 0, skipped = 0, done = 0;
        var failed = new List<string>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellation };
        Parallel.ForEach(variants, options, variant =>
        {
            var (scenario, errors) = ScenarioLoader.Load(spec.BasePath, assetsDirectory, variant.Overrides);
            if (scenario is null)
            {
                lock (failed)
                {
                    failed.Add($"variant {variant.Index}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}");
                }
            }
            else
            {
                string file = SweepResultFile.PathOf(results, scenario.Hash, variant.Seed);
                if (File.Exists(file))
                {
                    Interlocked.Increment(ref skipped);
                }
                else
                {
                    try
                    {
                        var session = new TwinSession(scenario);
                        session.RunToHorizon(cancellation);
                        if (!cancellation.IsCancellationRequested)
                        {
                            SweepResultFile.Write(file, spec.Name, variant, session.Summary());
                            Interlocked.Increment(ref ran);
                        }
                    }
                    catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
                    {
                        lock (failed)
                        {
                            failed.Add($"variant {variant.Index}: {ex.Message}");
                        }
                    }
                }
            }

            progress?.Report(Interlocked.Increment(ref done));
        });

        failed.Sort(StringComparer.Ordinal);
        return new SweepOutcome(variants.Count, ran, skipped, failed, results);
    }
}
