using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// Busy time rack by rack: the replicas' busy clocks summed onto their racks, and each training
// rank's compute time banked per rack at the segment ends where the job's own total is banked
// (a faster rank waits at the collective for part of a segment, so its share is kept per rack).
public sealed partial class ComputeHall
{
    private double[]? _rankBusyAccels;      // per rack: accelerators computing for its job in the current segment
    private double[]? _rankBusyAccelTicks;  // per rack: training accelerator-ticks banked at segment ends

    /// <inheritdoc/>
    public int RackAccelerators(int rack) => _rackAccels[rack];

    /// <summary>Writes each rack's busy accelerator-seconds since the start into <paramref name="busyS"/> (one per rack).</summary>
    /// <exception cref="ArgumentException"><paramref name="busyS"/> is not one per rack.</exception>
    public void RackBusyAcceleratorSeconds(Span<double> busyS)
    {
        RackBusyAcceleratorTicks(busyS);
        for (int k = 0; k < busyS.Length; k++)
        {
            busyS[k] /= SimTime.TicksPerSecond;
        }
    }

    /// <inheritdoc/>
    public void RackUtilisation(Span<double> utilisation)
    {
        RackBusyAcceleratorTicks(utilisation);
        long now = _sim.Now.Ticks;
        for (int k = 0; k < utilisation.Length; k++)
        {
            // As MeanUtilisation: busy accelerator-time over the accelerators' time since the start.
            utilisation[k] = now > 0 && _rackAccels[k] > 0 ? utilisation[k] / ((double)_rackAccels[k] * now) : 0;
        }
    }

    private void RackBusyAcceleratorTicks(Span<double> busy)
    {
        if (busy.Length != RackCount)
        {
            throw new ArgumentException($"Expected one value per rack ({RackCount}), got {busy.Length}.", nameof(busy));
        }

        busy.Clear();
        long now = _sim.Now.Ticks;
        for (int r = 0; r < _replicas.Length; r++)
        {
            long ticks = _replicas[r].BusyTicks + (_replicas[r].Phase != AcceleratorPhase.Idle ? now - _replicas[r].BusySince : 0);
            busy[_replicas[r].Rack] += (double)ticks * _replicas[r].Accels;
        }

        if (_rankBusyAccelTicks is { } banked)
        {
            for (int k = 0; k < banked.Length; k++)
            {
                busy[k] += banked[k];
            }
        }

        for (int j = 0; j < _jobs.Length; j++)
        {
            if (_jobRunning[j] && _rankBusyAccels is { } rank)
            {
                var job = _jobs[j];
                for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
                {
                    busy[k] += (now - _jobSegStart[j]) * rank[k] * job.Utilisation;
                }
            }
        }
    }

    // Rank k of a job computes on this many accelerators from now to the segment's end.
    private void SetRankBusy(int k, double accelerators) => (_rankBusyAccels ??= new double[RackCount])[k] = accelerators;

    // Banks each rank's compute time of job j's segment that ends now (called where the job's own total is banked).
    private void BankRankBusy(int j, long now)
    {
        var job = _jobs[j];
        var rank = _rankBusyAccels ??= new double[RackCount];
        var banked = _rankBusyAccelTicks ??= new double[RackCount];
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            banked[k] += (now - _jobSegStart[j]) * rank[k] * job.Utilisation;
        }
    }
}
