using DataCenterTwin.Model.Compute.Dispatch;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// A pool of the built hall, read-only: what it serves on what, its replicas, and what its dispatch
/// policy sees of them. Replica indices here are within the pool; the hall's are
/// <see cref="FirstReplica"/> + index.
/// </summary>
public sealed class ComputePool : IReplicaSet
{
    private readonly ComputeHall _hall;

    internal ComputePool(ComputeHall hall, PoolSpec spec, int firstReplica, int replicaCount)
    {
        _hall = hall;
        Spec = spec;
        FirstReplica = firstReplica;
        Count = replicaCount;
    }

    /// <summary>The pool's specification.</summary>
    public PoolSpec Spec { get; }

    /// <summary>The pool's name.</summary>
    public string Name => Spec.Name;

    /// <summary>The model its replicas serve.</summary>
    public string ModelName => Spec.ModelName;

    /// <summary>Iteration times of the model on this pool's replicas.</summary>
    public ServingModel Serving => Spec.Serving;

    /// <summary>The accelerator: its idle, prefill, decode and TDP power (W) and memory.</summary>
    public AcceleratorSpec Accelerator => Spec.Server.Accelerator;

    /// <summary>Accelerators per replica (tensor-parallel degree).</summary>
    public int AcceleratorsPerReplica => Spec.AcceleratorsPerReplica;

    /// <summary>The pool's first replica in the hall's replica numbering.</summary>
    public int FirstReplica { get; }

    /// <summary>Replicas in the pool.</summary>
    public int Count { get; }

    /// <summary>Replicas in the pool (same as <see cref="Count"/>).</summary>
    public int ReplicaCount => Count;

    /// <inheritdoc/>
    public int MaxBatch => Spec.Batching.MaxBatch;

    /// <inheritdoc/>
    public bool IsAvailable(int replica) => _hall.ReplicaSpeed(FirstReplica + replica) > 0 && _hall.ReplicaServing(FirstReplica + replica);

    /// <inheritdoc/>
    public int OutstandingRequests(int replica) => _hall.ReplicaOutstandingRequests(FirstReplica + replica);

    /// <inheritdoc/>
    public long OutstandingTokens(int replica) => _hall.ReplicaOutstandingTokens(FirstReplica + replica);

    /// <inheritdoc/>
    public double RackTemperatureC(int replica) => _hall.RackTemperatureC(_hall.ReplicaRack(FirstReplica + replica));

    /// <inheritdoc/>
    public int Rack(int replica) => _hall.ReplicaRack(FirstReplica + replica);
}
