namespace DataCenterTwin.Model.Compute;

/// <summary>
/// The fluid hall's per-step power and busy accounting: the same <see cref="AcceleratorPowerModel"/>
/// and <see cref="Roofline"/> as the request-level hall, taken in expectation over the solved
/// batch distribution rather than at the mean batch (the power curve is concave).
/// </summary>
public sealed partial class FluidHall
{
    private double _computeBusyAccelS;
    private double _memoryBusyAccelS;
    private double _occupancyReplicaS;

    private int AllServingReplicas
    {
        get
        {
            int n = 0;
            foreach (var p in _pools)
            {
                n += p.Replicas;
            }

            return n;
        }
    }

    /// <inheritdoc/>
    public ItBusy Busy => new(_computeBusyAccelS, _memoryBusyAccelS, _occupancyReplicaS, _totalAccels, AllServingReplicas);

    /// <summary>Accelerator-seconds spent in the compute-bound part of steps since the start (serving and training).</summary>
    public double ComputeBusyAcceleratorSeconds => _computeBusyAccelS;

    /// <summary>Accelerator-seconds spent in the memory-bound part of serving steps since the start.</summary>
    public double MemoryBusyAcceleratorSeconds => _memoryBusyAccelS;

    /// <summary>Replica-seconds of batch occupancy (running batch over the pool's largest) since the start.</summary>
    public double BatchOccupancyReplicaSeconds => _occupancyReplicaS;

    // ln b for the batch sizes of ExpectedDecodeBusyW, worked once (Math.Log's bits): a solve took one per batch size.
    private static readonly double[] s_logOfInt = LogsOfIntegers(1024);

    private static double[] LogsOfIntegers(int n)
    {
        var logs = new double[n];
        for (int b = 1; b < n; b++)
        {
            logs[b] = Math.Log(b);
        }

        return logs;
    }

    /// <summary>
    /// Expected busy power of one accelerator in a decode step, W, with the running batch
    /// Poisson-distributed about <paramref name="meanBatch"/> (the occupancy the solver assumes),
    /// at least 1 (a step has a member) and at most <paramref name="maxBatch"/> (the tail runs full).
    /// </summary>
    internal static double ExpectedDecodeBusyW(AcceleratorSpec accel, double meanBatch, double maxBatch, int tensorParallel)
    {
        var model = accel.PowerModel;
        int top = (int)Math.Max(1, Math.Floor(maxBatch));
        if (!(meanBatch > 0))
        {
            return model.BusyW(1.0 / tensorParallel, accel.TdpW);
        }

        // Poisson weights by their logarithm, so large means neither underflow nor overflow.
        double logMean = Math.Log(meanBatch), logP = -meanBatch, sum = 0, mass = 0;
        for (int b = 0; b < top; b++)
        {
            if (b > 0)
            {
                logP += logMean - (b < s_logOfInt.Length ? s_logOfInt[b] : Math.Log(b));
            }

            double p = Math.Exp(logP);
            sum += p * model.BusyW(Math.Max(b, 1) / (double)tensorParallel, accel.TdpW);
            mass += p;
        }

        return sum + (Math.Max(0, 1 - mass) * model.BusyW(top / (double)tensorParallel, accel.TdpW));
    }

    private static void SetStepPower(ref Solution s, PoolSpec spec, double prefillTokens, double meanBatch, double maxBatch, double clock)
    {
        var accel = spec.Server.Accelerator;
        int tp = spec.AcceleratorsPerReplica;
        var roof = accel.Roofline;
        s.PrefillBusyW = accel.PowerModel.BusyW(prefillTokens / tp, accel.TdpW);
        s.DecodeBusyW = ExpectedDecodeBusyW(accel, meanBatch, maxBatch, tp);
        s.PrefillComputeWall = ComputeWallShare(roof.ComputeShare(prefillTokens), clock);
        s.DecodeComputeWall = ComputeWallShare(roof.ComputeShare(meanBatch), clock);
        s.Occupancy = maxBatch > 0 ? Math.Min(1, meanBatch / maxBatch) : 0;
    }

    // At clock f a step of compute share c spends (c/f) / (c/f + 1 − c) of its wall time computing.
    private static double ComputeWallShare(double c, double clock)
    {
        double computeWall = clock > 0 ? c / clock : 0;
        double total = computeWall + (1 - c);
        return total > 0 ? computeWall / total : 0;
    }
}
