using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// The hall's compute: racks (indices 0..RackCount − 1), the inference pools placed on them, the
/// request classes, and training jobs with the server type of the racks they hold.
/// </summary>
/// <param name="RackCount">Racks in the hall; racks in neither a pool nor a training block draw nothing.</param>
/// <param name="Pools">Inference pools (disjoint rack blocks).</param>
/// <param name="Classes">Request classes; a class goes to the first pool serving its model.</param>
/// <param name="TrainingRacks">Training rack blocks: the server type and servers per rack of the racks training jobs use.</param>
/// <param name="TrainingJobs">Training jobs on those blocks.</param>
public sealed record ComputeHallSpec(
    int RackCount,
    IReadOnlyList<PoolSpec> Pools,
    IReadOnlyList<RequestClass> Classes,
    IReadOnlyList<TrainingRackSpec>? TrainingRacks = null,
    IReadOnlyList<TrainingJobSpec>? TrainingJobs = null);

/// <summary>A block of racks reserved for training: their server type and count.</summary>
/// <param name="Server">Server type.</param>
/// <param name="ServersPerRack">Servers per rack.</param>
/// <param name="FirstRack">First rack.</param>
/// <param name="RackCount">Racks in the block.</param>
public sealed record TrainingRackSpec(ServerSpec Server, int ServersPerRack, int FirstRack, int RackCount)
{
    /// <summary>A rack's power that the job's phases do not change, W: its hosts.</summary>
    public double RackStaticW => ServersPerRack * Server.HostPowerW;
}
