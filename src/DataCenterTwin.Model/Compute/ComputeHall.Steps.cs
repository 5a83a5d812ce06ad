namespace DataCenterTwin.Model.Compute;

/// <summary>
/// The request-level hall's per-step accounting: each iteration's tokens set its accelerators'
/// power (<see cref="AcceleratorPowerModel"/>) and its split between clock-bound compute and
/// clock-independent memory time (<see cref="Roofline"/>), and the busy time is kept apart by kind.
/// </summary>
public sealed partial class ComputeHall
{
    // Per replica: tokens per accelerator of the running step, its compute share at full clocks, the
    // share of its wall time now spent computing, its batch over the pool's maximum, and since the
    // start the seconds spent computing, streaming memory, and the time integral of batch occupancy.
    private double[] _rTokensPerAccel = [];
    private double[] _rComputeShare = [];
    private double[] _rComputeWallShare = [];
    private double[] _rOccupancyNow = [];
    private double[] _rComputeS = [];
    private double[] _rMemoryS = [];
    private double[] _rOccupancyS = [];

    /// <summary>Accelerator-seconds spent in the compute-bound part of steps since the start (serving and training).</summary>
    public double ComputeBusyAcceleratorSeconds
    {
        get
        {
            double s = 0;
            for (int r = 0; r < _rPool.Length; r++)
            {
                s += (_rComputeS[r] + (PendingS(r) * _rComputeWallShare[r])) * _rAccels[r];
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
            for (int r = 0; r < _rPool.Length; r++)
            {
                s += (_rMemoryS[r] + (PendingS(r) * (1 - _rComputeWallShare[r]))) * _rAccels[r];
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
            for (int r = 0; r < _rPool.Length; r++)
            {
                s += _rOccupancyS[r] + (PendingS(r) * _rOccupancyNow[r]);
            }

            return s;
        }
    }

    /// <inheritdoc/>
    public ItBusy Busy => new(ComputeBusyAcceleratorSeconds, MemoryBusyAcceleratorSeconds, BatchOccupancyReplicaSeconds, _totalAccels, _rPool.Length);

    /// <summary>Tokens per accelerator of the replica's running step (0 when idle).</summary>
    public double ReplicaStepTokensPerAccelerator(int replica) => _rTokensPerAccel[replica];

    private void InitStepState(int replicas)
    {
        _rTokensPerAccel = new double[replicas];
        _rComputeShare = new double[replicas];
        _rComputeWallShare = new double[replicas];
        _rOccupancyNow = new double[replicas];
        _rComputeS = new double[replicas];
        _rMemoryS = new double[replicas];
        _rOccupancyS = new double[replicas];
    }

    // Busy time of the replica since its last accrual (it is idle or its step has not been accrued).
    private double PendingS(int r) => _rPhase[r] == AcceleratorPhase.Idle ? 0 : (_sim.Now.Ticks - _rLast[r]) / 1e6;

    private double StepSpeed(int r, double clock) => Roofline.StepSpeed(_rComputeShare[r], clock);

    // A step over stepTokens starts at the given clock: its split, its occupancy and then its power.
    private void BeginStep(int r, AcceleratorPhase phase, long stepTokens, double clock)
    {
        AccrueReplica(r, _sim.Now.Ticks);
        var accel = _rackAccel[_rRack[r]]!;
        _rComputeShare[r] = accel.Roofline.ComputeShare(stepTokens);
        SetStepClock(r, clock);
        _rOccupancyNow[r] = (_rHeapCount[r] + _rNewCount[r]) / (double)_pools[_rPool[r]].Spec.Batching.MaxBatch;
        SetPhase(r, phase, stepTokens / (double)_rAccels[r]);
    }

    // At clock f a step of compute share c spends (c/f) / (c/f + 1 − c) of its wall time computing.
    private void SetStepClock(int r, double clock)
    {
        double c = _rComputeShare[r];
        double computeWall = clock > 0 ? c / clock : 0;
        double total = computeWall + (1 - c);
        _rComputeWallShare[r] = total > 0 ? computeWall / total : 0;
    }

    private void AccrueStep(int r, double dtS)
    {
        if (_rPhase[r] == AcceleratorPhase.Idle)
        {
            return;
        }

        _rComputeS[r] += dtS * _rComputeWallShare[r];
        _rMemoryS[r] += dtS * (1 - _rComputeWallShare[r]);
        _rOccupancyS[r] += dtS * _rOccupancyNow[r];
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
