using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Workload;

/// <summary>
/// A training job, gang-scheduled on whole racks: from <paramref name="Start"/> it holds its racks
/// and runs every accelerator at <paramref name="Utilisation"/> until it has done
/// <paramref name="Duration"/> of full-speed work (a throttled rack stretches the whole gang).
/// </summary>
/// <param name="Name">The job's name.</param>
/// <param name="FirstRack">First rack of the contiguous block it occupies.</param>
/// <param name="RackCount">Racks it occupies.</param>
/// <param name="Start">When it starts.</param>
/// <param name="Duration">Its length at full clocks (hours to weeks).</param>
/// <param name="Utilisation">Sustained accelerator utilisation while it runs, 0..1 (power = idle + u × (TDP − idle)).</param>
/// <param name="CheckpointIntervalS">Work between checkpoints, s: a stop loses the work since the last one (default <see cref="DefaultCheckpointIntervalS"/>).</param>
/// <param name="RestartS">From every rack back up to the job computing again (reload the checkpoint, rebuild the communicators), s (default <see cref="DefaultRestartS"/>).</param>
public sealed record TrainingJobSpec(string Name, int FirstRack, int RackCount, SimTime Start, SimTime Duration, double Utilisation = 0.9,
    double CheckpointIntervalS = TrainingJobSpec.DefaultCheckpointIntervalS, double RestartS = TrainingJobSpec.DefaultRestartS)
{
    /// <summary>Default checkpoint interval, s: 30 min (assets/hardware/die-limits.md, "Training jobs").</summary>
    public const double DefaultCheckpointIntervalS = 1800;

    /// <summary>Default restart time, s: 10 min (assets/hardware/die-limits.md, "Training jobs").</summary>
    public const double DefaultRestartS = 600;
}
