using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// Synchronous training at request level: a job moves at its slowest rank's clock; a rank at clock 0
// (shut down at the die limit, feed lost, blackout) stops every rank and throws away the work since
// the last checkpoint; once every rank is back the job spends its restart time before computing.
public sealed partial class ComputeHall
{
    private const int TrainingResume = 16;
    private bool[]? _jobStopped;
    private long[]? _jobResumeAt;          // when a stopped job computes again; NotYet while a rank is down
    private double[]? _jobBusyAccels;       // accelerators computing (not waiting at the collective) in the current segment

    /// <summary>Stops, restarts and work lost by the training jobs.</summary>
    public TrainingLedger Training { get; } = new();

    // The clock the gang runs at, given its slowest rank's: 0 while stopped or restarting.
    private double GateJobSpeed(int j, double slowest, long now)
    {
        _jobStopped ??= new bool[_jobs.Length];
        _jobResumeAt ??= new long[_jobs.Length];
        _jobBusyAccels ??= new double[_jobs.Length];
        var job = _jobs[j];
        double speed = slowest;
        if (slowest <= 0)
        {
            if (!_jobStopped[j])
            {
                _jobStopped[j] = true;
                _jobRemainingS[j] += Training.Interrupt(job, (int)JobAccels(j), now / 1e6, job.Duration.TotalSeconds - _jobRemainingS[j]);
            }

            _jobResumeAt[j] = NotYet;
        }
        else if (_jobStopped[j])
        {
            if (_jobResumeAt[j] == NotYet)
            {
                _jobResumeAt[j] = now + Ticks(job.RestartS);
                _sim.Schedule(new SimTime(_jobResumeAt[j]), _self, TrainingResume, j);
            }

            speed = now >= _jobResumeAt[j] ? slowest : 0;
            if (speed > 0)
            {
                _jobStopped[j] = false;
                Training.Resume(job, (int)JobAccels(j), now / 1e6);
            }
        }

        // A faster rank computes speed / f of the time and waits at the collective for the rest.
        double busy = 0;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            double rank = _rackSpeed[k] > 0 ? _rackAccels[k] * Math.Min(1, speed / _rackSpeed[k]) : 0;
            SetRankBusy(k, rank);
            busy += rank;
        }

        _jobBusyAccels[j] = busy;
        return speed;
    }

    private void ResumeJob(int j)
    {
        // A rank that went down again during the restart moved the resume time (or cleared it).
        if (_jobRunning[j] && _jobStopped is { } stopped && stopped[j] && _jobResumeAt![j] == _sim.Now.Ticks)
        {
            UpdateJobSpeed(j, _sim.Now.Ticks);
        }
    }

    // The job's racks were just accrued: their power follows the gang's clock from now.
    private void RefreshJobRacks(int j)
    {
        for (int k = _jobs[j].FirstRack; k < _jobs[j].FirstRack + _jobs[j].RackCount; k++)
        {
            _rackMeters[k].PowerW = RackPowerNow(k);
        }
    }

    private double JobBusyAccels(int j) => _jobBusyAccels is { } b ? b[j] : JobAccels(j);

    // Share of the time rack k's accelerators compute for job j (1 for the slowest rank).
    private double RankComputeShare(int j, int k) => _rackSpeed[k] > 0 ? Math.Min(1, _jobSpeed[j] / _rackSpeed[k]) : 0;

    private void StartJob(int j)
    {
        var job = _jobs[j];
        long now = _sim.Now.Ticks;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            if (_rackJob[k] >= 0)
            {
                // Gang scheduling: the racks are held by another job; try again when it ends (or in an
                // hour, if that job is stalled at zero clocks and has no end scheduled).
                var holder = _jobEnd[_rackJob[k]];
                _sim.Schedule(holder.IsNone ? new SimTime(now + SimTime.TicksPerHour) : SimTime.Max(holder.Time, new SimTime(now + 1)), _self, TrainingStart, j);
                return;
            }
        }

        _jobRunning[j] = true;
        _jobRemainingS[j] = job.Duration.TotalSeconds;
        _jobSegStart[j] = now;
        _jobSpeed[j] = 1;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            AccrueRack(k, now);
            _rackJob[k] = j;
            _rackMeters[k].PowerW = RackPowerNow(k);
            _jobSpeed[j] = Math.Min(_jobSpeed[j], _rackSpeed[k]);
        }

        _jobSpeed[j] = GateJobSpeed(j, _jobSpeed[j], now);
        RefreshJobRacks(j);
        _jobEnd[j] = _jobSpeed[j] > 0 ? _sim.Schedule(new SimTime(now + Ticks(_jobRemainingS[j] / _jobSpeed[j])), _self, TrainingEnd, j) : default;
    }

    private void UpdateJobSpeed(int j, long now)
    {
        var job = _jobs[j];
        double speed = 1;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            speed = Math.Min(speed, _rackSpeed[k]);
        }

        BankRankBusy(j, now);
        _jobBusyAccelTicks[j] += (long)((now - _jobSegStart[j]) * JobBusyAccels(j) * job.Utilisation);
        _jobRemainingS[j] = Math.Max(0, _jobRemainingS[j] - (now - _jobSegStart[j]) / 1e6 * _jobSpeed[j]);
        _jobSegStart[j] = now;
        _jobSpeed[j] = GateJobSpeed(j, speed, now);
        if (!_jobEnd[j].IsNone)
        {
            _sim.Cancel(_jobEnd[j]);
        }

        _jobEnd[j] = _jobSpeed[j] > 0 ? _sim.Schedule(new SimTime(now + Ticks(_jobRemainingS[j] / _jobSpeed[j])), _self, TrainingEnd, j) : default;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            AccrueRack(k, now);
            _rackMeters[k].PowerW = RackPowerNow(k);
        }
    }

    private void EndJob(int j)
    {
        var job = _jobs[j];
        long now = _sim.Now.Ticks;
        BankRankBusy(j, now);
        _jobBusyAccelTicks[j] += (long)((now - _jobSegStart[j]) * JobBusyAccels(j) * job.Utilisation);
        _jobRunning[j] = false;
        _jobEnd[j] = default;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            AccrueRack(k, now);
            _rackJob[k] = -1;
            _rackMeters[k].PowerW = RackPowerNow(k);
        }
    }

    private long JobAccels(int j)
    {
        long n = 0;
        for (int k = _jobs[j].FirstRack; k < _jobs[j].FirstRack + _jobs[j].RackCount; k++)
        {
            n += _rackAccels[k];
        }

        return n;
    }
}
