namespace DataCenterTwin.Model.Compute;

/// <summary>
/// What the hall's accelerators have been busy with since the start, cumulative, so that any span's
/// fractions follow from two readings. Serving steps split their wall time between compute (clock
/// bound) and memory traffic by the <see cref="Roofline"/>; training counts as compute.
/// </summary>
/// <param name="ComputeAcceleratorS">Accelerator-seconds in the compute-bound part of steps.</param>
/// <param name="MemoryAcceleratorS">Accelerator-seconds in the memory-bound part of serving steps.</param>
/// <param name="OccupancyReplicaS">Replica-seconds of batch occupancy: the running batch over the pool's largest, integrated over time (idle counts 0).</param>
/// <param name="Accelerators">Accelerators in the hall (serving and training).</param>
/// <param name="Replicas">Serving replicas in the hall.</param>
public readonly record struct ItBusy(double ComputeAcceleratorS, double MemoryAcceleratorS, double OccupancyReplicaS, double Accelerators, double Replicas)
{
    /// <summary>Share of accelerator time spent computing between <paramref name="since"/> and this reading, <paramref name="seconds"/> apart, 0–1.</summary>
    public double ComputeBusy(in ItBusy since, double seconds) => Share(ComputeAcceleratorS - since.ComputeAcceleratorS, Accelerators * seconds);

    /// <summary>Share of accelerator time spent streaming memory over the span, 0–1.</summary>
    public double MemoryBusy(in ItBusy since, double seconds) => Share(MemoryAcceleratorS - since.MemoryAcceleratorS, Accelerators * seconds);

    /// <summary>Mean running batch over the largest, across serving replicas and the span, 0–1.</summary>
    public double BatchOccupancy(in ItBusy since, double seconds) => Share(OccupancyReplicaS - since.OccupancyReplicaS, Replicas * seconds);

    private static double Share(double part, double whole) => whole > 0 ? Math.Clamp(part / whole, 0, 1) : 0;
}
