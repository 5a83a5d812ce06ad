using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Reference;

/// <summary>
/// The standard kernel benchmark model ("timeout-only"): N processes, each re-scheduling itself at
/// now + Exp(mean 1 s) until it has fired its share of the events. One event is one pop and,
/// usually, one push; the same model runs on SimPy, SimSharp and ../shared/bench/lean.
/// </summary>
public sealed class TimeoutModel : IEventHandler
{
    private readonly long[] _remaining;
    private readonly RandomStream _rng;
    private readonly HandlerId _self;

    private TimeoutModel(Simulator simulator, int processes, long eventsPerProcess)
    {
        Simulator = simulator;
        _remaining = new long[processes];
        _rng = simulator.Random.For("timeout");
        _self = simulator.Register(this, "timeout");
        for (int i = 0; i < processes; i++)
        {
            _remaining[i] = eventsPerProcess;
            simulator.Schedule(SimTime.FromSeconds(_rng.Exponential(1.0)), _self, 0, i);
        }
    }

    /// <summary>The simulator that runs the model.</summary>
    public Simulator Simulator { get; }

    /// <summary>Creates the model with every process's first timeout scheduled.</summary>
    /// <param name="processes">Number of processes (the queue's depth).</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="eventsPerProcess">Timeouts each process fires before it ends.</param>
    public static TimeoutModel Create(int processes, ulong seed, long eventsPerProcess = long.MaxValue) =>
        new(new Simulator(seed, processes), processes, eventsPerProcess);

    /// <summary>Fires up to <paramref name="events"/> events.</summary>
    public long Run(long events) => Simulator.Run(events);

    /// <inheritdoc/>
    public void OnEvent(in SimEvent e)
    {
        int i = (int)e.Arg;
        if (--_remaining[i] > 0)
        {
            Simulator.ScheduleAfter(SimTime.FromSeconds(_rng.Exponential(1.0)), _self, 0, i);
        }
    }
}
