using System.Runtime.InteropServices;
using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// Power and energy: each replica's phase sets its accelerators' power, racks sum their replicas
// and hosts, and energy is integrated exactly between events; clock changes land here too.
public sealed partial class ComputeHall
{
    /// <inheritdoc/>
    public void AdvanceTo(SimTime now)
    {
        for (int r = 0; r < _replicas.Length; r++)
        {
            AccrueReplica(r, now.Ticks);
        }

        for (int k = 0; k < RackCount; k++)
        {
            AccrueRack(k, now.Ticks);
        }
    }

    /// <inheritdoc/>
    public void SetRackTemperatureC(int rack, double temperatureC)
    {
        double wasC = _rackTempC[rack];
        _rackTempC[rack] = temperatureC;
        TemperatureCrossed(rack, wasC, temperatureC);
    }

    /// <inheritdoc/>
    public void SetRackSpeedFactor(int rack, double speedFactor)
    {
        if (!(speedFactor is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(speedFactor), speedFactor, "Expected a clock factor in 0..1.");
        }

        double old = _rackSpeed[rack];
        if (old == speedFactor)
        {
            return;
        }

        long now = _sim.Now.Ticks;
        for (int j = 0; j < _rackReplicaCount[rack]; j++)
        {
            // Boundaries first: an iteration ending this tick ends at the old clocks.
            CatchUp(_rackFirstReplica[rack] + j, truncate: false);
        }

        AccrueRack(rack, now);
        _rackSpeed[rack] = speedFactor;
        for (int j = 0; j < _rackReplicaCount[rack]; j++)
        {
            int r = _rackFirstReplica[rack] + j;
            SettleSpanForClockChange(r, now);
            AccrueReplica(r, now);
            if (_replicas[r].Phase == AcceleratorPhase.Idle)
            {
                if (speedFactor > 0 && _replicas[r].QHead >= 0)
                {
                    StartIteration(r);
                }

                continue;
            }

            // The work done so far at the old clocks leaves the rest to run at the new ones.
            _replicas[r].RemainingS = Math.Max(0, _replicas[r].RemainingS - (now - _replicas[r].SegStart) / 1e6 * StepSpeed(r, old));
            SetStepClock(r, speedFactor);
            _replicas[r].SegStart = now;
            if (speedFactor < 1)
            {
                _replicas[r].ThrottledIter = true;
            }

            if (speedFactor == 0)
            {
                SimOf(r).Cancel(_replicas[r].End);
                _replicas[r].End = default;
            }
            else
            {
                var end = new SimTime(now + Ticks(_replicas[r].RemainingS / StepSpeed(r, speedFactor)));
                if (!SimOf(r).Reschedule(ref _replicas[r].End, end))
                {
                    _replicas[r].End = SimOf(r).Schedule(end, SelfOf(r), IterationEnd, EndArg(r));
                }
            }

            Bounds(r)[0] = _replicas[r].End.IsNone ? long.MaxValue : _replicas[r].End.Time.Ticks;
            _replicas[r].PowerW = _replicas[r].Accels * _rackAccel[rack]!.PowerW(_replicas[r].Phase, _replicas[r].TokensPerAccel, speedFactor);
        }

        if (_rackJob[rack] >= 0)
        {
            UpdateJobSpeed(_rackJob[rack], now);
        }

        _rackMeters[rack].PowerW = RackPowerNow(rack);
        for (int j = 0; j < _rackReplicaCount[rack]; j++)
        {
            Touch(_rackFirstReplica[rack] + j);
        }

        if (speedFactor == 0)
        {
            RetryFromStoppedRack(rack);
        }
    }

    private void SetReplicaPowerW(int r, double powerW)
    {
        long now = SimOf(r).Now.Ticks;
        int rack = _replicas[r].Rack;
        AccrueRack(rack, now);
        AccrueReplica(r, now);
        _rackMeters[rack].PowerW += powerW - _replicas[r].PowerW;
        _replicas[r].PowerW = powerW;
    }

    private void SetPhase(int r, AcceleratorPhase phase, double tokensPerAccel = 0)
    {
        ref var s = ref _replicas[r];
        if (s.Phase == phase && s.TokensPerAccel == tokensPerAccel)
        {
            return;
        }

        long now = SimOf(r).Now.Ticks;
        int rack = s.Rack;
        AccrueRack(rack, now);
        AccrueReplica(r, now);
        if (s.Phase == AcceleratorPhase.Idle)
        {
            s.BusySince = now;
        }
        else if (phase == AcceleratorPhase.Idle)
        {
            s.BusyTicks += now - s.BusySince;
        }

        s.Phase = phase;
        s.TokensPerAccel = tokensPerAccel;
        double old = s.PowerW;
        s.PowerW = s.Accels * _rackAccel[rack]!.PowerW(phase, tokensPerAccel, _rackSpeed[rack]);
        _rackMeters[rack].PowerW += s.PowerW - old;
    }

    private void AccrueReplica(int r, long now)
    {
        ref var s = ref _replicas[r];
        long dt = now - s.Last;
        if (dt > 0)
        {
            s.EnergyJ += s.PowerW * (dt / 1e6);
            AccrueStep(r, dt / 1e6);
            s.Last = now;
        }
    }

    private void AccrueRack(int k, long now)
    {
        long dt = now - _rackMeters[k].Last;
        if (dt > 0)
        {
            _rackMeters[k].EnergyJ += _rackMeters[k].PowerW * (dt / 1e6);
            _rackMeters[k].Last = now;
        }
    }

    private double RackPowerNow(int k)
    {
        double p = _rackStaticW[k];
        for (int j = 0; j < _rackReplicaCount[k]; j++)
        {
            p += _replicas[_rackFirstReplica[k] + j].PowerW;
        }

        if (_rackAccel[k] is { } a && _rackReplicaCount[k] == 0)
        {
            int job = _rackJob[k];
            double perAccel = job >= 0
                ? a.TrainingPowerW(_jobs[job].Utilisation, _rackSpeed[k], RankComputeShare(job, k))
                : a.IdleW;
            p += _rackAccels[k] * perAccel;
        }

        return p;
    }

    // A rack's power and energy, written at each phase change of its replicas by the lane that runs
    // its pool. 128 bytes apart, so no two racks' meters share a cache line: racks of two dispatch
    // groups side by side are written by lanes on different threads (ComputeHall.Lanes.cs), and
    // metro's chat pool in eight groups of six racks ran on two threads no faster than on one while
    // these were three arrays of eight racks a line.
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    private struct RackMeter
    {
        public double PowerW;
        public double EnergyJ;
        public long Last;              // the tick its energy is accrued to
    }
}
