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
    private readonly int[] _rPool;
    private readonly int[] _rRack;
    private readonly int[] _rFirstAccel;
    private readonly int[] _rAccels;
    private readonly AcceleratorPhase[] _rPhase;
    private readonly EventHandle[] _rEnd;
    private readonly double[] _rRemainingS;
    private readonly long[] _rSegStart;
    private readonly double[] _rPowerW;
    private readonly double[] _rEnergyJ;
    private readonly long[] _rLast;
    private readonly double[] _rIterEnergyStart;
    private readonly bool[] _rThrottledIter;
    private readonly long[] _rBusyTicks;
    private readonly long[] _rBusySince;
    private readonly int[][] _rHeap;          // running decode members, a min-heap on FinishIter
    private readonly int[] _rHeapCount;
    private readonly int[][] _rNew;           // members of the current prefill iteration
    private readonly int[] _rNewCount;
    private readonly long[] _rDecodeIter;     // decode iterations completed
    private readonly double[] _rEnergyIndex;  // Σ decode iteration energy / members, J
    private readonly long[] _rThrottledIters; // decode iterations that ran below full clocks
    private readonly int[] _rQHead;
    private readonly int[] _rQTail;
    private readonly long[] _rQueuedPrompt;
    private readonly int[] _rOutstandingReq;
    private readonly long[] _rOutstandingTok;
    private readonly long[] _rKvUsed;
    private readonly long[] _rContextSum;

    // Per rack.
    private readonly double[] _rackSpeed;
    private readonly double[] _rackTempC;
    private readonly double[] _rackStaticW;
    private readonly double[] _rackPowerW;
    private readonly double[] _rackEnergyJ;
    private readonly long[] _rackLast;
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
    private readonly byte[] _rState;
    private readonly EventHandle[] _rWake;
    private readonly long[] _poolArrivals;
    private readonly long[] _poolArrivedPrompt;
    private readonly long[] _poolArrivedOutput;
    private readonly long[] _poolBelowSince;
    private readonly double[] _poolScaleCap;

    private readonly long _totalAccels;
    private Request[] _req = new Request[1024];
    private int _free = -1;
    private int _used;
    private long _nextId;

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
        _rackPowerW = new double[racks];
        _rackEnergyJ = new double[racks];
        _rackLast = new long[racks];
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

        _rPool = new int[replicas];
        _rRack = new int[replicas];
        _rFirstAccel = new int[replicas];
        _rAccels = new int[replicas];
        _rPhase = new AcceleratorPhase[replicas];
        _rEnd = new EventHandle[replicas];
        AllocateSpans(replicas);
        _rRemainingS = new double[replicas];
        _rSegStart = new long[replicas];
        _rPowerW = new double[replicas];
        _rEnergyJ = new double[replicas];
        _rLast = new long[replicas];
        _rIterEnergyStart = new double[replicas];
        _rThrottledIter = new bool[replicas];
        _rBusyTicks = new long[replicas];
        _rBusySince = new long[replicas];
        _rHeap = new int[replicas][];
        _rHeapCount = new int[replicas];
        _rNew = new int[replicas][];
        _rNewCount = new int[replicas];
        _rDecodeIter = new long[replicas];
        _rEnergyIndex = new double[replicas];
        _rThrottledIters = new long[replicas];
        _rQHead = new int[replicas];
        _rQTail = new int[replicas];
        _rQueuedPrompt = new long[replicas];
        _rOutstandingReq = new int[replicas];
        _rOutstandingTok = new long[replicas];
        _rKvUsed = new long[replicas];
        _rContextSum = new long[replicas];
        Array.Fill(_rQHead, -1);
        Array.Fill(_rQTail, -1);
        InitStepState(replicas);

        _pools = new ComputePool[spec.Pools.Count];
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
                    _rPool[r] = pi;
                    _rRack[r] = k;
                    _rAccels[r] = p.AcceleratorsPerReplica;
                    _rHeap[r] = new int[p.Batching.MaxBatch];
                    _rNew[r] = new int[p.Batching.MaxBatch];
                    _rPowerW[r] = p.AcceleratorsPerReplica * p.Server.Accelerator.IdleW;
                }
            }
        }

        int accel = 0;
        for (int k = 0; k < racks; k++)
        {
            for (int j = 0; j < _rackReplicaCount[k]; j++)
            {
                int rr = _rackFirstReplica[k] + j;
                _rFirstAccel[rr] = accel + j * _rAccels[rr];
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

        _poolRequests = new long[_pools.Length];
        _poolPromptTokens = new long[_pools.Length];
        _poolOutputTokens = new long[_pools.Length];

        _jobs = [.. spec.TrainingJobs ?? []];
        _jobRunning = new bool[_jobs.Length];
        _jobRemainingS = new double[_jobs.Length];
        _jobSegStart = new long[_jobs.Length];
        _jobSpeed = new double[_jobs.Length];
        _jobEnd = new EventHandle[_jobs.Length];
        _jobBusyAccelTicks = new long[_jobs.Length];
        _self = simulator.Register(this, path);
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
            _rackPowerW[k] = RackPowerNow(k);
        }

        _rState = new byte[replicas];
        _rWake = new EventHandle[replicas];
        _poolArrivals = new long[_pools.Length];
        _poolArrivedPrompt = new long[_pools.Length];
        _poolArrivedOutput = new long[_pools.Length];
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

                simulator.Schedule(SimTime.FromSeconds(scaling.IntervalS), _self, ScaleTick, pi);
            }
        }
    }

    /// <summary>The specification the hall was built from.</summary>
    public ComputeHallSpec Spec { get; }

    /// <inheritdoc/>
    public int RackCount { get; }

    /// <summary>The pools, in the order of the specification.</summary>
    public IReadOnlyList<ComputePool> Pools => _pools;

    /// <summary>Per-class metrics, in the order of the specification's classes.</summary>
    public IReadOnlyList<ClassMetrics> Metrics => _metrics;

    /// <summary>Replicas in the hall.</summary>
    public int ReplicaCount => _rPool.Length;

    /// <summary>Accelerators in the hall (pools and training racks).</summary>
    public long AcceleratorCount => _totalAccels;

    /// <summary>Serving iterations run so far (prefill and decode; a decode span covers several in one kernel event).</summary>
    public long Iterations => _iterationsBooked + IterationsInOpenSpans();

    /// <summary>Requests that have arrived and are neither completed nor rejected.</summary>
    public long RequestsInFlight => _used;

    /// <summary>
    /// The fraction of the lowest-priority class (the last one) refused at arrival (0..1): demand
    /// response or an operator shedding load at request level, as <see cref="FluidHall.ShedFraction"/> does at fluid level.
    /// </summary>
    public double ShedFraction
    {
        get => _shedFraction;
        set => _shedFraction = Math.Clamp(value, 0, 1);
    }

    /// <summary>Replaces pool <paramref name="pool"/>'s dispatch policy from the next request on.</summary>
    public void SetDispatchPolicy(int pool, IDispatchPolicy policy) => _dispatch[pool] = policy ?? throw new ArgumentNullException(nameof(policy));

    private double _shedFraction;

    // Shedding by a running sum rather than a random draw: exactly the fraction asked is refused,
    // evenly spread, and no random stream is taken from the run (other streams keep their draws).
    private double _shedOwed;

    /// <summary>The index of a class by name, or −1.</summary>
    public int ClassIndexOf(string name) => Array.FindIndex(_classes, c => c.Name == name);

    /// <summary>The request class at an index.</summary>
    public RequestClass Class(int classIndex) => _classes[classIndex];

    /// <summary>The rack a replica sits in.</summary>
    public int ReplicaRack(int replica) => _rRack[replica];

    /// <summary>The replica's current clock factor (its rack's).</summary>
    public double ReplicaSpeed(int replica) => _rackSpeed[_rRack[replica]];

    /// <summary>The replica's current phase.</summary>
    public AcceleratorPhase ReplicaPhase(int replica) => _rPhase[replica];

    /// <summary>Requests assigned to the replica and not finished.</summary>
    public int ReplicaOutstandingRequests(int replica) => _rOutstandingReq[replica] - FinishingNow(replica);

    /// <summary>Tokens still to process on the replica.</summary>
    public long ReplicaOutstandingTokens(int replica) => _rOutstandingTok[replica] - (long)_rHeapCount[replica] * SpanItersDone(replica, _sim.Now.Ticks);

    /// <summary>Requests in the replica's running batch.</summary>
    public int ReplicaBatchSize(int replica) => _rHeapCount[replica] + _rNewCount[replica];

    /// <summary>KV-cache tokens in use (reserved) on the replica.</summary>
    public long ReplicaKvTokens(int replica) => _rKvUsed[replica]
        + (_pools[_rPool[replica]].Spec.Batching.OnKvFull == KvFullPolicy.Preempt ? (long)_rHeapCount[replica] * SpanItersDone(replica, _sim.Now.Ticks) : 0);

    /// <summary>The replica's accelerator power now (all its accelerators), W.</summary>
    public double ReplicaPowerW(int replica) => _rPowerW[replica];

    /// <summary>Energy of the replica's accelerators up to the last event or <see cref="AdvanceTo"/>, J.</summary>
    public double ReplicaEnergyJ(int replica) => _rEnergyJ[replica];

    /// <summary>Energy of each one accelerator of the replica (they share its phase), J.</summary>
    public double AcceleratorEnergyJ(int replica) => _rEnergyJ[replica] / _rAccels[replica];

    /// <summary>The rack's IT power now (accelerators and hosts), W.</summary>
    public double RackPowerW(int rack) => _rackPowerW[rack];

    /// <summary>The rack's current clock factor.</summary>
    public double RackSpeedFactor(int rack) => _rackSpeed[rack];

    /// <summary>The rack temperature last set, °C.</summary>
    public double RackTemperatureC(int rack) => _rackTempC[rack];

    /// <summary>The hall's IT power now, W.</summary>
    public double TotalPowerW
    {
        get
        {
            double sum = 0;
            foreach (double p in _rackPowerW)
            {
                sum += p;
            }

            return sum;
        }
    }

    /// <inheritdoc/>
    public double RackEnergyJ(int rack) => _rackEnergyJ[rack];

    /// <inheritdoc/>
    public double MeanUtilisation
    {
        get
        {
            long now = _sim.Now.Ticks;
            if (now <= 0 || _totalAccels == 0)
            {
                return 0;
            }

            double busy = 0;
            for (int r = 0; r < _rPool.Length; r++)
            {
                long ticks = _rBusyTicks[r] + (_rPhase[r] != AcceleratorPhase.Idle ? now - _rBusySince[r] : 0);
                busy += (double)ticks * _rAccels[r];
            }

            for (int j = 0; j < _jobs.Length; j++)
            {
                busy += _jobBusyAccelTicks[j] + (_jobRunning[j] ? (now - _jobSegStart[j]) * JobBusyAccels(j) * _jobs[j].Utilisation : 0);
            }

            return busy / ((double)_totalAccels * now);
        }
    }

    /// <summary>Each pool's totals so far, in spec order (energy from the racks' accounts up to the last event or <see cref="AdvanceTo"/>).</summary>
    public IReadOnlyList<PoolTotals> PoolTotals()
    {
        long now = _sim.Now.Ticks;
        var result = new PoolTotals[_pools.Length];
        for (int pi = 0; pi < _pools.Length; pi++)
        {
            var pool = _pools[pi];
            double busy = 0;
            for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
            {
                long ticks = _rBusyTicks[r] + (_rPhase[r] != AcceleratorPhase.Idle ? now - _rBusySince[r] : 0);
                busy += ticks / 1e6 * _rAccels[r];
            }

            double energy = 0;
            for (int k = pool.Spec.FirstRack; k < pool.Spec.FirstRack + pool.Spec.RackCount; k++)
            {
                energy += _rackEnergyJ[k];
            }

            result[pi] = new PoolTotals(pool.Name, pool.Spec.AcceleratorsPerRack * pool.Spec.RackCount, _poolRequests[pi], _poolPromptTokens[pi],
                _poolOutputTokens[pi], busy, energy);
        }

        return result;
    }

    /// <summary>The share of class <paramref name="classIndex"/>'s requests each pool gets, in spec order.</summary>
    public double PoolShare(int classIndex, int pool)
    {
        int i = Array.IndexOf(_classPools[classIndex], pool);
        return i < 0 ? 0 : _classCumShare[classIndex][i] - (i > 0 ? _classCumShare[classIndex][i - 1] : 0);
    }

    /// <inheritdoc/>
    public void AdvanceTo(SimTime now)
    {
        for (int r = 0; r < _rPool.Length; r++)
        {
            AccrueReplica(r, now.Ticks);
        }

        for (int k = 0; k < RackCount; k++)
        {
            AccrueRack(k, now.Ticks);
        }
    }

    /// <inheritdoc/>
    public void SetRackTemperatureC(int rack, double temperatureC) => _rackTempC[rack] = temperatureC;

    /// <inheritdoc/>
    public void SetRackSpeedFactor(int rack, double speedFactor)
    {
        if (!(speedFactor is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(speedFactor), speedFactor, "Expected a clock factor in 0..1.");
        }

        double old = _rackSpeed[rack];
        if (old == speedFactor)
        {
            return;
        }

        long now = _sim.Now.Ticks;
        for (int j = 0; j < _rackReplicaCount[rack]; j++)
        {
            // Boundaries first: an iteration ending this tick ends at the old clocks.
            CatchUp(_rackFirstReplica[rack] + j, truncate: false);
        }

        AccrueRack(rack, now);
        _rackSpeed[rack] = speedFactor;
        for (int j = 0; j < _rackReplicaCount[rack]; j++)
        {
            int r = _rackFirstReplica[rack] + j;
            SettleSpanForClockChange(r, now);
            AccrueReplica(r, now);
            if (_rPhase[r] == AcceleratorPhase.Idle)
            {
                if (speedFactor > 0 && _rQHead[r] >= 0)
                {
                    StartIteration(r);
                }

                continue;
            }

            // The work done so far at the old clocks leaves the rest to run at the new ones.
            _rRemainingS[r] = Math.Max(0, _rRemainingS[r] - (now - _rSegStart[r]) / 1e6 * StepSpeed(r, old));
            SetStepClock(r, speedFactor);
            _rSegStart[r] = now;
            if (speedFactor < 1)
            {
                _rThrottledIter[r] = true;
            }

            if (speedFactor == 0)
            {
                _sim.Cancel(_rEnd[r]);
                _rEnd[r] = default;
            }
            else
            {
                var end = new SimTime(now + Ticks(_rRemainingS[r] / StepSpeed(r, speedFactor)));
                if (!_sim.Reschedule(ref _rEnd[r], end))
                {
                    _rEnd[r] = _sim.Schedule(end, _self, IterationEnd, r);
                }
            }

            _rBounds[r][0] = _rEnd[r].IsNone ? long.MaxValue : _rEnd[r].Time.Ticks;
            _rPowerW[r] = _rAccels[r] * _rackAccel[rack]!.PowerW(_rPhase[r], _rTokensPerAccel[r], speedFactor);
        }

        if (_rackJob[rack] >= 0)
        {
            UpdateJobSpeed(_rackJob[rack], now);
        }

        _rackPowerW[rack] = RackPowerNow(rack);
        for (int j = 0; j < _rackReplicaCount[rack]; j++)
        {
            Touch(_rackFirstReplica[rack] + j);
        }
    }

    /// <summary>
    /// A request of class <paramref name="classIndex"/> arrives now; token counts of 0 are drawn from
    /// the class with <paramref name="tokenRng"/>. It is dispatched at once (or deferred or rejected).
    /// </summary>
    public void Submit(int classIndex, int promptTokens, int outputTokens, RandomStream? tokenRng = null)
    {
        var cls = _classes[classIndex];
        if (promptTokens <= 0)
        {
            promptTokens = cls.PromptTokens.Sample(tokenRng ?? throw new ArgumentNullException(nameof(tokenRng)));
        }

        if (outputTokens <= 0)
        {
            outputTokens = cls.OutputTokens.Sample(tokenRng ?? throw new ArgumentNullException(nameof(tokenRng)));
        }

        _metrics[classIndex].Arrived++;
        int slot = Allocate();
        long now = _sim.Now.Ticks;
        ref var q = ref _req[slot];
        q = new Request
        {
            Id = _nextId++,
            Class = classIndex,
            Arrival = now,
            Dispatch = now,
            FirstToken = NotYet,
            Prompt = promptTokens,
            Output = outputTokens,
            PrefillNeeded = promptTokens,
            Replica = -1,
            Next = -1,
            Pool = Route(classIndex),
        };
        if (_shedFraction > 0 && classIndex == _classes.Length - 1)
        {
            _shedOwed += _shedFraction;
            if (_shedOwed >= 1 - 1e-12)
            {
                _shedOwed -= 1;
                Reject(slot, RejectReason.Shed);
                return;
            }
        }

        _poolArrivals[q.Pool]++;
        _poolArrivedPrompt[q.Pool] += promptTokens;
        _poolArrivedOutput[q.Pool] += outputTokens;
        Dispatch(slot);
    }

    /// <inheritdoc/>
    public void OnEvent(in SimEvent e)
    {
        switch (e.Kind)
        {
            case IterationEnd:
                EndIteration((int)e.Arg);
                Touch((int)e.Arg);
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

    /// <summary>Whether the replica takes new requests (it is neither parked, waking nor draining).</summary>
    public bool ReplicaServing(int replica) => _rState[replica] == Serving;

    /// <summary>Replicas of pool <paramref name="pool"/> serving now (neither parked, waking nor draining).</summary>
    public int ServingReplicas(int pool)
    {
        var p = _pools[pool];
        int n = 0;
        for (int r = p.FirstReplica; r < p.FirstReplica + p.Count; r++)
        {
            n += _rState[r] == Serving ? 1 : 0;
        }

        return n;
    }

    /// <summary>Replicas of pool <paramref name="pool"/> parked now.</summary>
    public int ParkedReplicas(int pool)
    {
        var p = _pools[pool];
        int n = 0;
        for (int r = p.FirstReplica; r < p.FirstReplica + p.Count; r++)
        {
            n += _rState[r] == Parked ? 1 : 0;
        }

        return n;
    }

    // Sizes the pool's fleet for the arrivals since the last tick (the same rule as the fluid hall's).
    private void Scale(int pi)
    {
        var pool = _pools[pi];
        var scaling = pool.Spec.ScalingPolicy;
        long now = _sim.Now.Ticks;
        _sim.Schedule(new SimTime(now + Ticks(scaling.IntervalS)), _self, ScaleTick, pi);
        long arrivals = _poolArrivals[pi];
        if (arrivals > 0)
        {
            double prompt = _poolArrivedPrompt[pi] / (double)arrivals, output = _poolArrivedOutput[pi] / (double)arrivals;
            _poolScaleCap[pi] = FluidHall.ReplicaCapacityPerS(pool.Spec, 1, prompt, output, pool.Serving.PrefillTimeS(prompt));
        }

        double lambda = arrivals / scaling.IntervalS;
        int wanted = scaling.SizesOnTtft && arrivals > 0
            ? scaling.Clamp(FluidHall.ReplicasForTtft(pool.Spec, lambda, _poolArrivedPrompt[pi] / (double)arrivals, _poolArrivedOutput[pi] / (double)arrivals, pool.Count, scaling.TargetTtftS), lambda, pool.Count)
            : scaling.Wanted(lambda, _poolScaleCap[pi], pool.Count);
        _poolArrivals[pi] = _poolArrivedPrompt[pi] = _poolArrivedOutput[pi] = 0;
        int serving = 0, waking = 0;
        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            serving += _rState[r] == Serving ? 1 : 0;
            waking += _rState[r] == Waking ? 1 : 0;
        }

        // More wanted: draining replicas take requests again at once, then parked ones wake, from the pool's start.
        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count && serving + waking < wanted; r++)
        {
            if (_rState[r] == Draining)
            {
                _rState[r] = Serving;
                Touch(r);
                serving++;
            }
        }

        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count && serving + waking < wanted; r++)
        {
            if (_rState[r] == Parked)
            {
                Wake(r);
                waking++;
            }
        }

        if (wanted >= serving)
        {
            _poolBelowSince[pi] = -1;
            return;
        }

        // Fewer wanted: waking replicas go back to sleep at once; serving ones after the delay, from the pool's end.
        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            if (_rState[r] == Waking && _rQHead[r] < 0)
            {
                _sim.Cancel(_rWake[r]);
                _rWake[r] = default;
                Park(r);
            }
        }

        if (_poolBelowSince[pi] < 0)
        {
            _poolBelowSince[pi] = now;
        }

        if (now - _poolBelowSince[pi] < Ticks(scaling.ScaleDownDelayS) - 1)
        {
            return;
        }

        _poolBelowSince[pi] = -1;
        for (int r = pool.FirstReplica + pool.Count - 1; r >= pool.FirstReplica && serving > wanted; r--)
        {
            if (_rState[r] == Serving)
            {
                CatchUp(r, truncate: false);
                serving--;
                _rState[r] = Draining;
                Touch(r);
                if (_rQHead[r] < 0 && _rOutstandingReq[r] == 0)
                {
                    Park(r);
                }
            }
        }
    }

    private void Wake(int r)
    {
        var scaling = _pools[_rPool[r]].Spec.ScalingPolicy;
        _rState[r] = Waking;
        SetReplicaPowerW(r, _rAccels[r] * _rackAccel[_rRack[r]]!.PowerW(AcceleratorPhase.Idle, 0, _rackSpeed[_rRack[r]]));
        _rWake[r] = _sim.Schedule(new SimTime(_sim.Now.Ticks + Ticks(scaling.WakeUpS)), _self, WakeDone, r);
        Touch(r);
    }

    private void Woken(int r)
    {
        _rWake[r] = default;
        _rState[r] = Serving;
        if (_rPhase[r] == AcceleratorPhase.Idle && _rQHead[r] >= 0)
        {
            StartIteration(r);
        }

        Touch(r);
    }

    private void Park(int r)
    {
        var scaling = _pools[_rPool[r]].Spec.ScalingPolicy;
        var accel = _rackAccel[_rRack[r]]!;
        _rState[r] = Parked;
        Touch(r);
        SetReplicaPowerW(r, _rAccels[r] * (double.IsNaN(scaling.ParkedAcceleratorW) ? accel.PowerW(AcceleratorPhase.Idle, 0, _rackSpeed[_rRack[r]]) : scaling.ParkedAcceleratorW));
    }

    // A request that finds no serving replica waits for a waking one (the soonest ready), or wakes one.
    private int WaitingReplica(ComputePool pool)
    {
        int best = -1;
        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            if (_rState[r] == Waking && (best < 0 || _rWake[r].Time < _rWake[best].Time))
            {
                best = r;
            }
        }

        if (best >= 0)
        {
            return best - pool.FirstReplica;
        }

        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            if (_rState[r] == Draining)
            {
                _rState[r] = Serving;
                Touch(r);
                return r - pool.FirstReplica;
            }
        }

        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            if (_rState[r] == Parked)
            {
                Wake(r);
                return r - pool.FirstReplica;
            }
        }

        return -1;
    }

    private void SetReplicaPowerW(int r, double powerW)
    {
        long now = _sim.Now.Ticks;
        int rack = _rRack[r];
        AccrueRack(rack, now);
        AccrueReplica(r, now);
        _rackPowerW[rack] += powerW - _rPowerW[r];
        _rPowerW[r] = powerW;
    }

    private void Dispatch(int slot)
    {
        ref var q = ref _req[slot];
        int pi = q.Pool;

        var pool = _pools[pi];
        var batching = pool.Spec.Batching;
        long kvNeed = batching.OnKvFull == KvFullPolicy.Queue ? (long)q.Prompt + q.Output : q.Prompt + 1L;
        if (kvNeed > batching.KvCacheTokens)
        {
            Reject(slot, RejectReason.TooLarge);
            return;
        }

        int local = UsesLeastWorkIndex(pi) ? SelectLeastWork(pi) : _dispatch[pi].Select(pool, q.Prompt, q.Output, _dispatchRng[pi]);
        if (local < 0 && pool.Spec.ScalingPolicy.Mode == ScalingMode.SloDriven)
        {
            local = WaitingReplica(pool);
        }

        if (local < 0)
        {
            Reject(slot, RejectReason.NoReplica);
            return;
        }

        int r = pool.FirstReplica + local;

        // Boundaries first, and a decode span cut at the iteration in progress so the request can join at its end.
        CatchUp(r, truncate: _rQHead[r] < 0);
        var admission = pool.Spec.Admission;
        if (admission.Mode != AdmissionMode.AcceptAll)
        {
            long now = _sim.Now.Ticks;
            double aheadS = _rPhase[r] != AcceleratorPhase.Idle && !_rEnd[r].IsNone ? (CurrentIterationEnd(r, now) - now) / 1e6 : 0;
            long queued = _rQueuedPrompt[r] + q.Prompt;
            double predicted = aheadS + pool.Serving.PrefillTimeS(queued) / _rackAccel[_rRack[r]]!.Roofline.StepSpeedAt(queued, ReplicaSpeed(r));
            if (predicted > admission.TtftMargin * _classes[q.Class].Slo.TtftS)
            {
                if (admission.Mode == AdmissionMode.Defer && q.Defers < admission.MaxDefers)
                {
                    q.Defers++;
                    _sim.ScheduleAfter(admission.DeferDelay, _self, DeferRetry, slot);
                }
                else
                {
                    Reject(slot, admission.Mode == AdmissionMode.Defer ? RejectReason.DeferLimit : RejectReason.SloUnreachable);
                }

                return;
            }
        }

        q.Replica = r;
        q.Dispatch = _sim.Now.Ticks;
        _rOutstandingReq[r]++;
        _rOutstandingTok[r] += q.Prompt + q.Output;
        Enqueue(r, slot, atFront: false);
        if (_rPhase[r] == AcceleratorPhase.Idle && ReplicaSpeed(r) > 0)
        {
            StartIteration(r);
        }

        Touch(r);
    }

    // A class with one pool draws nothing (its runs stay as they were); others draw a pool by share.
    private int Route(int classIndex)
    {
        var pools = _classPools[classIndex];
        if (pools.Length == 1)
        {
            return pools[0];
        }

        double u = _routeRng[classIndex]!.NextDouble();
        var cum = _classCumShare[classIndex];
        for (int i = 0; i < pools.Length - 1; i++)
        {
            if (u < cum[i])
            {
                return pools[i];
            }
        }

        return pools[^1];
    }

    private void Enqueue(int r, int slot, bool atFront)
    {
        _rQueuedPrompt[r] += _req[slot].PrefillNeeded;
        if (_rQHead[r] < 0)
        {
            _req[slot].Next = -1;
            _rQHead[r] = _rQTail[r] = slot;
        }
        else if (atFront)
        {
            _req[slot].Next = _rQHead[r];
            _rQHead[r] = slot;
        }
        else
        {
            _req[slot].Next = -1;
            _req[_rQTail[r]].Next = slot;
            _rQTail[r] = slot;
        }
    }

    private void StartIteration(int r)
    {
        int rack = _rRack[r];
        double speed = _rackSpeed[rack];
        if (speed <= 0 || _rState[r] is Waking or Parked)
        {
            return;
        }

        var pool = _pools[_rPool[r]];
        var batching = pool.Spec.Batching;
        bool preempt = batching.OnKvFull == KvFullPolicy.Preempt;

        // Admit queued requests into the running batch, up to the batch, token and KV limits.
        long prefillTokens = 0;
        var fresh = _rNew[r];
        while (_rQHead[r] >= 0 && _rHeapCount[r] + _rNewCount[r] < batching.MaxBatch)
        {
            int slot = _rQHead[r];
            ref var q = ref _req[slot];
            long kvNeed = preempt ? q.PrefillNeeded : (long)q.Prompt + q.Output;
            if (_rKvUsed[r] + kvNeed > batching.KvCacheTokens || (prefillTokens > 0 && prefillTokens + q.PrefillNeeded > batching.MaxPrefillTokens))
            {
                break;
            }

            _rQHead[r] = q.Next;
            if (_rQHead[r] < 0)
            {
                _rQTail[r] = -1;
            }

            _rQueuedPrompt[r] -= q.PrefillNeeded;
            _rKvUsed[r] += kvNeed;
            _rContextSum[r] += q.PrefillNeeded;
            prefillTokens += q.PrefillNeeded;
            fresh[_rNewCount[r]++] = slot;
        }

        AcceleratorPhase phase;
        double workS;
        long stepTokens;
        if (prefillTokens > 0)
        {
            phase = AcceleratorPhase.Prefill;
            workS = pool.Serving.PrefillTimeS(prefillTokens);
            stepTokens = prefillTokens;
        }
        else
        {
            if (preempt)
            {
                // Each running request grows by a token: evict the youngest until the step fits.
                while (_rHeapCount[r] > 1 && _rKvUsed[r] + _rHeapCount[r] > batching.KvCacheTokens)
                {
                    Preempt(r);
                }
            }

            int members = _rHeapCount[r];
            if (members == 0)
            {
                SetPhase(r, AcceleratorPhase.Idle);
                if (_rState[r] == Draining && _rQHead[r] < 0)
                {
                    Park(r);
                }

                return;
            }

            phase = AcceleratorPhase.Decode;
            workS = DecodeStepS(r, members, _rContextSum[r]);
            stepTokens = members;
        }

        long now = _sim.Now.Ticks;
        BeginStep(r, phase, stepTokens, speed);
        _rIterEnergyStart[r] = _rEnergyJ[r];
        _rThrottledIter[r] = speed < 1;
        _rRemainingS[r] = workS;
        _rSegStart[r] = now;
        if (phase == AcceleratorPhase.Decode)
        {
            StartDecodeSpan(r, _rHeapCount[r], StepSpeed(r, speed), now, workS);
        }
        else
        {
            _rSpanLen[r] = 1;
            _rEnd[r] = _sim.Schedule(new SimTime(now + Ticks(workS / StepSpeed(r, speed))), _self, IterationEnd, r);
        }
    }

    private void EndIteration(int r)
    {
        long now = _sim.Now.Ticks;
        _rEnd[r] = default;
        AccrueReplica(r, now);
        double energy = _rEnergyJ[r] - _rIterEnergyStart[r];
        bool throttled = _rThrottledIter[r];
        bool preempt = _pools[_rPool[r]].Spec.Batching.OnKvFull == KvFullPolicy.Preempt;
        if (_rPhase[r] == AcceleratorPhase.Prefill)
        {
            // Only the prefilled requests worked in this iteration (the running batch stalls).
            _iterationsBooked++;
            var fresh = _rNew[r];
            int n = _rNewCount[r];
            _rNewCount[r] = 0;
            double share = energy / Math.Max(1, n);
            for (int i = 0; i < n; i++)
            {
                int slot = fresh[i];
                ref var q = ref _req[slot];
                q.EnergyJ += share;
                q.Throttled |= throttled;
                if (q.FirstToken == NotYet)
                {
                    // The prefill iteration produces the first output token.
                    q.FirstToken = now;
                    q.Generated = 1;
                    _rOutstandingTok[r] -= q.Prompt + 1;
                    _rContextSum[r]++;
                    if (preempt)
                    {
                        _rKvUsed[r]++;
                    }
                }

                if (q.Generated >= q.Output)
                {
                    Complete(slot, r, preempt);
                    continue;
                }

                // Join the running batch: generated = 1 + decode iterations since joining (less any before a preemption).
                q.JoinIter = _rDecodeIter[r] - (q.Generated - 1);
                q.FinishIter = q.JoinIter + q.Output - 1;
                q.EnergyMark = _rEnergyIndex[r];
                q.ThrottleMark = _rThrottledIters[r];
                HeapPush(r, slot);
            }
        }
        else
        {
            // The span's iterations, then the members that finish at its end.
            long iter = BookDecodeIterations(r, _rSpanLen[r], _rHeapCount[r], energy, throttled);
            var heap = _rHeap[r];
            while (_rHeapCount[r] > 0 && _req[heap[0]].FinishIter <= iter)
            {
                int slot = heap[0];
                HeapRemoveAt(r, 0);
                Settle(r, slot);
                Complete(slot, r, preempt);
            }
        }

        StartIteration(r);
    }

    /// <summary>Brings a running member's generated tokens, energy and throttle flag up to date from the replica's counters.</summary>
    private void Settle(int r, int slot)
    {
        ref var q = ref _req[slot];
        q.Generated = (int)(1 + _rDecodeIter[r] - q.JoinIter);
        q.EnergyJ += _rEnergyIndex[r] - q.EnergyMark;
        q.Throttled |= _rThrottledIters[r] != q.ThrottleMark;
        q.EnergyMark = _rEnergyIndex[r];
        q.ThrottleMark = _rThrottledIters[r];
    }

    private void Preempt(int r)
    {
        // The youngest request (latest arrival) in the running batch goes back to the queue's head
        // and recomputes its context later (vLLM's recompute preemption).
        var heap = _rHeap[r];
        int at = 0;
        for (int i = 1; i < _rHeapCount[r]; i++)
        {
            if (_req[heap[i]].Id > _req[heap[at]].Id)
            {
                at = i;
            }
        }

        int victim = heap[at];
        HeapRemoveAt(r, at);
        Settle(r, victim);
        ref var v = ref _req[victim];
        long context = (long)v.Prompt + v.Generated;
        _rKvUsed[r] -= context;
        _rContextSum[r] -= context;
        v.PrefillNeeded = (int)context;
        v.Preemptions++;
        Enqueue(r, victim, atFront: true);
    }

    private void HeapPush(int r, int slot)
    {
        var heap = _rHeap[r];
        int i = _rHeapCount[r]++;
        long key = _req[slot].FinishIter;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_req[heap[parent]].FinishIter <= key)
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = slot;
    }

    private void HeapRemoveAt(int r, int at)
    {
        var heap = _rHeap[r];
        int n = --_rHeapCount[r];
        if (at == n)
        {
            return;
        }

        int slot = heap[n];
        long key = _req[slot].FinishIter;
        int i = at;
        while (i > 0 && _req[heap[(i - 1) >> 1]].FinishIter > key)
        {
            heap[i] = heap[(i - 1) >> 1];
            i = (i - 1) >> 1;
        }

        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && _req[heap[child + 1]].FinishIter < _req[heap[child]].FinishIter)
            {
                child++;
            }

            if (_req[heap[child]].FinishIter >= key)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = slot;
    }

    private void Complete(int slot, int r, bool preempt)
    {
        ref var q = ref _req[slot];
        long now = _sim.Now.Ticks;
        long context = (long)q.Prompt + q.Generated;
        _rKvUsed[r] -= preempt ? context : (long)q.Prompt + q.Output;
        _rContextSum[r] -= context;
        _rOutstandingReq[r]--;
        int pool = _rPool[r];
        _poolRequests[pool]++;
        _poolPromptTokens[pool] += q.Prompt;
        _poolOutputTokens[pool] += q.Output;
        double ttft = (q.FirstToken - q.Arrival) / 1e6;
        double tpot = q.Output > 1 ? (now - q.FirstToken) / 1e6 / (q.Output - 1) : 0;
        double e2e = (now - q.Arrival) / 1e6;
        var record = new RequestRecord
        {
            Id = q.Id,
            ClassIndex = q.Class,
            Arrival = new SimTime(q.Arrival),
            Dispatch = new SimTime(q.Dispatch),
            FirstToken = new SimTime(q.FirstToken),
            Completion = new SimTime(now),
            PromptTokens = q.Prompt,
            OutputTokens = q.Output,
            Replica = r,
            Accelerator = _rFirstAccel[r],
            Rack = _rRack[r],
            TtftS = ttft,
            TpotS = tpot,
            E2eS = e2e,
            SloMet = _classes[q.Class].Slo.IsMet(ttft, tpot, e2e),
            Throttled = q.Throttled,
            Preemptions = q.Preemptions,
            EnergyJ = q.EnergyJ,
        };
        Finish(slot, in record);
    }

    private void Reject(int slot, RejectReason reason)
    {
        ref var q = ref _req[slot];
        var now = _sim.Now;
        var record = new RequestRecord
        {
            Id = q.Id,
            ClassIndex = q.Class,
            Arrival = new SimTime(q.Arrival),
            Dispatch = now,
            FirstToken = now,
            Completion = now,
            PromptTokens = q.Prompt,
            OutputTokens = q.Output,
            Replica = -1,
            Accelerator = -1,
            Rack = -1,
            Reason = reason,
        };
        Finish(slot, in record);
    }

    private void Finish(int slot, in RequestRecord record)
    {
        _metrics[record.ClassIndex].Add(in record);
        _sink?.OnFinished(in record);
        _req[slot].Next = _free;
        _free = slot;
        _used--;
    }

    private int Allocate()
    {
        _used++;
        if (_free >= 0)
        {
            int slot = _free;
            _free = _req[slot].Next;
            return slot;
        }

        // Slots are handed out in order until the array is full, then it doubles (amortised; none in steady state).
        if (_used > _req.Length)
        {
            Array.Resize(ref _req, _req.Length * 2);
        }

        return _used - 1;
    }

    private void SetPhase(int r, AcceleratorPhase phase, double tokensPerAccel = 0)
    {
        if (_rPhase[r] == phase && _rTokensPerAccel[r] == tokensPerAccel)
        {
            return;
        }

        long now = _sim.Now.Ticks;
        int rack = _rRack[r];
        AccrueRack(rack, now);
        AccrueReplica(r, now);
        if (_rPhase[r] == AcceleratorPhase.Idle)
        {
            _rBusySince[r] = now;
        }
        else if (phase == AcceleratorPhase.Idle)
        {
            _rBusyTicks[r] += now - _rBusySince[r];
        }

        _rPhase[r] = phase;
        _rTokensPerAccel[r] = tokensPerAccel;
        double old = _rPowerW[r];
        _rPowerW[r] = _rAccels[r] * _rackAccel[rack]!.PowerW(phase, tokensPerAccel, _rackSpeed[rack]);
        _rackPowerW[rack] += _rPowerW[r] - old;
    }

    private void AccrueReplica(int r, long now)
    {
        long dt = now - _rLast[r];
        if (dt > 0)
        {
            _rEnergyJ[r] += _rPowerW[r] * (dt / 1e6);
            AccrueStep(r, dt / 1e6);
            _rLast[r] = now;
        }
    }

    private void AccrueRack(int k, long now)
    {
        long dt = now - _rackLast[k];
        if (dt > 0)
        {
            _rackEnergyJ[k] += _rackPowerW[k] * (dt / 1e6);
            _rackLast[k] = now;
        }
    }

    private double RackPowerNow(int k)
    {
        double p = _rackStaticW[k];
        for (int j = 0; j < _rackReplicaCount[k]; j++)
        {
            p += _rPowerW[_rackFirstReplica[k] + j];
        }

        if (_rackAccel[k] is { } a && _rackReplicaCount[k] == 0)
        {
            int job = _rackJob[k];
            double perAccel = job >= 0
                ? a.IdleW + _jobs[job].Utilisation * (a.TdpW - a.IdleW) * AcceleratorSpec.DynamicScale(_rackSpeed[k]) * RankComputeShare(job, k)
                : a.IdleW;
            p += _rackAccels[k] * perAccel;
        }

        return p;
    }

    private void StartJob(int j)
    {
        var job = _jobs[j];
        long now = _sim.Now.Ticks;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            if (_rackJob[k] >= 0)
            {
                // Gang scheduling: the racks are held by another job; try again when it ends (or in an
                // hour, if that job is stalled at zero clocks and has no end scheduled).
                var holder = _jobEnd[_rackJob[k]];
                _sim.Schedule(holder.IsNone ? new SimTime(now + SimTime.TicksPerHour) : SimTime.Max(holder.Time, new SimTime(now + 1)), _self, TrainingStart, j);
                return;
            }
        }

        _jobRunning[j] = true;
        _jobRemainingS[j] = job.Duration.TotalSeconds;
        _jobSegStart[j] = now;
        _jobSpeed[j] = 1;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            AccrueRack(k, now);
            _rackJob[k] = j;
            _rackPowerW[k] = RackPowerNow(k);
            _jobSpeed[j] = Math.Min(_jobSpeed[j], _rackSpeed[k]);
        }

        _jobSpeed[j] = GateJobSpeed(j, _jobSpeed[j], now);
        RefreshJobRacks(j);
        _jobEnd[j] = _jobSpeed[j] > 0 ? _sim.Schedule(new SimTime(now + Ticks(_jobRemainingS[j] / _jobSpeed[j])), _self, TrainingEnd, j) : default;
    }

    private void UpdateJobSpeed(int j, long now)
    {
        var job = _jobs[j];
        double speed = 1;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            speed = Math.Min(speed, _rackSpeed[k]);
        }

        BankRankBusy(j, now);
        _jobBusyAccelTicks[j] += (long)((now - _jobSegStart[j]) * JobBusyAccels(j) * job.Utilisation);
        _jobRemainingS[j] = Math.Max(0, _jobRemainingS[j] - (now - _jobSegStart[j]) / 1e6 * _jobSpeed[j]);
        _jobSegStart[j] = now;
        _jobSpeed[j] = GateJobSpeed(j, speed, now);
        if (!_jobEnd[j].IsNone)
        {
            _sim.Cancel(_jobEnd[j]);
        }

        _jobEnd[j] = _jobSpeed[j] > 0 ? _sim.Schedule(new SimTime(now + Ticks(_jobRemainingS[j] / _jobSpeed[j])), _self, TrainingEnd, j) : default;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            AccrueRack(k, now);
            _rackPowerW[k] = RackPowerNow(k);
        }
    }

    private void EndJob(int j)
    {
        var job = _jobs[j];
        long now = _sim.Now.Ticks;
        BankRankBusy(j, now);
        _jobBusyAccelTicks[j] += (long)((now - _jobSegStart[j]) * JobBusyAccels(j) * job.Utilisation);
        _jobRunning[j] = false;
        _jobEnd[j] = default;
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            AccrueRack(k, now);
            _rackJob[k] = -1;
            _rackPowerW[k] = RackPowerNow(k);
        }
    }

    private long JobAccels(int j)
    {
        long n = 0;
        for (int k = _jobs[j].FirstRack; k < _jobs[j].FirstRack + _jobs[j].RackCount; k++)
        {
            n += _rackAccels[k];
        }

        return n;
    }

    private static long Ticks(double seconds) => Math.Max(1, (long)Math.Round(seconds * SimTime.TicksPerSecond));

    private struct Request
    {
        public long Id;
        public long Arrival;
        public long Dispatch;
        public long FirstToken;
        public double EnergyJ;
        public int Class;
        public int Prompt;
        public int Output;
        public int Generated;
        public int PrefillNeeded;
        public int Replica;
        public int Pool;
        public int Next;
        public int Defers;
        public int Preemptions;
        public bool Throttled;
        public long JoinIter;
        public long FinishIter;
        public double EnergyMark;
        public long ThrottleMark;
    }
}
