using System.Globalization;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Twin;

// Failures that hurt: racks whose accelerators shut down at the die limit and come back, training
// jobs that stop with a rank and restart from their checkpoint, requests lost with a replica. Each
// becomes an event in the log, and each counts against the site event during which it happened.
public sealed partial class HallTwin
{
    private bool[]? _rackWasDown;

    // Shutdowns plus restarts of the die protection when the racks were last compared with
    // _rackWasDown: a rack goes down or comes back only with one of them, so while the sum holds
    // there is nothing to compare. -1 until the first comparison (and in a restored twin, whose
    // protection may hold any count): a cache of the protection's state, not state.
    [NotState]
    private long _protectionChangesSeen = -1;
    private int[]? _noticesSeen;
    private TrainingLedger[]? _ledgers;

    /// <summary>The IT model's training books (one per fidelity model the run holds).</summary>
    public IReadOnlyList<TrainingLedger> TrainingLedgers => _ledgers ??= _p.It switch
    {
        FluidHall f => [f.Training],
        ComputeHall c => [c.Training],
        WindowedItLoad w => [w.Fluid.Training, w.Request.Training],
        _ => [],
    };

    /// <summary>Times a training job stopped (a rank shut down or lost its feed), over both fidelities.</summary>
    public int TrainingInterruptions => TrainingLedgers.Sum(l => l.Interruptions);

    /// <summary>Training work thrown away back to checkpoints, job-seconds at full clocks.</summary>
    public double TrainingLostWorkS => TrainingLedgers.Sum(l => l.LostWorkS);

    /// <summary>Training work thrown away back to checkpoints, accelerator-hours.</summary>
    public double TrainingLostAcceleratorHours => TrainingLedgers.Sum(l => l.LostAcceleratorHours);

    /// <summary>Requests lost with a stopped replica: no replica of their pool up to retry them on (both fidelities).</summary>
    public double RequestsLostToFailures => Lost(_p.It);

    /// <summary>Requests moved from a stopped replica to one still serving (both fidelities).</summary>
    public double RequestsRetried => Retried(_p.It);

    private static double Lost(IItLoad it) => it switch
    {
        FluidHall f => f.RequestsLost,
        ComputeHall c => c.RequestsLost,
        WindowedItLoad w => w.Fluid.RequestsLost + w.Request.RequestsLost,
        StagedItLoad s => Lost(s.Inner),
        _ => 0,
    };

    private static double Retried(IItLoad it) => it switch
    {
        FluidHall f => f.RequestsRetried,
        ComputeHall c => c.RequestsRetried,
        WindowedItLoad w => w.Fluid.RequestsRetried + w.Request.RequestsRetried,
        StagedItLoad s => Retried(s.Inner),
        _ => 0,
    };

    private void TrackFailures(in FacilitySample s)
    {
        var cooling = _p.Cooling;
        var protection = cooling.Protection;
        _rackWasDown ??= new bool[_racks];
        var die = cooling.RackAcceleratorTempC;
        var coolant = cooling.RackCoolantOutletTempC;
        var inv = CultureInfo.InvariantCulture;
        double endS = s.StartS + s.DurationS;
        long changes = (long)protection.Shutdowns + protection.Restarts;
        for (int r = changes == _protectionChangesSeen ? _racks : 0; r < _racks; r++)
        {
            bool down = protection.IsDown(r);
            if (down != _rackWasDown[r])
            {
                _rackWasDown[r] = down;
                string rack = Names.Racks[r];
                Log(down
                    ? new TwinEvent(endS, TwinEventKind.AcceleratorShutdown, rack, string.Format(inv,
                        "accelerators shut down: die {0:F1} °C reached the {1:F0} °C shutdown limit (coolant leaving the cold plates {2:F1} °C)",
                        die[r], cooling.Spec.Accelerators.ShutdownC, coolant[r]), _rackPowerW[r])
                    : new TwinEvent(endS, TwinEventKind.AcceleratorRestart, rack, string.Format(inv,
                        "accelerators back: die {0:F1} °C, {1:F0} s after it fell below the {2:F0} °C limit",
                        die[r], cooling.Spec.Accelerators.RestartS, cooling.Spec.Accelerators.LimitC), double.NaN));
            }
        }

        _protectionChangesSeen = changes;

        var ledgers = TrainingLedgers;
        _noticesSeen ??= new int[ledgers.Count];
        for (int i = 0; i < ledgers.Count; i++)
        {
            var notices = ledgers[i].Notices;
            for (; _noticesSeen[i] < notices.Count; _noticesSeen[i]++)
            {
                var n = notices[_noticesSeen[i]];
                Log(n.Kind == TrainingNoticeKind.Interrupted
                    ? new TwinEvent(n.TimeS, TwinEventKind.TrainingInterrupted, n.Job, string.Format(inv,
                        "a rank stopped, so every rank stopped: {0:F2} h of work since the last checkpoint lost ({1:F0} accelerator-hours)",
                        n.LostWorkS / 3600, n.LostWorkS * n.Accelerators / 3600), double.NaN)
                    : new TwinEvent(n.TimeS, TwinEventKind.TrainingResumed, n.Job, "every rank back and restarted: computing again from the last checkpoint", double.NaN));
            }
        }

        foreach (var (_, a) in _active)
        {
            for (int r = 0; r < _racks; r++)
            {
                a.MaxDieC = Math.Max(a.MaxDieC, die[r]);
                if (!double.IsNaN(coolant[r]))
                {
                    a.MaxCoolantC = Math.Max(a.MaxCoolantC, coolant[r]);
                }
            }
        }
    }
}
