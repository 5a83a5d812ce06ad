using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Reference;

/// <summary>
/// M/M/c with a FIFO queue: Poisson arrivals at rate λ, c servers with exponential service at
/// rate μ; two events per customer (arrival, departure). Its mean wait in queue has a closed form
/// (<see cref="ErlangC"/>), which makes it the kernel's known-answer test and a standard benchmark.
/// </summary>
public sealed class MmcModel : IEventHandler
{
    private const int Arrival = 0;
    private const int Departure = 1;

    private readonly Simulator _sim;
    private readonly HandlerId _self;
    private readonly RandomStream _arrivals;
    private readonly RandomStream _service;
    private readonly double _meanInterarrivalS;
    private readonly double _meanServiceS;
    private readonly int _servers;
    private readonly long _customers;
    private long[] _waitingSince = new long[1024];
    private int _queueHead;
    private int _queueCount;
    private int _busy;
    private long _waitTicksSum;

    /// <summary>Creates the model and schedules the first arrival.</summary>
    /// <param name="simulator">The simulator to run on.</param>
    /// <param name="servers">c, the number of servers.</param>
    /// <param name="arrivalsPerS">λ, arrivals per second.</param>
    /// <param name="servicePerS">μ, services per second per server.</param>
    /// <param name="customers">Arrivals to generate before the source stops.</param>
    public MmcModel(Simulator simulator, int servers, double arrivalsPerS, double servicePerS, long customers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(servers, 1);
        if (!(arrivalsPerS > 0) || !(servicePerS > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(arrivalsPerS), "Rates must be positive.");
        }

        _sim = simulator;
        _servers = servers;
        _customers = customers;
        _meanInterarrivalS = 1.0 / arrivalsPerS;
        _meanServiceS = 1.0 / servicePerS;
        _arrivals = simulator.Random.For("mmc/arrivals");
        _service = simulator.Random.For("mmc/service");
        _self = simulator.Register(this, "mmc");
        simulator.ScheduleAfter(SimTime.FromSeconds(_arrivals.Exponential(_meanInterarrivalS)), _self, Arrival);
    }

    /// <summary>Customers that have arrived so far.</summary>
    public long Arrived { get; private set; }

    /// <summary>Customers whose service has started so far.</summary>
    public long Started { get; private set; }

    /// <summary>Customers that have left so far.</summary>
    public long Served { get; private set; }

    /// <summary>Mean time in queue of the customers whose service has started, s.</summary>
    public double MeanWaitS => Started == 0 ? 0 : _waitTicksSum / (double)SimTime.TicksPerSecond / Started;

    /// <summary>
    /// Erlang C: the probability of waiting and the mean wait in queue of M/M/c, s
    /// (Kleinrock, Queueing Systems vol. 1, §3.5).
    /// </summary>
    public static (double ProbabilityOfWait, double MeanWaitS) ErlangC(int servers, double arrivalsPerS, double servicePerS)
    {
        double pw = Queueing.ErlangC(servers, arrivalsPerS / servicePerS);
        return (pw, pw / (servers * servicePerS - arrivalsPerS));
    }

    /// <inheritdoc/>
    public void OnEvent(in SimEvent e)
    {
        if (e.Kind == Arrival)
        {
            Arrived++;
            if (Arrived < _customers)
            {
                _sim.ScheduleAfter(SimTime.FromSeconds(_arrivals.Exponential(_meanInterarrivalS)), _self, Arrival);
            }

            if (_busy < _servers)
            {
                _busy++;
                Started++;
                _sim.ScheduleAfter(SimTime.FromSeconds(_service.Exponential(_meanServiceS)), _self, Departure);
            }
            else
            {
                Enqueue(e.Time.Ticks);
            }
        }
        else
        {
            Served++;
            if (_queueCount > 0)
            {
                _waitTicksSum += e.Time.Ticks - Dequeue();
                Started++;
                _sim.ScheduleAfter(SimTime.FromSeconds(_service.Exponential(_meanServiceS)), _self, Departure);
            }
            else
            {
                _busy--;
            }
        }
    }

    private void Enqueue(long ticks)
    {
        if (_queueCount == _waitingSince.Length)
        {
            var grown = new long[_waitingSince.Length * 2];
            for (int i = 0; i < _queueCount; i++)
            {
                grown[i] = _waitingSince[(_queueHead + i) % _waitingSince.Length];
            }

            _waitingSince = grown;
            _queueHead = 0;
        }

        _waitingSince[(_queueHead + _queueCount) % _waitingSince.Length] = ticks;
        _queueCount++;
    }

    private long Dequeue()
    {
        long t = _waitingSince[_queueHead];
        _queueHead = (_queueHead + 1) % _waitingSince.Length;
        _queueCount--;
        return t;
    }
}
