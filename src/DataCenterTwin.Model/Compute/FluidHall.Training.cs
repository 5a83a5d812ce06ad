using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Compute;

// Synchronous training at fluid level: a job moves at its slowest rank's clock; a rank at clock 0
// (shut down at the die limit, feed lost, blackout) stops every rank and throws away the work since
// the last checkpoint; once every rank is back the job spends its restart time before computing.
public sealed partial class FluidHall
{
    private bool[]? _jobStopped;
    [NotState] // fixed when the hall is built
    private int[]? _trainingRacks;
    private double[]? _jobRestartLeftS;

    /// <summary>Stops, restarts and work lost by the training jobs.</summary>
    public TrainingLedger Training { get; } = new();

    private void AdvanceTraining(SimTime t0, double dt)
    {
        var jobs = _spec.TrainingJobs ?? [];
        _jobStopped ??= new bool[jobs.Count];
        _jobRestartLeftS ??= new double[jobs.Count];
        // Jobs start first, so a rack whose job starts this step is not also booked idle for it.
        for (int j = 0; j < jobs.Count; j++)
        {
            var job = jobs[j];
            if (!_jobRunning[j] && _jobRemainingS[j] > 0 && job.Start <= t0 && RacksFree(job))
            {
                _jobRunning[j] = true;
                for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
                {
                    _rackJob[k] = j;
                }
            }
        }

        // The training racks alone (a pass over every rack was a microsecond a step on the 1,184-rack hall, which has none).
        _trainingRacks ??= TrainingRacks();
        foreach (int k in _trainingRacks)
        {
            if (_rackJob[k] < 0)
            {
                _rackEnergyJ[k] += (_rackStaticW[k] + (_rackTrainingAccels[k] * _rackTrainingAccel[k]!.IdleW)) * dt;
            }
        }

        for (int j = 0; j < jobs.Count; j++)
        {
            var job = jobs[j];
            if (!_jobRunning[j])
            {
                continue;
            }

            double speed = 1;
            int accels = 0;
            for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
            {
                speed = Math.Min(speed, _rackSpeed[k]);
                accels += _rackTrainingAccels[k];
            }

            double runS = RunSeconds(j, job, speed, accels, t0.TotalSeconds, dt);
            _jobRemainingS[j] -= runS * speed;
            for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
            {
                // A faster rank does its share of each step in less time and waits at the collective
                // for the slowest: it computes runS × speed / f of the step, at its own clock's power.
                var a = _rackTrainingAccel[k]!;
                double f = _rackSpeed[k];
                double computeS = f > 0 ? runS * speed / f : 0;
                double busyW = a.TrainingPowerW(job.Utilisation, f, computeShare: 1);
                _rackEnergyJ[k] += (_rackStaticW[k] * dt) + (_rackTrainingAccels[k] * ((busyW * computeS) + (a.IdleW * (dt - computeS))));
                _busyAccelS += _rackTrainingAccels[k] * job.Utilisation * computeS;
                BankRackBusy(k, _rackTrainingAccels[k] * job.Utilisation * computeS);
                _computeBusyAccelS += _rackTrainingAccels[k] * job.Utilisation * computeS;
            }

            if (_jobRemainingS[j] <= 1e-9)
            {
                _jobRunning[j] = false;
                for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
                {
                    _rackJob[k] = -1;
                }
            }
        }
    }

    // The racks of training blocks, in rack order; fixed when the hall is built.
    private int[] TrainingRacks()
    {
        var racks = new List<int>();
        for (int k = 0; k < RackCount; k++)
        {
            if (_rackTrainingAccel[k] is not null)
            {
                racks.Add(k);
            }
        }

        return [.. racks];
    }

    // The part of the step job j computes at the gang's clock: none while a rank is stopped, none
    // during the restart, and no more than its remaining work needs.
    private double RunSeconds(int j, Workload.TrainingJobSpec job, double speed, int accels, double t0S, double dt)
    {
        if (speed <= 0)
        {
            if (!_jobStopped![j])
            {
                _jobStopped[j] = true;
                _jobRemainingS[j] += Training.Interrupt(job, accels, t0S, job.Duration.TotalSeconds - _jobRemainingS[j]);
            }

            _jobRestartLeftS![j] = job.RestartS;
            return 0;
        }

        double availableS = dt;
        if (_jobStopped![j])
        {
            double used = Math.Min(availableS, _jobRestartLeftS![j]);
            _jobRestartLeftS[j] -= used;
            availableS -= used;
            if (_jobRestartLeftS[j] > 1e-9)
            {
                return 0;
            }

            _jobStopped[j] = false;
            Training.Resume(job, accels, t0S + dt - availableS);
        }

        return Math.Min(availableS, _jobRemainingS[j] / speed);
    }
}
