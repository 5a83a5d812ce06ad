using BenchmarkDotNet.Attributes;
using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Reference;

namespace DataCenterTwin.Benchmarks;

/// <summary>Per-event costs of the kernel: fire-and-reschedule at two queue depths, cancel and move.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks : IEventHandler
{
    private const int EventsPerInvoke = 100_000;
    private TimeoutModel _model = null!;
    private Simulator _sim = null!;
    private HandlerId _self;
    private EventHandle[] _handles = null!;
    private RandomStream _rng = null!;

    [Params(1_000, 100_000)]
    public int Processes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = TimeoutModel.Create(Processes, seed: 42);
        _model.Run(Processes * 10L);
        _sim = new Simulator(7, Processes);
        _self = _sim.Register(this, "bench");
        _rng = _sim.Random.For("bench");
        _handles = new EventHandle[Processes];
        for (int i = 0; i < Processes; i++)
        {
            _handles[i] = _sim.Schedule(SimTime.FromSeconds(_rng.Exponential(1.0)), _self, 0, i);
        }
    }

    /// <summary>One event: pop the earliest, push its successor (the timeout model).</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long FireAndReschedule() => _model.Run(EventsPerInvoke);

    /// <summary>One move of a random pending event to a later time, then one event fired.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void MoveThenFire()
    {
        for (int n = 0; n < EventsPerInvoke; n++)
        {
            int i = _rng.NextInt(_handles.Length);
            _sim.Reschedule(ref _handles[i], _sim.Now + SimTime.FromSeconds(_rng.Exponential(1.0)));
            _sim.Step();
        }
    }

    /// <summary>One exponential draw from a stream.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public double ExponentialDraw()
    {
        double sum = 0;
        for (int n = 0; n < EventsPerInvoke; n++)
        {
            sum += _rng.Exponential(1.0);
        }

        return sum;
    }

    public void OnEvent(in SimEvent e) =>
        _handles[e.Arg] = _sim.ScheduleAfter(SimTime.FromSeconds(_rng.Exponential(1.0)), _self, 0, e.Arg);
}
