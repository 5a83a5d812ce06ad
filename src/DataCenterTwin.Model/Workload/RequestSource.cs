using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Workload;

/// <summary>
/// Feeds one request class from an arrival process into a <see cref="ComputeHall"/>: one kernel
/// event per arrival, holding only the next arrival. Token counts the process does not carry are
/// drawn from the class with the source's own stream (<c>path/tokens</c>).
/// </summary>
public sealed class RequestSource : IEventHandler, IEventPrefetcher
{
    private readonly Simulator _sim;
    private readonly ComputeHall _hall;
    private readonly IArrivalProcess _arrivals;
    private readonly HandlerId _self;
    private readonly RandomStream _tokens;
    private readonly int _classIndex;
    private readonly int _pool = -1;   // the dispatch group fed, or −1: routed by the class's shares
    private readonly SimTime _until;
    private readonly string _path;
    private Arrival _next;
    private double _rateScale = 1;
    private RandomStream? _scaleRng;

    // Where the process never carries tokens, the counts are drawn a chunk ahead (DrawnAhead.cs), and
    // so are the times of a process that nothing else reads: on another thread where the hall's
    // lanes leave one time to spare (ComputeHall.FillsInBackground).
    private readonly TokenCountsAhead? _counts;
    private readonly ArrivalTimesAhead? _times;

    /// <summary>Creates the source and schedules its first arrival; arrivals at or after <paramref name="until"/> are dropped, and the process starts at <paramref name="from"/> when given.</summary>
    /// <exception cref="ArgumentException">The class is not one of the hall's.</exception>
    /// <remarks>A class split over a pool's dispatch groups has a source per group, <paramref name="pool"/> naming the group it feeds.</remarks>
    /// <exception cref="ArgumentException">The class is not one of the hall's, or the pool is not one of the class's, or a split class's source names no group.</exception>
    public RequestSource(Simulator simulator, ComputeHall hall, string className, IArrivalProcess arrivals, string path, SimTime? until = null, SimTime? from = null, string? pool = null)
    {
        _hall = hall;
        _arrivals = arrivals;
        _classIndex = hall.ClassIndexOf(className);
        if (_classIndex < 0)
        {
            throw new ArgumentException($"The hall has no request class '{className}'.", nameof(className));
        }

        if (pool is not null)
        {
            _pool = hall.PoolIndexOf(pool);
            if (_pool < 0 || !hall.PoolsOfClass(_classIndex).Contains(_pool))
            {
                throw new ArgumentException($"Class '{className}' does not go to pool '{pool}'.", nameof(pool));
            }
        }
        else if (hall.IsClassSplit(_classIndex))
        {
            throw new ArgumentException($"Class '{className}' is split over dispatch groups: give each of its sources a group.", nameof(pool));
        }

        // Arrivals run on the class's lane of the hall (ComputeHall.Lanes.cs), or the group's: the twin's simulator itself when the hall has one lane.
        _sim = _pool >= 0 ? hall.SimulatorOfPool(_pool) : hall.SimulatorOfClass(_classIndex);
        if (_sim != simulator && _sim.Parent != simulator)
        {
            throw new ArgumentException("The source's simulator is not the one its hall was built on.", nameof(simulator));
        }

        _until = until ?? SimTime.MaxValue;
        _path = path;
        _tokens = _sim.Random.For(path + "/tokens");
        _self = _sim.Register(this, path);
        if (from is { } start)
        {
            arrivals.SkipTo(start);
        }

        if (!arrivals.CarriesTokens)
        {
            _counts = new TokenCountsAhead(hall, hall.Class(_classIndex), _tokens);
            if (arrivals.DrawsAlone)
            {
                _times = new ArrivalTimesAhead(hall, arrivals, _until.Ticks);
            }
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
        int copies = 1;
        if (_rateScale != 1)
        {
            // Each arrival stands for the scale's whole part plus one more with the fractional part's
            // probability: the mean rate scales exactly and the process keeps its daily and burst shape.
            copies = (int)_rateScale;
            if (_scaleRng!.NextDouble() < _rateScale - copies)
            {
                copies++;
            }
        }

        for (int k = 0; k < copies; k++)
        {
            Submitted++;
            if (_counts is { } counts)
            {
                counts.TryTake(out long pair);
                _hall.SubmitTo(_classIndex, _pool, (int)(pair >> 32), (int)pair, _tokens);
            }
            else
            {
                _hall.SubmitTo(_classIndex, _pool, _next.PromptTokens, _next.OutputTokens, _tokens);
            }
        }

        ScheduleNext();
    }

    // Every event of a source is an arrival: the hall warms what it will read (ComputeHall.Prefetch.cs).
    void IEventPrefetcher.Prefetch(int kind, long arg) => _hall.PrefetchArrival(_classIndex, _pool);

    /// <summary>
    /// Scales the arrival rate (1 = as the process says; 0 stops arrivals; 2.5 doubles and a half).
    /// The draws that thin or repeat arrivals come from a stream of their own, made the first time a
    /// scale is set, so a run that never scales draws exactly what it did before.
    /// </summary>
    public double RateScale
    {
        get => _rateScale;
        set
        {
            if (!(value >= 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "An arrival-rate scale is a finite number of at least 0.");
            }

            _rateScale = value;
            _scaleRng ??= _sim.Random.For(_path + "/rate-scale");
        }
    }

    /// <summary>The request class this source feeds.</summary>
    public int ClassIndex => _classIndex;

    private void ScheduleNext()
    {
        if (_times is { } times)
        {
            if (times.TryTake(out long ticks))
            {
                _sim.Schedule(SimTime.Max(new SimTime(ticks), _sim.Now), _self);
            }

            return;
        }

        if (_arrivals.TryNext(out _next) && _next.Time < _until)
        {
            _sim.Schedule(SimTime.Max(_next.Time, _sim.Now), _self);
        }
    }
}
