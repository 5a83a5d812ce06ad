using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// The request-level hall: requests are dispatched to tensor-parallel replicas, batched continuously
/// and served iteration by iteration, never one event per token (the decode iterations between two
/// changes of a replica's batch share one event: ComputeHall.Spans.cs); accelerator power follows each
/// replica's phase and its rack's speed factor, and energy is integrated exactly between events per
/// replica and per rack. Request state lives in a pooled array with a free list and per-replica
/// state in arrays, so steady-state serving allocates nothing.
/// </summary>
public sealed partial class ComputeHall : IItLoad, IEventHandler
{
    private const int IterationEnd = 0;
    private const int DeferRetry = 1;
    private const int TrainingStart = 2;
    private const int TrainingEnd = 3;
    private const int ScaleTick = 4;
    private const int WakeDone = 5;
    private const byte Serving = 0;
    private const byte Waking = 1;
    private const byte Parked = 2;
    private const byte Draining = 3;
    private const long NotYet = -1;

    private readonly Simulator _sim;
    private readonly HandlerId _self;
    private readonly IRequestSink? _sink;
    private readonly RequestClass[] _classes;
    private readonly ClassMetrics[] _metrics;
    private readonly int[][] _classPools;     // per class: the pools it may go to
    private readonly double[][] _classCumShare; // per class: cumulative shares over those pools
    private readonly RandomStream?[] _routeRng; // per class with more than one pool
    private readonly long[] _poolRequests;
    private readonly long[] _poolPromptTokens;
    private readonly long[] _poolOutputTokens;
    private readonly ComputePool[] _pools;
    private readonly IDispatchPolicy[] _dispatch;
    private readonly RandomStream[] _dispatchRng;

    // Per replica (hall numbering).
    private readonly HeapMember[][] _rHeap;   // running decode members, a min-heap on FinishIter (kept beside the slot: no request is read to order them)

    // Per rack.
    private readonly double[] _rackSpeed;
    private readonly double[] _rackTempC;
    private readonly double[] _rackStaticW;
    private readonly RackMeter[] _rackMeters;
    private readonly int[] _rackFirstReplica;
    private readonly int[] _rackReplicaCount;
    private readonly int[] _rackJob;
    private readonly int[] _rackAccels;
    private readonly AcceleratorSpec?[] _rackAccel;

    // Training jobs.
    private readonly TrainingJobSpec[] _jobs;
    private readonly bool[] _jobRunning;
    private readonly double[] _jobRemainingS;
    private readonly long[] _jobSegStart;
    private readonly double[] _jobSpeed;
    private readonly EventHandle[] _jobEnd;
    private readonly long[] _jobBusyAccelTicks;

    // Scaling: per replica its state, per pool the arrivals since the last tick.
    private readonly EventHandle[] _rWake;
    private readonly long[] _poolArrivals;
    private readonly long[] _poolArrivedPrompt;
    private readonly long[] _poolArrivedOutput;
    private readonly long[] _poolBelowSince;
    private readonly double[] _poolScaleCap;

    private readonly long _totalAccels;

