using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Kernel.Tests;

/// <summary>
/// A model that exercises every kernel operation: processes re-schedule themselves after random
/// delays, and now and then cancel or move another process's pending event. Logs what fires.
/// </summary>
internal sealed class ChurnModel : IEventHandler
{
    private readonly Simulator _sim;
    private readonly HandlerId _self;
    private readonly RandomStream _delays;
    private readonly RandomStream _actions;
    private readonly EventHandle[] _pending;

    public ChurnModel(Simulator sim, int processes, bool scheduleFirst = true)
    {
        _sim = sim;
        _self = sim.Register(this, "churn");
        _delays = sim.Random.For("churn/delays");
        _actions = sim.Random.For("churn/actions");
        _pending = new EventHandle[processes];
        if (scheduleFirst)
        {
            for (int i = 0; i < processes; i++)
            {
                _pending[i] = sim.ScheduleAfter(Delay(), _self, i % 5, i);
            }
        }
    }

    public List<(long Ticks, int Kind, long Arg)> Log { get; } = [];

    public void OnEvent(in SimEvent e)
    {
        Log.Add((e.Time.Ticks, e.Kind, e.Arg));
        int i = (int)e.Arg;
        _pending[i] = _sim.ScheduleAfter(Delay(), _self, e.Kind, i);
        double u = _actions.NextDouble();
        int other = _actions.NextInt(_pending.Length);
        if (u < 0.1)
        {
            if (_sim.Cancel(_pending[other]))
            {
                _pending[other] = _sim.ScheduleAfter(Delay() * 3, _self, 4, other);
            }
        }
        else if (u < 0.3)
        {
            _sim.Reschedule(ref _pending[other], _sim.Now + Delay());
        }
    }

    public void Save(BinaryWriter w)
    {
        foreach (var h in _pending)
        {
            h.Write(w);
        }
    }

    public void Restore(BinaryReader r)
    {
        for (int i = 0; i < _pending.Length; i++)
        {
            _pending[i] = EventHandle.Read(r);
        }
    }

    // Whole milliseconds, so that ties happen and insertion order matters.
    private SimTime Delay() => SimTime.FromMilliseconds(1 + (long)_delays.Exponential(20));
}
