using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// SLO-driven scaling at request level: replicas park, wake and drain as the pool's arrivals ask,
// by the same sizing rule as the fluid hall.
public sealed partial class ComputeHall
{
    /// <summary>Whether the replica takes new requests (it is neither parked, waking nor draining).</summary>
    public bool ReplicaServing(int replica) => _replicas[replica].State == Serving;

    /// <summary>Replicas of pool <paramref name="pool"/> serving now (neither parked, waking nor draining).</summary>
    public int ServingReplicas(int pool)
    {
        var p = _pools[pool];
        int n = 0;
        for (int r = p.FirstReplica; r < p.FirstReplica + p.Count; r++)
        {
            n += _replicas[r].State == Serving ? 1 : 0;
        }

        return n;
    }

    /// <summary>Replicas of pool <paramref name="pool"/> parked now.</summary>
    public int ParkedReplicas(int pool)
    {
        var p = _pools[pool];
        int n = 0;
        for (int r = p.FirstReplica; r < p.FirstReplica + p.Count; r++)
        {
            n += _replicas[r].State == Parked ? 1 : 0;
        }

        return n;
    }

    // Sizes the pool's fleet for the arrivals since the last tick (the same rule as the fluid hall's).
    private void Scale(int pi)
    {
        var pool = _pools[pi];
        var scaling = pool.Spec.ScalingPolicy;
        long now = _poolSim[pi].Now.Ticks;
        _poolSim[pi].Schedule(new SimTime(now + Ticks(scaling.IntervalS)), _poolSelf[pi], ScaleTick, pi);
        long arrivals = _poolArrivals[PoolSlot(pi)];
        if (arrivals > 0)
        {
            double prompt = _poolArrivedPrompt[PoolSlot(pi)] / (double)arrivals, output = _poolArrivedOutput[PoolSlot(pi)] / (double)arrivals;
            _poolScaleCap[pi] = FluidHall.ReplicaCapacityPerS(pool.Spec, 1, prompt, output, pool.Serving.PrefillTimeS(prompt));
        }

        double lambda = arrivals / scaling.IntervalS;
        int wanted = scaling.SizesOnTtft && arrivals > 0
            ? scaling.Clamp(FluidHall.ReplicasForTtft(pool.Spec, lambda, _poolArrivedPrompt[PoolSlot(pi)] / (double)arrivals, _poolArrivedOutput[PoolSlot(pi)] / (double)arrivals, pool.Count, scaling.TargetTtftS), lambda, pool.Count)
            : scaling.Wanted(lambda, _poolScaleCap[pi], pool.Count);
        _poolArrivals[PoolSlot(pi)] = _poolArrivedPrompt[PoolSlot(pi)] = _poolArrivedOutput[PoolSlot(pi)] = 0;
        int serving = 0, waking = 0;
        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            serving += _replicas[r].State == Serving ? 1 : 0;
            waking += _replicas[r].State == Waking ? 1 : 0;
        }

        // More wanted: draining replicas take requests again at once, then parked ones wake, from the pool's start.
        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count && serving + waking < wanted; r++)
        {
            if (_replicas[r].State == Draining && _rackSpeed[_replicas[r].Rack] > 0)
            {
                _replicas[r].State = Serving;
                Touch(r);
                serving++;
            }
        }

        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count && serving + waking < wanted; r++)
        {
            if (_replicas[r].State == Parked && _rackSpeed[_replicas[r].Rack] > 0)
            {
                Wake(r);
                waking++;
            }
        }

        if (wanted >= serving)
        {
            _poolBelowSince[pi] = -1;
            return;
        }

        // Fewer wanted: waking replicas go back to sleep at once; serving ones after the delay, from the pool's end.
        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            if (_replicas[r].State == Waking && _replicas[r].QHead < 0)
            {
                SimOf(r).Cancel(_rWake[r]);
                _rWake[r] = default;
                Park(r);
            }
        }

        if (_poolBelowSince[pi] < 0)
        {
            _poolBelowSince[pi] = now;
        }

        if (now - _poolBelowSince[pi] < Ticks(scaling.ScaleDownDelayS) - 1)
        {
            return;
        }

        _poolBelowSince[pi] = -1;
        for (int r = pool.FirstReplica + pool.Count - 1; r >= pool.FirstReplica && serving > wanted; r--)
        {
            if (_replicas[r].State == Serving)
            {
                CatchUp(r, truncate: false);
                serving--;
                _replicas[r].State = Draining;
                Touch(r);
                if (_replicas[r].QHead < 0 && _replicas[r].OutstandingReq == 0)
                {
                    Park(r);
                }
            }
        }
    }

    private void Wake(int r)
    {
        var scaling = _pools[_replicas[r].Pool].Spec.ScalingPolicy;
        _replicas[r].State = Waking;
        SetReplicaPowerW(r, _replicas[r].Accels * _rackAccel[_replicas[r].Rack]!.PowerW(AcceleratorPhase.Idle, 0, _rackSpeed[_replicas[r].Rack]));
        _rWake[r] = SimOf(r).Schedule(new SimTime(SimOf(r).Now.Ticks + Ticks(scaling.WakeUpS)), SelfOf(r), WakeDone, r);
        Touch(r);
    }

    private void Woken(int r)
    {
        _rWake[r] = default;
        _replicas[r].State = Serving;
        if (_replicas[r].Phase == AcceleratorPhase.Idle && _replicas[r].QHead >= 0)
        {
            StartIteration(r);
        }

        Touch(r);
    }

    private void Park(int r)
    {
        var scaling = _pools[_replicas[r].Pool].Spec.ScalingPolicy;
        var accel = _rackAccel[_replicas[r].Rack]!;
        _replicas[r].State = Parked;
        Touch(r);
        SetReplicaPowerW(r, _replicas[r].Accels * (double.IsNaN(scaling.ParkedAcceleratorW) ? accel.PowerW(AcceleratorPhase.Idle, 0, _rackSpeed[_replicas[r].Rack]) : scaling.ParkedAcceleratorW));
    }

    // A request that finds no serving replica waits for a waking one (the soonest ready), or wakes one.
    private int WaitingReplica(ComputePool pool)
    {
        int best = -1;
        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            if (_replicas[r].State == Waking && _rackSpeed[_replicas[r].Rack] > 0 && (best < 0 || _rWake[r].Time < _rWake[best].Time))
            {
                best = r;
            }
        }

        if (best >= 0)
        {
            return best - pool.FirstReplica;
        }

        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            if (_replicas[r].State == Draining && _rackSpeed[_replicas[r].Rack] > 0)
            {
                _replicas[r].State = Serving;
                Touch(r);
                return r - pool.FirstReplica;
            }
        }

        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            if (_replicas[r].State == Parked && _rackSpeed[_replicas[r].Rack] > 0)
            {
                Wake(r);
                return r - pool.FirstReplica;
            }
        }

        return -1;
    }
}
