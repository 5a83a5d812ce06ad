using DataCenterTwin.Runs;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Sweeps.Cluster;

/// <summary>How a cluster sweep went: the local outcome and the cluster's own counts.</summary>
/// <param name="Outcome">Variants, rows written now, rows already there, failures, the results folder.</param>
/// <param name="Reassigned">Leases taken back from silos declared dead and run elsewhere.</param>
/// <param name="Duplicates">Completions of variants already complete (ignored by the board) plus rows the submitter found already written.</param>
/// <param name="ByWorker">Variants completed by each silo.</param>
/// <param name="Resubmitted">Times the board was found without the sweep (its silo died) and the sweep was submitted again.</param>
public sealed record ClusterSweepOutcome(SweepOutcome Outcome, int Reassigned, int Duplicates, IReadOnlyDictionary<string, int> ByWorker, int Resubmitted);

/// <summary>
/// Submits a sweep to the cluster's board and writes each result's row as it arrives, keyed by
/// (scenario hash, seed) like the local runner's, so a rerun or a mix of local and cluster runs
/// shares one dataset and the same key twice is one row.
/// </summary>
public static class ClusterSweep
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs <paramref name="variants"/> of <paramref name="spec"/> on the cluster behind <paramref name="grains"/>, rows into <paramref name="outFolder"/>.</summary>
    /// <exception cref="InvalidDataException">The base scenario does not load.</exception>
    public static async Task<ClusterSweepOutcome> RunAsync(IGrainFactory grains, SweepSpec spec, IReadOnlyList<SweepVariant> variants, string outFolder,
        string? assetsDirectory, IProgress<int>? progress = null, Action<ClusterSweepProgress>? onPoll = null, CancellationToken cancellation = default)
    {
        string results = Path.Combine(outFolder, "results", $"sweep={spec.Name}");
        Directory.CreateDirectory(results);
        var (baseSpec, errors) = ScenarioLoader.Load(spec.BasePath, assetsDirectory);
        if (baseSpec is null)
        {
            throw new InvalidDataException($"{spec.BasePath}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}");
        }

        // A variant with its row already written is complete: the key needs the variant's scenario hash.
        var failed = new List<string>();
        var done = new HashSet<int>();
        var hashes = new string?[variants.Count];
        Parallel.For(0, variants.Count, i =>
        {
            var (s, e) = ScenarioLoader.Load(spec.BasePath, assetsDirectory, variants[i].Overrides);
            hashes[i] = s?.Hash;
            if (s is null)
            {
                lock (failed)
                {
                    failed.Add($"variant {variants[i].Index}: {string.Join("; ", e.Select(x => $"{x.Path}: {x.Message}"))}");
                }
            }
        });
        for (int i = 0; i < variants.Count; i++)
        {
            if (hashes[i] is null || File.Exists(SweepResultFile.PathOf(results, hashes[i]!, variants[i].Seed)))
            {
                done.Add(variants[i].Index);
            }
        }

        int skipped = done.Count - failed.Count;
        var job = new ClusterSweepJob
        {
            Sweep = spec.Name, BaseName = baseSpec.Name, BaseYaml = baseSpec.ResolvedYaml,
            Variants = [.. variants.Select(v => new ClusterVariant { Index = v.Index, Overrides = new Dictionary<string, string>(v.Overrides, StringComparer.Ordinal) })],
        };
        var byIndex = variants.ToDictionary(v => v.Index);
        var board = grains.GetGrain<ISweepBoardGrain>(SweepCluster.BoardKey);
        var byWorker = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int ran = 0, duplicates = 0, reassigned = 0, reassignedBefore = 0, duplicatesBefore = 0, resubmitted = 0;
        bool submitted = false;
        while (done.Count < variants.Count)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                if (!submitted)
                {
                    await board.Submit(job, [.. done]).ConfigureAwait(false);
                    submitted = true;
                }

                var p = await board.Collect(spec.Name).ConfigureAwait(false);
                if (!p.Known)
                {
                    // The board's silo died and its activation came back empty: what it counted is gone with it.
                    reassignedBefore = reassigned;
                    duplicatesBefore = duplicates;
                    submitted = false;
                    resubmitted++;
                    continue;
                }

                reassigned = reassignedBefore + p.Reassigned;
                onPoll?.Invoke(p);
                foreach (var r in p.Results)
                {
                    if (!done.Add(r.Index))
                    {
                        duplicates++;
                        continue;
                    }

                    byWorker[r.Worker] = byWorker.GetValueOrDefault(r.Worker) + 1;
                    if (r.Error is not null)
                    {
                        failed.Add($"variant {r.Index}: {r.Error}");
                        continue;
                    }

                    string file = SweepResultFile.PathOf(results, r.ScenarioHash, byIndex[r.Index].Seed);
                    if (File.Exists(file))
                    {
                        duplicates++;
                        continue;
                    }

                    var figures = r.Keys.Select((k, i) => new SummaryFigure(k, double.IsNaN(r.Values[i]) ? null : r.Values[i], r.Units[i])).ToList();
                    var summary = new RunSummary(r.Scenario, r.ScenarioHash, r.Seed, r.Fidelity, false, "", figures, []);
                    SweepResultFile.Write(file, spec.Name, byIndex[r.Index], summary);
                    ran++;
                }

                duplicates = Math.Max(duplicates, duplicatesBefore + p.Duplicates);
                if (p.Results.Count > 0)
                {
                    progress?.Report(done.Count);
                }

                if (done.Count < variants.Count)
                {
                    await Task.Delay(s_poll, cancellation).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // The board's silo is dying: its calls fail until the membership moves the board.
                await Task.Delay(s_poll, cancellation).ConfigureAwait(false);
            }
        }

        try
        {
            await board.Forget(spec.Name).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // A board that is gone has forgotten the sweep already.
        }

        failed.Sort(StringComparer.Ordinal);
        return new ClusterSweepOutcome(new SweepOutcome(variants.Count, ran, skipped, failed, results), reassigned, duplicates, byWorker, resubmitted);
    }
}