    /// <summary>Builds the hall and registers it with <paramref name="simulator"/> under <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">Overlapping or out-of-range racks, a replica larger than a rack, an unknown class model.</exception>
    public ComputeHall(Simulator simulator, ComputeHallSpec spec, IRequestSink? sink = null, string path = "hall")
    {
        _sim = simulator;
        _sink = sink;
        Spec = spec;
        RackCount = spec.RackCount;
        int racks = spec.RackCount;
        var owner = new string?[racks];
        void Claim(string who, int first, int count)
        {
            if (first < 0 || count < 1 || first + count > racks)
            {
                throw new ArgumentException($"{who}: racks {first}..{first + count - 1} are outside the hall's 0..{racks - 1}.", nameof(spec));
            }

            for (int k = first; k < first + count; k++)
            {
                if (owner[k] is not null)
                {
                    throw new ArgumentException($"{who}: rack {k} already belongs to {owner[k]}.", nameof(spec));
                }

                owner[k] = who;
            }
        }

        _rackSpeed = new double[racks];
        Array.Fill(_rackSpeed, 1.0);
        _rackTempC = new double[racks];
        _rackStaticW = new double[racks];
        _rackMeters = new RackMeter[racks];
        _rackFirstReplica = new int[racks];
        _rackReplicaCount = new int[racks];
        _rackJob = new int[racks];
        Array.Fill(_rackJob, -1);
        _rackAccels = new int[racks];
        _rackAccel = new AcceleratorSpec?[racks];

        int replicas = 0;
        foreach (var p in spec.Pools)
        {
            Claim($"pool '{p.Name}'", p.FirstRack, p.RackCount);
            if (p.AcceleratorsPerReplica < 1 || p.ReplicasPerRack < 1)
            {
                throw new ArgumentException($"pool '{p.Name}': a replica of {p.AcceleratorsPerReplica} accelerators does not fit a rack of {p.AcceleratorsPerRack}.", nameof(spec));
            }

            if (p.Batching.MaxBatch < 1 || p.Batching.MaxPrefillTokens < 1 || p.Batching.KvCacheTokens < 2)
            {
                throw new ArgumentException($"pool '{p.Name}': batching limits must be positive.", nameof(spec));
            }

            replicas += p.ReplicasPerRack * p.RackCount;
        }

        foreach (var t in spec.TrainingRacks ?? [])
        {
            Claim("training block", t.FirstRack, t.RackCount);
            for (int k = t.FirstRack; k < t.FirstRack + t.RackCount; k++)
            {
                _rackAccels[k] = t.ServersPerRack * t.Server.AcceleratorsPerServer;
                _rackAccel[k] = t.Server.Accelerator;
                _rackStaticW[k] = t.RackStaticW;
            }
        }

        if (replicas > MaxReplicas)
        {
            throw new ArgumentException($"The hall has {replicas} replicas; at most {MaxReplicas} fit an event's payload.", nameof(spec));
        }

        _replicas = NewReplicas(replicas);
        _heapMinSlot = new int[replicas];
        Array.Fill(_heapMinSlot, -1);
        AllocateSpans(replicas);
        _rHeap = new HeapMember[replicas][];

        _pools = new ComputePool[spec.Pools.Count];
        _poolSteps = NewPoolSteps(spec.Pools);
        _dispatch = new IDispatchPolicy[spec.Pools.Count];
        _dispatchRng = new RandomStream[spec.Pools.Count];
        AllocateLeastWork();
        int r = 0;
        for (int pi = 0; pi < spec.Pools.Count; pi++)
        {
            var p = spec.Pools[pi];
            _pools[pi] = new ComputePool(this, p, r, p.ReplicasPerRack * p.RackCount);
            _dispatch[pi] = p.CreateDispatch();
            _dispatchRng[pi] = simulator.Random.For($"{path}/{p.Name}/dispatch");
            for (int k = p.FirstRack; k < p.FirstRack + p.RackCount; k++)
            {
                _rackAccels[k] = p.AcceleratorsPerRack;
                _rackAccel[k] = p.Server.Accelerator;
                _rackFirstReplica[k] = r;
                _rackReplicaCount[k] = p.ReplicasPerRack;
                _rackStaticW[k] = p.RackStaticW;
                for (int j = 0; j < p.ReplicasPerRack; j++, r++)
                {
                    _replicas[r].Pool = pi;
                    _replicas[r].Rack = k;
                    _replicas[r].Accels = p.AcceleratorsPerReplica;
                    _rHeap[r] = new HeapMember[p.Batching.MaxBatch];
                    _replicas[r].PowerW = p.AcceleratorsPerReplica * p.Server.Accelerator.IdleW;
                }
            }
        }

        int accel = 0;
        for (int k = 0; k < racks; k++)
        {
            for (int j = 0; j < _rackReplicaCount[k]; j++)
            {
                int rr = _rackFirstReplica[k] + j;
                _replicas[rr].FirstAccel = accel + j * _replicas[rr].Accels;
            }

            accel += _rackAccels[k];
        }

        _totalAccels = accel;

        _classes = [.. spec.Classes];
        _metrics = [.. spec.Classes.Select(c => new ClassMetrics(c.Name))];
        var shares = PoolRouting.Shares(spec);
        _classPools = new int[_classes.Length][];
        _classCumShare = new double[_classes.Length][];
        _routeRng = new RandomStream?[_classes.Length];
        for (int c = 0; c < _classes.Length; c++)
        {
            _classPools[c] = [.. Enumerable.Range(0, _pools.Length).Where(p => shares[c][p] > 0)];
            double cum = 0;
            _classCumShare[c] = [.. _classPools[c].Select(p => cum += shares[c][p])];
            if (_classPools[c].Length > 1)
            {
                _routeRng[c] = simulator.Random.For($"{path}/route/{_classes[c].Name}");
            }
        }

        // A class split over a pool's dispatch groups has a source per group (SubmitTo), so it joins
        // none of its groups to each other: each group is a lane of its own.
        _classSplit = [.. _classPools.Select(ps => IsSplit(spec.Pools, ps))];
        int[] poolLane = PoolLanes(_pools.Length, [.. _classPools.Select((ps, c) => _classSplit[c] ? [] : ps)], out int laneCount);
        _poolLane = poolLane;
        if (laneCount == 1)
        {
            // All on the twin's simulator: a split class's groups need nothing merged.
            Array.Clear(_classSplit);
        }

        _laneShift = laneCount == 1 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(laneCount - 1));
        _laneMask = (1 << _laneShift) - 1;
        _classLane = [.. _classPools.Select(ps => ps.Length > 0 ? poolLane[ps[0]] : 0)];
        _poolLost = new long[_pools.Length * PoolStride];
        _poolIterations = new long[_pools.Length * PoolStride];
        _poolSupersededEnds = new long[_pools.Length * PoolStride];
        _poolRequests = new long[_pools.Length * PoolStride];
        _poolPromptTokens = new long[_pools.Length * PoolStride];
        _poolOutputTokens = new long[_pools.Length * PoolStride];

