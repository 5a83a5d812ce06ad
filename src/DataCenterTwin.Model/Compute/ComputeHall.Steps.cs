namespace DataCenterTwin.Model.Compute;

/// <summary>
/// The request-level hall's per-step accounting: each iteration's tokens set its accelerators'
/// power (<see cref="AcceleratorPowerModel"/>) and its split between clock-bound compute and
/// clock-independent memory time (<see cref="Roofline"/>), and the busy time is kept apart by kind.
/// </summary>
public sealed partial class ComputeHall
{
    /// <summary>Accelerator-seconds spent in the compute-bound part of steps since the start (serving and training).</summary>
    public double ComputeBusyAcceleratorSeconds
    {
        get
        {
            double s = 0;
            for (int r = 0; r < _replicas.Length; r++)
            {
                s += (_replicas[r].ComputeS + (PendingS(r) * _replicas[r].ComputeWallShare)) * _replicas[r].Accels;
            }

            return s + TrainingBusyAcceleratorSeconds();
        }
    }

    /// <summary>Accelerator-seconds spent in the memory-bound part of serving steps since the start.</summary>
    public double MemoryBusyAcceleratorSeconds
    {
        get
        {
            double s = 0;
            for (int r = 0; r < _replicas.Length; r++)
            {
                s += (_replicas[r].MemoryS + (PendingS(r) * (1 - _replicas[r].ComputeWallShare))) * _replicas[r].Accels;
            }

            return s;
        }
    }

    /// <summary>Replica-seconds of batch occupancy (running batch over the pool's largest) since the start.</summary>
    public double BatchOccupancyReplicaSeconds
    {
        get
        {
            double s = 0;
            for (int r = 0; r < _replicas.Length; r++)
            {
                s += _replicas[r].OccupancyS + (PendingS(r) * _replicas[r].OccupancyNow);
            }

            return s;
        }
    }

    /// <inheritdoc/>
    public ItBusy Busy => new(ComputeBusyAcceleratorSeconds, MemoryBusyAcceleratorSeconds, BatchOccupancyReplicaSeconds, _totalAccels, _replicas.Length);

    /// <summary>Tokens per accelerator of the replica's running step (0 when idle).</summary>
    public double ReplicaStepTokensPerAccelerator(int replica) => _replicas[replica].TokensPerAccel;

    // Busy time of the replica since its last accrual (it is idle or its step has not been accrued).
    private double PendingS(int r) => _replicas[r].Phase == AcceleratorPhase.Idle ? 0 : (SimOf(r).Now.Ticks - _replicas[r].Last) / 1e6;

    private double StepSpeed(int r, double clock) => Roofline.StepSpeed(_replicas[r].ComputeShare, clock);

    // A step over stepTokens starts at the given clock: its split, its occupancy and then its power.
    private void BeginStep(int r, AcceleratorPhase phase, long stepTokens, double clock)
    {
        ref var s = ref _replicas[r];
        AccrueReplica(r, SimOf(r).Now.Ticks);
        var steps = _poolSteps[s.Pool];
        if (clock == 1.0 && phase == AcceleratorPhase.Decode && (ulong)stepTokens < (ulong)steps.DecodeShare.Length)
        {
            s.ComputeShare = steps.DecodeShare[stepTokens];
            s.ComputeWallShare = steps.DecodeWallShare[stepTokens];
        }
        else
        {
            s.ComputeShare = _rackAccel[s.Rack]!.Roofline.ComputeShare(stepTokens);
            SetStepClock(r, clock);
        }

        s.OccupancyNow = (s.HeapCount + s.NewCount) / (double)steps.MaxBatch;
        SetPhase(r, phase, stepTokens / (double)s.Accels);
    }

    private void SetStepClock(int r, double clock) =>
        _replicas[r].ComputeWallShare = ComputeWallShareAt(_replicas[r].ComputeShare, clock);

    private void AccrueStep(int r, double dtS)
    {
        ref var s = ref _replicas[r];
        if (s.Phase == AcceleratorPhase.Idle)
        {
            return;
        }

        s.ComputeS += dtS * s.ComputeWallShare;
        s.MemoryS += dtS * (1 - s.ComputeWallShare);
        s.OccupancyS += dtS * s.OccupancyNow;
    }

    // Training steps are taken as compute-bound: their busy share counts as compute.
    private double TrainingBusyAcceleratorSeconds()
    {
        long now = _sim.Now.Ticks;
        double busy = 0;
        for (int j = 0; j < _jobs.Length; j++)
        {
            busy += _jobBusyAccelTicks[j] + (_jobRunning[j] ? (now - _jobSegStart[j]) * JobAccels(j) * _jobs[j].Utilisation : 0);
        }

        return busy / 1e6;
    }
}
