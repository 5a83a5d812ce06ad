using DataCenterTwin.Model.Compute.Dispatch;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// A pool: a contiguous block of racks of one server type serving one model, cut into replicas of
/// <see cref="AcceleratorsPerReplica"/> accelerators (tensor parallel, within one rack).
/// </summary>
/// <param name="Name">The pool's name.</param>
/// <param name="Server">The server type of every rack in the pool.</param>
/// <param name="ServersPerRack">Servers per rack.</param>
/// <param name="FirstRack">First rack of the pool.</param>
/// <param name="RackCount">Racks in the pool.</param>
/// <param name="ModelName">The model its replicas serve; request classes name it.</param>
/// <param name="Serving">Iteration times of that model on this accelerator at this parallelism.</param>
/// <param name="AcceleratorsPerReplica">Tensor-parallel degree: accelerators per replica.</param>
/// <param name="Batching">Continuous batching limits.</param>
/// <param name="Admission">Admission control.</param>
/// <param name="Dispatch">The pool's dispatch policy (each hall makes its own instance: <see cref="CreateDispatch"/>).</param>
/// <param name="Scaling">How the pool sizes its fleet (null: always on).</param>
public sealed record PoolSpec(
    string Name,
    ServerSpec Server,
    int ServersPerRack,
    int FirstRack,
    int RackCount,
    string ModelName,
    ServingModel Serving,
    int AcceleratorsPerReplica,
    BatchingSpec Batching,
    AdmissionSpec Admission,
    DispatchKind Dispatch,
    ScalingSpec? Scaling = null)
{
    /// <summary>A new instance of the pool's dispatch policy (one per hall: policies keep state).</summary>
    public IDispatchPolicy CreateDispatch() => DispatchPolicies.Create(Dispatch);

    /// <summary>
    /// Dispatch groups at request level (1: one dispatcher over the whole pool): contiguous slices of
    /// whole racks, each with its own dispatcher and lane (<see cref="DispatchGroups"/>).
    /// </summary>
    public int Groups { get; init; } = 1;

    /// <summary>
    /// The pool this one is a dispatch group of (a slice of its racks with a dispatcher of its own), or
    /// null. A class routed over the groups of one pool gets a request source per group.
    /// </summary>
    public string? GroupOf { get; init; }

    /// <summary>The scaling policy in force (always on when none was given).</summary>
    public ScalingSpec ScalingPolicy => Scaling ?? ScalingSpec.AlwaysOn;

    /// <summary>Replicas in the pool.</summary>
    public int Replicas => ReplicasPerRack * RackCount;

    /// <summary>Accelerators in one rack.</summary>
    public int AcceleratorsPerRack => ServersPerRack * Server.AcceleratorsPerServer;

    /// <summary>A rack's power that no replica's phase changes, W: its hosts, and the accelerators left over from whole replicas at idle.</summary>
    public double RackStaticW => ServersPerRack * Server.HostPowerW + (AcceleratorsPerRack - ReplicasPerRack * AcceleratorsPerReplica) * Server.Accelerator.IdleW;

    /// <summary>Replicas in one rack (accelerators left over stay idle).</summary>
    public int ReplicasPerRack => AcceleratorsPerRack / AcceleratorsPerReplica;
}
