using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Parallel;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

// Lanes: pools that share no request class never touch each other's state between two events of the
// twin's own clock (a request goes to one pool chosen by its class, and everything it touches belongs
// to that pool), so the connected components of the class-to-pool routing run each on their own
// simulator, a lane of the twin's (Kernel/Simulator.Lanes.cs), advanced to the time of each of the
// twin's events. A hall with one lane runs on the twin's simulator itself, as it always has.
//
// What a lane's events write is the lane's own: its pools' replicas, racks and counters, its
// classes' metrics, and here its request slots (a slot's low bits name its lane), its request ids
// (lane-local count times the lanes plus the lane) and the records it hands the sink, buffered and
// merged by completion time after each advance (FlushLanes), so the sink sees an order that no thread decides.
public sealed partial class ComputeHall
{
    private readonly Lane[] _lanes;
    private readonly int[] _classLane;
    private readonly int[] _poolLane;
    private readonly bool[] _classSplit;    // per class: routed over a pool's dispatch groups, a source per group
    private readonly Simulator[] _poolSim;   // per pool: its lane's simulator (the twin's with one lane)
    private readonly HandlerId[] _poolSelf;  // per pool: the hall's handler there
    private readonly int _laneShift;
    private readonly int _laneMask;
    private readonly LaneWork _laneWork;
    [NotState]
    private readonly int[] _flushAt;          // per lane: the next of its records to pass on (FlushLanes)

    /// <summary>Lanes the hall's pools run in: connected components of the class-to-pool routing.</summary>
    public int LaneCount => _lanes.Length;

    /// <summary>
    /// Events each lane has fired (a hall of one lane: the twin's simulator's own). The busiest lane's
    /// share of them bounds what threads can gain: its events run on one thread whatever their number.
    /// </summary>
    public long[] LaneEventsFired() => [.. _lanes.Select(lane => lane.Sim.OwnEventsFired)];

    /// <summary>The simulator a request class's events run on (its source registers there).</summary>
    /// <exception cref="InvalidOperationException">The class is split over dispatch groups: each group's source runs on the group's lane (<see cref="SimulatorOfPool"/>).</exception>
    public Simulator SimulatorOfClass(int classIndex) => _classSplit[classIndex]
        ? throw new InvalidOperationException($"Class '{_classes[classIndex].Name}' is split over dispatch groups: give its source a group.")
        : _lanes[_classLane[classIndex]].Sim;

    /// <summary>The simulator a pool's events run on (a dispatch group's source registers there).</summary>
    public Simulator SimulatorOfPool(int pool) => _poolSim[pool];

    /// <summary>Whether a class is split over the dispatch groups of one pool (its sources submit each to one group).</summary>
    public bool IsClassSplit(int classIndex) => _classSplit[classIndex];

    /// <summary>The pools a class may go to (spec order).</summary>
    public IReadOnlyList<int> PoolsOfClass(int classIndex) => _classPools[classIndex];

    // Split: the class goes to two or more pools, all groups of one (PoolSpec.GroupOf).
    private static bool IsSplit(IReadOnlyList<PoolSpec> pools, int[] classPools) =>
        classPools.Length > 1 && pools[classPools[0]].GroupOf is { } g && classPools.All(p => pools[p].GroupOf == g);

    /// <summary>The lane of each pool: classes routed to several pools join them (union-find over the routing).</summary>
    internal static int[] PoolLanes(int pools, int[][] classPools, out int lanes)
    {
        var root = Enumerable.Range(0, pools).ToArray();
        int Find(int p)
        {
            while (root[p] != p)
            {
                p = root[p] = root[root[p]];
            }

            return p;
        }

        foreach (var ps in classPools)
        {
            for (int i = 1; i < ps.Length; i++)
            {
                int a = Find(ps[0]), b = Find(ps[i]);
                root[Math.Max(a, b)] = Math.Min(a, b);
            }
        }

        // Lanes numbered in order of their first pool.
        var lane = new int[pools];
        var number = new Dictionary<int, int>();
        for (int p = 0; p < pools; p++)
        {
            int r = Find(p);
            if (!number.TryGetValue(r, out int n))
            {
                n = number.Count;
                number[r] = n;
            }

            lane[p] = n;
        }

        lanes = Math.Max(1, number.Count);
        return lane;
    }

    // A pool's counters (requests, tokens, arrivals, iterations, losses) are written by its lane at
    // every request: each pool's slot sits 128 bytes from the next, so lanes running at once never
    // write one cache line (or the pair the core fetches together) and never take it from each other.
    private const int PoolStride = 16;

    private static int PoolSlot(int pool) => pool * PoolStride;

    private Simulator SimOf(int r) => _poolSim[_replicas[r].Pool];

    private HandlerId SelfOf(int r) => _poolSelf[_replicas[r].Pool];

    private ref Request Req(int slot) => ref _lanes[slot & _laneMask].Req[slot >> _laneShift];

    /// <summary>
    /// The threads the lanes advance on (<c>run.threads</c>). Lanes read nothing of each other's, so
    /// the outputs are the same on any number.
    /// </summary>
    public StepWorkers Workers
    {
        get => _workers;
        set => _workers = value ?? StepWorkers.Sequential;
    }

    [NotState]
    private StepWorkers _workers = StepWorkers.Sequential;

    // The request sources' draws made a chunk ahead (Workload/DrawnAhead.cs): filled on the
    // background thread while the lanes run on threads of their own, and settled before an advance
    // returns, so that at each of the twin's events none is in flight. Only where there are no more
    // lanes than threads: a thread then has time to spare (metro's code lane on the second core is
    // busy 15 % of the day), whereas lanes that keep every thread busy gain nothing from a third
    // thread and lose its switches (the grouped metro day, ten lanes on two threads, 14.74 and
    // 12.87 s filling in the background against 14.02 and 12.03 s filling on the lanes' threads).
    private readonly List<DrawnAhead> _drawnAhead = [];

