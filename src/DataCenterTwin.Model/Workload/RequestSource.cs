using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Workload;

/// <summary>
/// Feeds one request class from an arrival process into a <see cref="ComputeHall"/>: one kernel
/// event per arrival, holding only the next arrival. Token counts the process does not carry are
/// drawn from the class with the source's own stream (<c>path/tokens</c>).
/// </summary>
public sealed class RequestSource : IEventHandler
{
    private readonly Simulator _sim;
    private readonly ComputeHall _hall;
    private readonly IArrivalProcess _arrivals;
    private readonly HandlerId _self;
    private readonly RandomStream _tokens;
    private readonly int _classIndex;
    private readonly SimTime _until;
    private Arrival _next;

    /// <summary>Creates the source and schedules its first arrival; arrivals at or after <paramref name="until"/> are dropped, and the process starts at <paramref name="from"/> when given.</summary>
    /// <exception cref="ArgumentException">The class is not one of the hall's.</exception>
    public RequestSource(Simulator simulator, ComputeHall hall, string className, IArrivalProcess arrivals, string path, SimTime? until = null, SimTime? from = null)
    {
        _sim = simulator;
        _hall = hall;
        _arrivals = arrivals;
        _classIndex = hall.ClassIndexOf(className);
        if (_classIndex < 0)
        {
            throw new ArgumentException($"The hall has no request class '{className}'.", nameof(className));
        }

        _until = until ?? SimTime.MaxValue;
        _tokens = simulator.Random.For(path + "/tokens");
        _self = simulator.Register(this, path);
        if (from is { } start)
        {
            arrivals.SkipTo(start);
        }

        ScheduleNext();
    }

    /// <summary>The arrival process.</summary>
    public IArrivalProcess Arrivals => _arrivals;

    /// <summary>Requests submitted so far.</summary>
    public long Submitted { get; private set; }

    /// <inheritdoc/>
    public void OnEvent(in SimEvent e)
    {
        Submitted++;
        _hall.Submit(_classIndex, _next.PromptTokens, _next.OutputTokens, _tokens);
        ScheduleNext();
    }

    private void ScheduleNext()
    {
        if (_arrivals.TryNext(out _next) && _next.Time < _until)
        {
            _sim.Schedule(SimTime.Max(_next.Time, _sim.Now), _self);
        }
    }
}
