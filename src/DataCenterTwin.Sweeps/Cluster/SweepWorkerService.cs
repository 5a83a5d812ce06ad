using DataCenterTwin.Runs;
using DataCenterTwin.Scenarios;
using Microsoft.Extensions.Hosting;

namespace DataCenterTwin.Sweeps.Cluster;

/// <summary>
/// A silo's workers: each leases a variant from the board, runs it as a session on its own thread
/// and reports its summary, until the silo stops. The base scenario comes in the lease as text and
/// its <c>assets/…</c> files from this silo's own assets folder, never from the submitter's paths.
/// </summary>
internal sealed class SweepWorkerService(IGrainFactory grains, ILocalSiloDetails silo, SweepSiloOptions options) : BackgroundService
{
    // How long an idle worker waits before asking the board again, and a failed call before retrying.
    private static readonly TimeSpan s_idle = TimeSpan.FromMilliseconds(200);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new Task[Math.Max(0, options.Workers)];
        for (int i = 0; i < loops.Length; i++)
        {
            loops[i] = Task.Factory.StartNew(() => Loop(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }

        return Task.WhenAll(loops);
    }

    private async Task Loop(CancellationToken stop)
    {
        var board = grains.GetGrain<ISweepBoardGrain>(SweepCluster.BoardKey);
        string me = silo.SiloAddress.ToParsableString();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var item = await board.Lease(me).ConfigureAwait(false);
                if (item is null)
                {
                    await Task.Delay(s_idle, stop).ConfigureAwait(false);
                    continue;
                }

                var result = Run(item, me, stop);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                // The answer must reach the board: retry through a board silo's death until it does.
                while (true)
                {
                    try
                    {
                        await board.Complete(result).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception ex) when (ex is OrleansException or TimeoutException)
                    {
                        await Task.Delay(s_idle, stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                await Task.Delay(s_idle, stop).ConfigureAwait(false);
            }
        }
    }

    private ClusterVariantResult Run(ClusterWorkItem item, string me, CancellationToken stop)
    {
        string asFile = Path.Combine(options.WorkDirectory, item.BaseName + ".yaml");
        var (spec, errors) = ScenarioLoader.LoadText(item.BaseYaml, asFile, options.AssetsDirectory, item.Variant.Overrides);
        if (spec is null)
        {
            return new ClusterVariantResult
            {
                Sweep = item.Sweep, Index = item.Variant.Index, Worker = me,
                Error = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")),
            };
        }

        try
        {
            var session = new TwinSession(spec);
            session.RunToHorizon(stop);
            var summary = session.Summary();
            return new ClusterVariantResult
            {
                Sweep = item.Sweep, Index = item.Variant.Index, Scenario = summary.Scenario, ScenarioHash = summary.ScenarioHash, Seed = summary.Seed,
                Fidelity = summary.Fidelity, Keys = [.. summary.Figures.Select(f => f.Key)], Values = [.. summary.Figures.Select(f => f.Value ?? double.NaN)],
                Units = [.. summary.Figures.Select(f => f.Unit)], Worker = me,
            };
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            return new ClusterVariantResult { Sweep = item.Sweep, Index = item.Variant.Index, Worker = me, Error = ex.Message };
        }
    }
}