    /// <summary>Whether draws made ahead are filled on the background thread: the lanes, two or more, run on at least as many threads.</summary>
    internal bool FillsInBackground => _lanes.Length > 1 && _workers.Threads >= _lanes.Length;

    internal void AddDrawnAhead(DrawnAhead drawn) => _drawnAhead.Add(drawn);

    // Fires every lane's events before t, on the workers, then hands the sink what they finished,
    // lane by lane on the twin's thread. Lanes with nothing pending (a fluid run outside its request
    // windows) only set their clocks: with at most one lane busy the caller runs them all, and no
    // worker is woken for each of the twin's events.
    private void AdvanceLanes(SimTime t)
    {
        _laneWork.Until = t;
        int busy = 0;
        foreach (var lane in _lanes)
        {
            busy += lane.Sim.PendingCount > 0 ? 1 : 0;
        }

        if (busy > 1)
        {
            _workers.RunEach(_lanes.Length, _laneWork);
        }
        else
        {
            _laneWork.Run(0, _lanes.Length);
        }

        foreach (var drawn in _drawnAhead)
        {
            drawn.Settle();
        }

        FlushLanes();
    }

    // Lanes by falling replica count (the heaviest start first; ties by lane number).
    private static int[] HeaviestFirst(int lanes, int[] poolLane, ComputePool[] pools)
    {
        var replicas = new long[lanes];
        for (int p = 0; p < pools.Length; p++)
        {
            replicas[poolLane[p]] += pools[p].Count;
        }

        return [.. Enumerable.Range(0, lanes).OrderByDescending(l => replicas[l]).ThenBy(l => l)];
    }

    /// <summary>Runs lanes, in the order given, to <see cref="Until"/>.</summary>
    private sealed class LaneWork(Lane[] lanes, int[] order) : IRangeWork
    {
        public SimTime Until;

        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                lanes[order[i]].Sim.RunUntil(Until);
            }
        }
    }

    // The lanes' records merged by completion time, ties by lane, each lane's in its own order. A
    // lane's records come in time order, and a flush after an advance to T holds every record before
    // T and none after, so the sink sees one order however the run is cut into RunUntil calls (a
    // checkpoint, a live session's steps) and on however many threads.
    private void FlushLanes()
    {
        for (int c = 0; c < _metrics.Length; c++)
        {
            if (!_classSplit[c])
            {
                continue;
            }

            // A split class's figures are its lanes' parts summed in lane order, the same numbers
            // however many threads ran them and wherever the run was cut; summed again only when
            // the parts hold more finished requests than the sum, so a fluid run's control steps
            // outside its windows cost nothing (and no lambda here: its closure would be allocated
            // at every call).
            long finished = 0;
            foreach (var lane in _lanes)
            {
                _metrics[c].Arrived += lane.Arrived[c];
                lane.Arrived[c] = 0;
                finished += lane.Metrics[c]!.Completed + lane.Metrics[c]!.Rejected;
            }

            if (finished != _metrics[c].Completed + _metrics[c].Rejected)
            {
                _metrics[c].ClearFinished();
                foreach (var lane in _lanes)
                {
                    _metrics[c].AddFinishedOf(lane.Metrics[c]!);
                }
            }
        }

        if (_sink is null)
        {
            return;
        }

        var at = _flushAt;
        Array.Clear(at);
        while (true)
        {
            int best = -1;
            long bestTicks = long.MaxValue;
            for (int l = 0; l < _lanes.Length; l++)
            {
                var lane = _lanes[l];
                if (at[l] < lane.DoneCount && lane.Done[at[l]].Completion.Ticks < bestTicks)
                {
                    best = l;
                    bestTicks = lane.Done[at[l]].Completion.Ticks;
                }
            }

            if (best < 0)
            {
                break;
            }

            _sink.OnFinished(in _lanes[best].Done[at[best]++]);
        }

        foreach (var lane in _lanes)
        {
            lane.DoneCount = 0;
        }
    }

    private void Buffer(int lane, in RequestRecord record)
    {
        var l = _lanes[lane];
        if (l.DoneCount == l.Done.Length)
        {
            Array.Resize(ref l.Done, l.Done.Length * 2);
        }

        l.Done[l.DoneCount++] = record;
    }

    /// <summary>One lane: its simulator and the request state its events write.</summary>
    private sealed class Lane(Simulator sim, HandlerId self, IReadOnlyList<RequestClass> classes, bool[] split)
    {
        public readonly long[] Arrived = new long[classes.Count];   // split classes' arrivals since the last flush
        public readonly ClassMetrics?[] Metrics = [.. classes.Select((c, i) => split[i] ? new ClassMetrics(c.Name) : null)]; // split classes' parts on this lane
        public double ShedOwed;                              // the shedding owed on this lane (ComputeHall.Dispatch.cs)
        public readonly Simulator Sim = sim;
        public readonly HandlerId Self = self;
        public Request[] Req = new Request[1024];
        public int Free = -1;
        public int Used;
        public long NextId;
        public RequestRecord[] Done = new RequestRecord[256];
        public int DoneCount;
    }

    /// <summary>Brings the lanes to each of the twin's events (the kernel calls it; ISubClocks).</summary>
    private sealed class LaneClocks(ComputeHall hall) : ISubClocks
    {
        public void AdvanceTo(SimTime t) => hall.AdvanceLanes(t);
    }
}
