namespace DataCenterTwin.Sweeps.Cluster;

/// <summary>
/// The work board. Its state is in memory only: if its silo dies, the submitter finds the sweep
/// unknown and submits it again with the variants it has rows for, so nothing complete runs twice
/// and nothing incomplete is lost. A lease is handed out again once the membership (Redis, here)
/// declares the leasing silo dead; a late completion of a variant already complete is counted
/// and ignored, so each variant completes exactly once.
/// </summary>
internal sealed class SweepBoardGrain(IClusterMembershipService membership) : Grain, ISweepBoardGrain
{
    private readonly Dictionary<string, Board> _sweeps = new(StringComparer.Ordinal);

    public Task Submit(ClusterSweepJob job, int[] done)
    {
        var board = new Board(job);
        var complete = new HashSet<int>(done);
        foreach (var v in job.Variants)
        {
            if (complete.Contains(v.Index))
            {
                board.Done.Add(v.Index);
            }
            else
            {
                board.Pending.Enqueue(v);
            }
        }

        _sweeps[job.Sweep] = board;
        return Task.CompletedTask;
    }

    public Task<ClusterWorkItem?> Lease(string worker)
    {
        Reclaim();
        foreach (var board in _sweeps.Values)
        {
            if (board.Pending.TryDequeue(out var variant))
            {
                board.Leases[variant.Index] = worker;
                return Task.FromResult<ClusterWorkItem?>(new ClusterWorkItem
                {
                    Sweep = board.Job.Sweep, BaseName = board.Job.BaseName, BaseYaml = board.Job.BaseYaml, Variant = variant,
                });
            }
        }

        return Task.FromResult<ClusterWorkItem?>(null);
    }

    public Task Complete(ClusterVariantResult result)
    {
        if (!_sweeps.TryGetValue(result.Sweep, out var board))
        {
            return Task.CompletedTask;
        }

        if (!board.Done.Add(result.Index))
        {
            board.Duplicates++;
            return Task.CompletedTask;
        }

        board.Leases.Remove(result.Index);
        if (board.Pending.Any(v => v.Index == result.Index))
        {
            // Handed out again (its silo was declared dead) but finished by the first after all.
            var keep = board.Pending.Where(v => v.Index != result.Index).ToList();
            board.Pending.Clear();
            keep.ForEach(board.Pending.Enqueue);
        }

        board.Results.Add(result);
        return Task.CompletedTask;
    }

    public Task<ClusterSweepProgress> Collect(string sweep)
    {
        Reclaim();
        if (!_sweeps.TryGetValue(sweep, out var board))
        {
            return Task.FromResult(new ClusterSweepProgress { Known = false });
        }

        var progress = new ClusterSweepProgress
        {
            Known = true, Results = [.. board.Results], Pending = board.Pending.Count, Leases = new Dictionary<int, string>(board.Leases),
            Reassigned = board.Reassigned, Duplicates = board.Duplicates,
        };
        board.Results.Clear();
        return Task.FromResult(progress);
    }

    public Task Forget(string sweep)
    {
        _sweeps.Remove(sweep);
        return Task.CompletedTask;
    }

    // Leases on silos the membership has declared dead go back to the front of the queue.
    private void Reclaim()
    {
        var snapshot = membership.CurrentSnapshot;
        foreach (var board in _sweeps.Values)
        {
            List<int>? lost = null;
            foreach (var (index, worker) in board.Leases)
            {
                if (snapshot.GetSiloStatus(SiloAddress.FromParsableString(worker)) == SiloStatus.Dead)
                {
                    (lost ??= []).Add(index);
                }
            }

            if (lost is null)
            {
                continue;
            }

            var requeued = board.Job.Variants.Where(v => lost.Contains(v.Index)).Concat(board.Pending).ToList();
            board.Pending.Clear();
            requeued.ForEach(board.Pending.Enqueue);
            foreach (int index in lost)
            {
                board.Leases.Remove(index);
            }

            board.Reassigned += lost.Count;
        }
    }

    private sealed class Board(ClusterSweepJob job)
    {
        public ClusterSweepJob Job { get; } = job;
        public Queue<ClusterVariant> Pending { get; } = new();
        public Dictionary<int, string> Leases { get; } = [];
        public HashSet<int> Done { get; } = [];
        public List<ClusterVariantResult> Results { get; } = [];
        public int Reassigned { get; set; }
        public int Duplicates { get; set; }
    }
}
