namespace DataCenterTwin.Model.Compute;

// Replicas that lose their accelerators at fluid level: a rack at clock 0 (shut down at the die
// limit, feed lost, blackout) serves nothing; the pool's arrivals go to the replicas still up, and
// what the stopped racks held (their backlog and, on the step they stop, the requests in their
// batches) is retried on those replicas, or lost when none is up.
public sealed partial class FluidHall
{
    private double[]? _rackInFlight;   // requests in a rack's batches at the end of its last serving step
    private bool[]? _rackWasUp;

    /// <summary>Requests moved from a stopped replica to one still serving (in its batch or waiting for it).</summary>
    public double RequestsRetried { get; private set; }

    /// <summary>Requests lost because no replica of their pool was up (held by a stopped replica, or arriving while all were stopped).</summary>
    public double RequestsLost { get; private set; }

    // Serving replicas on rack k: with scaling they fill the racks in order, else every replica serves.
    private int ServingOn(PoolState pool, int k, bool scaled) =>
        scaled ? Math.Clamp(pool.Active - ((k - pool.Spec.FirstRack) * pool.Spec.ReplicasPerRack), 0, _rackReplicas[k]) : _rackReplicas[k];

    private int ReplicasUp(PoolState pool, bool scaled)
    {
        int up = 0;
        for (int k = pool.Spec.FirstRack; k < pool.Spec.FirstRack + pool.Spec.RackCount; k++)
        {
            if (_rackSpeed[k] > 0)
            {
                up += ServingOn(pool, k, scaled);
            }
        }

        return up;
    }

    private void RetryFromStoppedRacks(int poolIndex, int up, double lambda, double dt, bool scaled)
    {
        _rackInFlight ??= new double[RackCount];
        _rackWasUp ??= CreateUp(RackCount);
        var pool = _pools[poolIndex];
        var spec = pool.Spec;
        double moved = 0, inFlight = 0;
        for (int k = spec.FirstRack; k < spec.FirstRack + spec.RackCount; k++)
        {
            bool isUp = _rackSpeed[k] > 0;
            if (!isUp && ServingOn(pool, k, scaled) > 0)
            {
                moved += _backlog[k];
                _backlog[k] = 0;
                if (_rackWasUp[k])
                {
                    // Booked as served when they entered the batch: they are served again (or lost) instead.
                    inFlight += _rackInFlight[k];
                }
            }

            if (!isUp)
            {
                _rackInFlight[k] = 0;
            }

            _rackWasUp[k] = isUp;
        }

        if (inFlight > 0)
        {
            Unbook(poolIndex, lambda, inFlight, reject: up == 0);
        }

        moved += inFlight;
        if (up > 0)
        {
            if (moved > 0)
            {
                for (int k = spec.FirstRack; k < spec.FirstRack + spec.RackCount; k++)
                {
                    if (_rackSpeed[k] > 0)
                    {
                        _backlog[k] += moved * ServingOn(pool, k, scaled) / up;
                    }
                }

                RequestsRetried += moved;
            }

            return;
        }

        // No replica up: what stopped racks held, and what arrives while none serves, is lost.
        double arriving = pool.Active > 0 ? lambda * dt : 0;
        double backlogLost = moved - inFlight;
        if (backlogLost + arriving > 0)
        {
            Unbook(poolIndex, lambda, backlogLost + arriving, reject: true, completed: false);
        }

        RequestsLost += moved + arriving;
    }

    // Spreads a count of the pool's requests over its classes by their arrival rates: takes them off
    // the completed (and their share of SLO met) where they had been booked as served, and books
    // them rejected when they are lost.
    private void Unbook(int poolIndex, double lambda, double count, bool reject, bool completed = true)
    {
        if (lambda <= 0)
        {
            return;
        }

        for (int c = 0; c < _classes.Length; c++)
        {
            double share = _classRate[c] * _classShare[c][poolIndex] / lambda;
            if (share <= 0)
            {
                continue;
            }

            var m = Metrics[c];
            double n = count * share;
            if (completed && m.Completed > 0)
            {
                n = Math.Min(n, m.Completed);
                m.SloMet -= n * m.SloMet / m.Completed;
                m.Completed -= n;
            }

            if (reject)
            {
                m.Rejected += n;
            }
        }
    }

    private static bool[] CreateUp(int n)
    {
        var a = new bool[n];
        Array.Fill(a, true);
        return a;
    }
}
