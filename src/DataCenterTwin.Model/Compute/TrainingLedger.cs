using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

/// <summary>What happened to a training job.</summary>
public enum TrainingNoticeKind
{
    /// <summary>A rank stopped (a rack shut down, lost its feed or its clocks): the whole job stopped, back to its last checkpoint.</summary>
    Interrupted,

    /// <summary>Every rack was back and the restart time had passed: the job computes again from its checkpoint.</summary>
    Resumed,
}

/// <summary>One stop or restart of a training job.</summary>
/// <param name="TimeS">When, s since the start of the run.</param>
/// <param name="Job">The job's name.</param>
/// <param name="Kind">Stop or restart.</param>
/// <param name="LostWorkS">Interrupted: work since the last checkpoint, thrown away, s at full clocks; 0 on a restart.</param>
/// <param name="Accelerators">Accelerators the job holds.</param>
public readonly record struct TrainingNotice(double TimeS, string Job, TrainingNoticeKind Kind, double LostWorkS, int Accelerators);

/// <summary>
/// The books of synchronous training jobs: a job runs at the pace of its slowest rank, and when any
/// rank stops, every rank stops and the work since the last checkpoint is lost (it is done again).
/// Both fidelities keep one; the twin turns its notices into events.
/// </summary>
public sealed class TrainingLedger
{
    private readonly List<TrainingNotice> _notices = [];

    /// <summary>Stops and restarts, in time order.</summary>
    public IReadOnlyList<TrainingNotice> Notices => _notices;

    /// <summary>Times a job stopped.</summary>
    public int Interruptions { get; private set; }

    /// <summary>Work lost back to checkpoints, job-seconds at full clocks.</summary>
    public double LostWorkS { get; private set; }

    /// <summary>Work lost back to checkpoints, accelerator-hours (lost job time × the job's accelerators).</summary>
    public double LostAcceleratorHours { get; private set; }

    /// <summary>
    /// Work lost when a job that has done <paramref name="doneS"/> of work (s at full clocks) stops,
    /// checkpointing every <paramref name="checkpointIntervalS"/> of work: what was done since the last
    /// checkpoint, s.
    /// </summary>
    public static double LostSinceCheckpoint(double doneS, double checkpointIntervalS)
    {
        if (!(checkpointIntervalS > 0) || doneS <= 0)
        {
            return Math.Max(0, doneS);
        }

        // The small tolerance keeps work that reached a checkpoint exactly from being lost whole.
        double checkpoints = Math.Floor((doneS / checkpointIntervalS) + 1e-9);
        return Math.Max(0, doneS - (checkpoints * checkpointIntervalS));
    }

    /// <summary>Books a stop of <paramref name="job"/> with <paramref name="doneS"/> of work done; returns the work lost, s.</summary>
    public double Interrupt(TrainingJobSpec job, int accelerators, double timeS, double doneS)
    {
        double lost = LostSinceCheckpoint(doneS, job.CheckpointIntervalS);
        Interruptions++;
        LostWorkS += lost;
        LostAcceleratorHours += lost * accelerators / 3600;
        _notices.Add(new TrainingNotice(timeS, job.Name, TrainingNoticeKind.Interrupted, lost, accelerators));
        return lost;
    }

    /// <summary>Books a restart of <paramref name="job"/>.</summary>
    public void Resume(TrainingJobSpec job, int accelerators, double timeS) =>
        _notices.Add(new TrainingNotice(timeS, job.Name, TrainingNoticeKind.Resumed, 0, accelerators));
}