        _jobs = [.. spec.TrainingJobs ?? []];
        _jobRunning = new bool[_jobs.Length];
        _jobRemainingS = new double[_jobs.Length];
        _jobSegStart = new long[_jobs.Length];
        _jobSpeed = new double[_jobs.Length];
        _jobEnd = new EventHandle[_jobs.Length];
        _jobBusyAccelTicks = new long[_jobs.Length];
        _self = simulator.Register(this, path);
        _lanes = new Lane[laneCount];
        for (int l = 0; l < laneCount; l++)
        {
            if (laneCount == 1)
            {
                _lanes[l] = new Lane(simulator, _self, _classes, _classSplit);
            }
            else
            {
                var lane = new Simulator(simulator);
                _lanes[l] = new Lane(lane, lane.Register(this, path), _classes, _classSplit);
            }
        }

        _poolSim = [.. poolLane.Select(l => _lanes[l].Sim)];
        _poolSelf = [.. poolLane.Select(l => _lanes[l].Self)];
        _laneWork = new LaneWork(_lanes, HeaviestFirst(laneCount, poolLane, _pools));
        _flushAt = new int[laneCount];
        if (laneCount > 1)
        {
            simulator.Attach(new LaneClocks(this));
        }

        for (int j = 0; j < _jobs.Length; j++)
        {
            var job = _jobs[j];
            for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
            {
                if (k < 0 || k >= racks || _rackReplicaCount[k] > 0 || _rackAccel[k] is null)
                {
                    throw new ArgumentException($"training job '{job.Name}': rack {k} is not in a training block.", nameof(spec));
                }
            }

            if (!(job.Utilisation is >= 0 and <= 1) || job.Duration.Ticks <= 0)
            {
                throw new ArgumentException($"training job '{job.Name}': utilisation must be in 0..1 and the duration positive.", nameof(spec));
            }

            simulator.Schedule(job.Start, _self, TrainingStart, j);
        }

        for (int k = 0; k < racks; k++)
        {
            _rackMeters[k].PowerW = RackPowerNow(k);
        }

        _rWake = new EventHandle[replicas];
        _poolArrivals = new long[_pools.Length * PoolStride];
        _poolArrivedPrompt = new long[_pools.Length * PoolStride];
        _poolArrivedOutput = new long[_pools.Length * PoolStride];
        _poolBelowSince = new long[_pools.Length];
        Array.Fill(_poolBelowSince, -1L);
        _poolScaleCap = new double[_pools.Length];
        for (int pi = 0; pi < _pools.Length; pi++)
        {
            var scaling = _pools[pi].Spec.ScalingPolicy;
            if (scaling.Mode == ScalingMode.SloDriven)
            {
                if (!(scaling.IntervalS > 0) || !(scaling.TargetUtilisation is > 0 and <= 1) || scaling.WakeUpS < 0 || scaling.ScaleDownDelayS < 0)
                {
                    throw new ArgumentException($"pool '{_pools[pi].Name}': scaling needs a positive interval, a target utilisation in (0, 1] and non-negative delays.", nameof(spec));
                }

                _poolSim[pi].Schedule(SimTime.FromSeconds(scaling.IntervalS), _poolSelf[pi], ScaleTick, pi);
            }
        }
    }

    /// <inheritdoc/>
    public void OnEvent(in SimEvent e)
    {
        switch (e.Kind)
        {
            case IterationEnd:
                int r = ReplicaOfEnd(e.Arg);
                if (IsSupersededEnd(r, e.Arg))
                {
                    break;
                }

                EndIteration(r);
                Touch(r);
                break;
            case DeferRetry:
                Dispatch((int)e.Arg);
                break;
            case TrainingStart:
                StartJob((int)e.Arg);
                break;
            case TrainingEnd:
                EndJob((int)e.Arg);
                break;
            case ScaleTick:
                Scale((int)e.Arg);
                break;
            case WakeDone:
                Woken((int)e.Arg);
                break;
            case TrainingResume:
                ResumeJob((int)e.Arg);
                break;
        }
    }

    private static long Ticks(double seconds) => Math.Max(1, (long)Math.Round(seconds * SimTime.TicksPerSecond));
}
