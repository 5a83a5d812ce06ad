using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// Requests that arrive while none of a pool's replicas serves (a fleet scaled to zero) wait for a
// waking one, as at request level (ComputeHall.WaitingReplica): the first such request wakes a
// replica at once, and every request arriving at t before it is ready at R waits R − t on top of
// what the backlog and its own prefill cost; released together when it is ready, they then queue
// for its batch slots in arrival order. The fluid hall holds them in the pool's backlog, so
// it also keeps how many of the backlog are such waiters and the request-seconds they waited;
// they are the oldest, so the first served take them, and their latencies are recorded with the
// wait spread uniformly about its mean, up to the most any of them waited.
public sealed partial class FluidHall
{
    // Points the wake-up wait is recorded at (equal shares of a uniform spread).
    private const int WakeWaitPoints = 8;

    private sealed class WakeWaiters
    {
        public double Count, WaitedReqS, MaxWaitS;

        // Of the pool's backlog this step, the share that waited for a wake-up; their count on the step
        // they are released (0 on the others: what is left then waits as any backlog does).
        public double BacklogShare, StepCount;

        // Whether they are still held (no replica serving yet).
        public bool Held;
    }

    private WakeWaiters[]? _wakeWaiters;

    /// <summary>Requests now held in a backlog because no replica of their pool was serving when they arrived (they wait for a wake-up).</summary>
    public double WaitingForWakeUp(int pool) => _wakeWaiters?[pool].Count ?? 0;

    // Called once per step after the backlog is spread: wakes a replica for the first arrivals that find
    // none serving, books the step's arrivals as waiting until the first wake is ready, and sets the
    // share of the backlog that waited.
    private void HoldForWakeUp(int poolIndex, SimTime t0, SimTime now, double lambda)
    {
        var pool = _pools[poolIndex];
        if (pool.Active == 0 && lambda > 0 && pool.Replicas > 0)
        {
            _wakeWaiters ??= CreateWakeWaiters(_pools.Length);
            var w = _wakeWaiters[poolIndex];
            if (pool.Waking == 0)
            {
                // The request level wakes one at the first arrival; the step's start stands for it.
                pool.Wakes.Enqueue((t0.Ticks + SimTime.FromSeconds(pool.Spec.ScalingPolicy.WakeUpS).Ticks, 1));
                pool.Waking = 1;
            }

            double t0S = t0.TotalSeconds, nowS = now.TotalSeconds, dt = nowS - t0S;
            double readyS = new SimTime(pool.Wakes.Peek().ReadyTicks).TotalSeconds;

            // Arrivals at rate λ over [t0, now], each waiting max(R − t, 0).
            double waitedS = readyS >= nowS ? dt * (readyS - ((t0S + nowS) / 2)) : 0.5 * (readyS - t0S) * (readyS - t0S);
            w.Held = true;
            w.Count += lambda * dt;
            w.WaitedReqS += lambda * waitedS;
            w.MaxWaitS = Math.Max(w.MaxWaitS, readyS - t0S);
        }

        if (_wakeWaiters is { } all)
        {
            var w = all[poolIndex];
            double backlog = 0;
            for (int k = pool.Spec.FirstRack; k < pool.Spec.FirstRack + pool.Spec.RackCount; k++)
            {
                backlog += _backlog[k];
            }

            // Waiters lost with a stopped rack's backlog leave with it.
            w.Count = Math.Min(w.Count, backlog);
            w.BacklogShare = backlog > 0 ? w.Count / backlog : 0;
            w.StepCount = w.Held && pool.Active > 0 ? w.Count : 0;
            w.Held &= pool.Active == 0;
            if (!(w.Count > 1e-9))
            {
                ResetWakeWaiters(w);
            }
        }
    }

    // Of the requests a rack served this step (its backlog first), those that waited for the wake-up:
    // records them with their wait and returns their count, to be left out of the rack's other requests.
    private double ServeWakeWaiters(int poolIndex, in Solution s, double waitS, double rackBacklog, double rackServed)
    {
        if (_wakeWaiters is not { } all || all[poolIndex].Count <= 0)
        {
            return 0;
        }

        var w = all[poolIndex];
        double served = Math.Min(Math.Min(rackBacklog * w.BacklogShare, rackServed), w.Count);
        if (!(served > 0))
        {
            return 0;
        }

        double meanS = w.WaitedReqS / w.Count;
        double lambda = 0;
        for (int c = 0; c < _classes.Length; c++)
        {
            lambda += _classRate[c] * _classShare[c][poolIndex];
        }

        if (lambda > 0)
        {
            // Uniform about the mean wait, no wider than the longest: exact while the rate holds over the wake-up.
            double hi = Math.Max(meanS, Math.Min(w.MaxWaitS, 2 * meanS));
            double lo = Math.Max(0, (2 * meanS) - hi);

            // Released together, they drain first in first out at the serving replicas' full rate: the
            // first to arrive (the longest wait) goes first, the last waits for all the others.
            var pool = _pools[poolIndex];
            double drainS = pool.Active > 0 && s.CapacityPerS > 0 ? w.StepCount / (pool.Active * s.CapacityPerS) : 0;
            for (int i = 0; i < WakeWaitPoints; i++)
            {
                double wakeS = lo + ((hi - lo) * (i + 0.5) / WakeWaitPoints);
                double queuedS = hi > lo ? drainS * (hi - wakeS) / (hi - lo) : drainS / 2;
                RecordLatencies(poolIndex, s, waitS + wakeS + queuedS, served / WakeWaitPoints / lambda);
            }
        }

        w.Count -= served;
        w.WaitedReqS = Math.Max(0, w.WaitedReqS - (served * meanS));
        if (!(w.Count > 1e-9))
        {
            ResetWakeWaiters(w);
        }

        return served;
    }

    // Mean extra wait of the requests arriving in the step the waiters are released (they queue behind
    // them): one arriving t after the release waits (B + λt)/(nC) − t until the queue of B clears at
    // t = B/(nC − λ), so the step's arrivals wait ∫ of it over the step, divided by the step.
    private double BehindWakeWaitersS(int poolIndex, in Solution s, double lambdaReplica, double dt)
    {
        if (_wakeWaiters is not { } all || !(all[poolIndex].StepCount > 0) || !(dt > 0))
        {
            return 0;
        }

        var pool = _pools[poolIndex];
        double rateS = pool.Active * s.CapacityPerS, lambda = pool.Active * lambdaReplica, queued = all[poolIndex].StepCount;
        if (!(rateS > 0))
        {
            return 0;
        }

        double clearS = rateS > lambda ? Math.Min(dt, queued / (rateS - lambda)) : dt;
        return ((queued * clearS / rateS) + (((lambda / rateS) - 1) * clearS * clearS / 2)) / dt;
    }

    private static void ResetWakeWaiters(WakeWaiters w)
    {
        w.Count = 0;
        w.WaitedReqS = 0;
        w.MaxWaitS = 0;
        w.Held = false;
    }

    private static WakeWaiters[] CreateWakeWaiters(int pools)
    {
        var a = new WakeWaiters[pools];
        for (int i = 0; i < pools; i++)
        {
            a[i] = new WakeWaiters();
        }

        return a;
    }
}
