using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// The hall at fluid level: per step, the arrival rate of each class (the rate its process
/// expects, averaged over the step) is spread over its pool's replicas, and each replica's
/// continuous batching is solved in the mean — prefill and decode time fractions, the mean
/// running batch (the number decoding seen when an iteration runs, from Little's law with a
/// Poisson occupancy), queueing for batch slots by Erlang C — into utilisation, power and
/// latency. Demand beyond a replica's capacity waits in a backlog. Power follows the same phase
/// model and speed factors as <see cref="ComputeHall"/>, so the two agree where they overlap.
/// </summary>
public sealed partial class FluidHall : IItLoad
{
    private static readonly int TokenQuantiles = FluidLatency.StrataCount;
    private readonly ComputeHallSpec _spec;
    private readonly IArrivalProcess[] _arrivals;
    private readonly ClassStats[] _classes;
    private readonly double[][] _classShare;   // [class][pool]: share of the class's requests the pool gets
    private readonly double[] _poolRequests;
    private readonly double[] _poolPromptTokens;
    private readonly double[] _poolOutputTokens;
    private readonly double[] _poolBusyAccelS;
    private readonly PoolState[] _pools;
    private readonly double[] _rackEnergyJ;
    private readonly double[] _rackSpeed;
    private readonly double[] _rackStaticW;
    private readonly int[] _rackPool;
    private readonly int[] _poolStoppedRacks;  // per pool: its racks at clock 0 now
    private readonly bool[] _poolHadStopped;   // per pool: whether any was at clock 0 at its last retry pass
    private readonly int[] _rackReplicas;
    private readonly int[] _rackTrainingAccels;
    private readonly AcceleratorSpec?[] _rackTrainingAccel;
    private readonly double[] _backlog;
    private readonly double[] _jobRemainingS;
    private readonly bool[] _jobRunning;
    private readonly int[] _rackJob;
    private readonly double[] _classRate;

    // Per pool, each class's arrival rate on it when its step mix (PoolState.StepBatchS) was last
    // worked: state, as the mix is, so a restored hall's pair agree.
    private double[][]? _mixClassLoads;
    private bool[]? _mixClassLoadsKnown;
    private readonly double _totalAccels;
    private double _busyAccelS;
    private SimTime _last;

    private sealed class ClassStats
    {
        public double MeanPrompt, MeanOutput;
        public required double[] MeanPrefill1S; // per pool: mean prefill time of one prompt on its serving model
        public required double[]?[] PrefillBatchS; // per pool that serves it: expected prefill time of k queued prompts (FluidHall.Prefill)
        public readonly double[] PromptQ = new double[TokenQuantiles];
        public readonly double[] OutputQ = new double[TokenQuantiles];
        public required SloSpec Slo;
    }

    private sealed class PoolState
    {
        public required PoolSpec Spec;
        public int Replicas;

        // Scaling: replicas [0, Active) serve, [Active, Active + Waking) load weights, the rest are parked.
        public int Active;
        public int Waking;
        public double BelowSinceS = double.NaN;
        public readonly Queue<(long ReadyTicks, int Count)> Wakes = new(16);
        public double ScaleCapPrompt = double.NaN, ScaleCapOutput = double.NaN, ScaleCap;
        public int CachedActive;
        public double CachedF = double.NaN, CachedLambda = double.NaN, CachedPrompt = double.NaN, CachedOutput = double.NaN;
        public Solution Cached;
        public double CapF = double.NaN, CapPrompt = double.NaN, CapOutput = double.NaN, CapPrefill = double.NaN, Capacity;

        // Racks whose replicas saw the same solution record their latencies together.
        public bool HasPending;
        public Solution Pending;
        public double PendingWaitS, PendingShare;

        // What the pending solution was solved at, to solve it again per arrival phase (FluidHall.Phases).
        public double PendingF, PendingLambda, StepPrompt, StepOutput, StepPrefill1;

        // The step's expected prefill time of k queued prompts (FluidHall.Prefill), or null.
        public double[]? StepBatchS;
    }

    private struct Solution
    {
        public double Prefill, Decode, TtftS, TpotS, CapacityPerS, PrefillBatchS, DecodeS;

        // The wait for a batch slot (in TtftS as its mean): its probability and its mean when it happens.
        public double SlotWaitProbability, SlotWaitGivenS;

        // Prompts in a joiner's prefill batch (requests joining a busy replica during an iteration prefill
        // together), and that batch's time (PrefillBatchS, the length of a decode interruption).
        public double PrefillBatchSize;

        // A request that finds an idle replica (a share 1 − JoinShare) prefills alone at once: its own
        // prompt's time over PrefillSpeed (StartPrefillS at the mean). One that joins a busy replica
        // waits JoinWaitS more on average: the iteration in progress and the others in its prefill.
        public double StartPrefillS, PrefillSpeed, JoinShare, JoinWaitS;

        // Arrivals per second that join a replica holding a prompt: they make its next iteration a prefill (FluidHall.Tails).
        public double PrefillJoinPerS;

        // The mean running batch of a busy replica, and what one more request adds to its decode step, s.
        public double DecodeBatch, DecodeStepPerRequestS;

        // Per accelerator at full clocks: expected busy power in each phase (decode over the batch
        // distribution), W; the share of each phase's wall time spent computing at the solved clock;
        // the mean running batch over the largest.
        public double PrefillBusyW, DecodeBusyW, PrefillComputeWall, DecodeComputeWall, Occupancy;
    }

    /// <summary>Builds the fluid hall for a compute spec and one arrival process per class (in the spec's class order).</summary>
    public FluidHall(ComputeHallSpec spec, IReadOnlyList<IArrivalProcess> arrivals, RandomStream tokenSampler)
    {
        if (arrivals.Count != spec.Classes.Count)
        {
            throw new ArgumentException($"Expected one arrival process per class ({spec.Classes.Count}), got {arrivals.Count}.", nameof(arrivals));
        }

        _spec = spec;
        _arrivals = [.. arrivals];
        int racks = spec.RackCount;
        RackCount = racks;
        _rackEnergyJ = new double[racks];
        _rackSpeed = new double[racks];
        Array.Fill(_rackSpeed, 1.0);
        _rackStaticW = new double[racks];
        _rackPool = new int[racks];
        Array.Fill(_rackPool, -1);
        _rackReplicas = new int[racks];
        _rackTrainingAccels = new int[racks];
        _rackTrainingAccel = new AcceleratorSpec?[racks];
        _backlog = new double[racks];
        _rackJob = new int[racks];
        Array.Fill(_rackJob, -1);

        _pools = new PoolState[spec.Pools.Count];
        _poolStoppedRacks = new int[spec.Pools.Count];
        _poolHadStopped = new bool[spec.Pools.Count];
        for (int i = 0; i < spec.Pools.Count; i++)
        {
            var p = spec.Pools[i];
            _pools[i] = new PoolState { Spec = p, Replicas = p.ReplicasPerRack * p.RackCount, Active = p.ReplicasPerRack * p.RackCount };
            for (int k = p.FirstRack; k < p.FirstRack + p.RackCount; k++)
            {
                _rackPool[k] = i;
                _rackReplicas[k] = p.ReplicasPerRack;
                _rackStaticW[k] = p.RackStaticW;
                _totalAccels += p.AcceleratorsPerRack;
            }
        }

        foreach (var t in spec.TrainingRacks ?? [])
        {
            for (int k = t.FirstRack; k < t.FirstRack + t.RackCount; k++)
            {
                _rackStaticW[k] = t.RackStaticW;
                _rackTrainingAccels[k] = t.ServersPerRack * t.Server.AcceleratorsPerServer;
                _rackTrainingAccel[k] = t.Server.Accelerator;
                _totalAccels += _rackTrainingAccels[k];
            }
        }

        var jobs = spec.TrainingJobs ?? [];
        _jobRemainingS = [.. jobs.Select(j => j.Duration.TotalSeconds)];
        _jobRunning = new bool[jobs.Count];

        _classes = new ClassStats[spec.Classes.Count];
        _classShare = PoolRouting.Shares(spec);
        _classRate = new double[spec.Classes.Count];
        _poolRequests = new double[spec.Pools.Count];
        _poolPromptTokens = new double[spec.Pools.Count];
        _poolOutputTokens = new double[spec.Pools.Count];
        _poolBusyAccelS = new double[spec.Pools.Count];
        Metrics = [.. spec.Classes.Select(c => new FluidClassMetrics(c.Name))];
        for (int c = 0; c < spec.Classes.Count; c++)
        {
            _classes[c] = Stats(spec.Classes[c], spec.Pools, _classShare[c], tokenSampler);
        }
    }

    /// <summary>Each pool's totals so far, in spec order.</summary>
    public IReadOnlyList<PoolTotals> PoolTotals()
    {
        var result = new PoolTotals[_pools.Length];
        for (int i = 0; i < _pools.Length; i++)
        {
            var p = _pools[i].Spec;
            double energy = 0;
            for (int k = p.FirstRack; k < p.FirstRack + p.RackCount; k++)
            {
                energy += _rackEnergyJ[k];
            }

            result[i] = new PoolTotals(p.Name, p.AcceleratorsPerRack * p.RackCount, _poolRequests[i], _poolPromptTokens[i], _poolOutputTokens[i], _poolBusyAccelS[i], energy);
        }

        return result;
    }

    /// <summary>Replicas of pool <paramref name="pool"/> serving now (the rest wake or are parked).</summary>
    public int ServingReplicas(int pool) => _pools[pool].Active;

    /// <summary>Replicas of pool <paramref name="pool"/> parked now.</summary>
    public int ParkedReplicas(int pool) => _pools[pool].Replicas - _pools[pool].Active - _pools[pool].Waking;

    /// <summary>The share of class <paramref name="classIndex"/>'s requests pool <paramref name="pool"/> gets.</summary>
    public double PoolShare(int classIndex, int pool) => _classShare[classIndex][pool];

    /// <inheritdoc/>
    public int RackCount { get; }

    /// <summary>Per-class metrics, in the spec's class order.</summary>
    public IReadOnlyList<FluidClassMetrics> Metrics { get; }

    /// <summary>
    /// Whether served requests feed the latency distributions and SLO counts (true); a caller that
    /// reads only power, heat and throughput (a calibration's forward run) turns it off and saves the
    /// per-stratum work. Nothing in the physics reads them.
    /// </summary>
    public bool RecordsLatencyDistributions { get; set; } = true;

    /// <summary>
    /// Whether the requests the racks serve are recorded in the class metrics at all, counts included
    /// (true); a caller that reads only rack power and energy (a plant's design year) turns it off and
    /// saves the latency work of every step. Power, heat and throughput are the same bits either way.
    /// Requests held for a waking replica (a pool scaled to zero) are recorded still.
    /// </summary>
    public bool RecordsLatencies { get; set; } = true;

    /// <summary>
    /// Whether each step keeps what the racks served and how busy they were: the hall's, pools' and
    /// racks' busy accelerator-time and the pools' requests and tokens (true). A caller that reads
    /// only rack power and energy (a plant's design year) turns it off with <see cref="RecordsLatencies"/>:
    /// a step then adds to the racks' energy alone, with nothing to share between racks. Rack power,
    /// energy and heat are the same bits either way; training racks keep their busy time still.
    /// </summary>
    public bool RecordsServed { get; set; } = true;

    // Whether a rack's shared part has nothing to do: nothing served kept, no latencies recorded,
    // and no requests held for a wake-up (whose latencies are recorded whatever the setting).
    private bool SharesNothing => !RecordsServed && !RecordsLatencies && _wakeWaiters is null;

    // Records the pool's pending latencies, or drops them where none are recorded.
    private void FlushPending(int poolIndex)
    {
        if (RecordsLatencies)
        {
            FlushLatencies(poolIndex);
        }
        else
        {
            _pools[poolIndex].HasPending = false;
        }
    }

    /// <summary>Share of the lowest-priority (last) class's arrivals shed at admission, 0–1.</summary>
    public double ShedFraction { get; set; }

    /// <summary>Scales class <paramref name="classIndex"/>'s arrival rate from the next step on (1 = as the scenario says).</summary>
    public void SetArrivalScale(int classIndex, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        (_rateScale ??= CreateScales(_classRate.Length))[classIndex] = scale;
    }

    private static double[] CreateScales(int n)
    {
        var a = new double[n];
        Array.Fill(a, 1.0);
        return a;
    }

    private double[]? _rateScale;

    /// <summary>Requests waiting beyond the replicas' capacity, summed over the hall.</summary>
    public double Backlog => _backlog.Sum();

    /// <inheritdoc/>
    public double MeanUtilisation => _last.Ticks > 0 && _totalAccels > 0 ? _busyAccelS / (_totalAccels * _last.TotalSeconds) : 0;

    /// <inheritdoc/>
    public double RackEnergyJ(int rack) => _rackEnergyJ[rack];

    /// <summary>Every rack's energy since the start, J (<see cref="RackEnergyJ"/> of each, in rack order).</summary>
    public ReadOnlySpan<double> RackEnergiesJ => _rackEnergyJ;

    /// <inheritdoc/>
    public void SetRackSpeedFactor(int rack, double speedFactor)
    {
        double f = Math.Clamp(speedFactor, 0, 1);
        int pool = _rackPool[rack];
        if (pool >= 0 && (_rackSpeed[rack] > 0) != (f > 0))
        {
            _poolStoppedRacks[pool] += f > 0 ? -1 : 1;
        }

        _rackSpeed[rack] = f;
    }

    /// <inheritdoc/>
    public void SetRackTemperatureC(int rack, double temperatureC)
    {
        // The fluid model spreads load evenly; where a request goes within a pool does not change its means.
    }

    /// <summary>Moves the clock to <paramref name="now"/> without serving or accruing anything (the time ran at request level).</summary>
    public void SkipTo(SimTime now) => _last = SimTime.Max(_last, now);

    /// <summary>Accelerator-seconds busy since the start (utilisation times accelerators times time).</summary>
    public double BusyAcceleratorSeconds => _busyAccelS;

    /// <inheritdoc/>
    public void AdvanceTo(SimTime now)
    {
        double dt = (now - _last).TotalSeconds;
        if (dt <= 0)
        {
            return;
        }

        var t0 = _last;
        _last = now;
        var rates = SpanRates(t0, now);
        for (int c = 0; c < _classRate.Length; c++)
        {
            double rate = rates[c];
            if (_rateScale is { } scale)
            {
                rate *= scale[c];
            }

            Metrics[c].Arrived += rate * dt;
            if (c == _classRate.Length - 1)
            {
                Metrics[c].Rejected += rate * ShedFraction * dt;
                rate *= 1 - ShedFraction;
            }

            _classRate[c] = rate;
        }

        for (int i = 0; i < _pools.Length; i++)
        {
            AdvancePool(i, t0, now, dt);
        }

        AdvanceTraining(t0, dt);
    }

    private void AdvancePool(int poolIndex, SimTime t0, SimTime now, double dt)
    {
        var pool = _pools[poolIndex];
        var spec = pool.Spec;
        var scaling = spec.ScalingPolicy;
        bool scaled = scaling.Mode == ScalingMode.SloDriven;
        while (pool.Wakes.Count > 0 && pool.Wakes.Peek().ReadyTicks <= t0.Ticks)
        {
            var (_, count) = pool.Wakes.Dequeue();
            pool.Active += count;
            pool.Waking -= count;
        }

        double lambda = 0, prompt = 0, output = 0, prefill1 = 0;
        for (int c = 0; c < _classes.Length; c++)
        {
            double l = _classRate[c] * _classShare[c][poolIndex];
            if (l > 0)
            {
                lambda += l;
                prompt += l * _classes[c].MeanPrompt;
                output += l * _classes[c].MeanOutput;
                prefill1 += l * _classes[c].MeanPrefill1S[poolIndex];
            }
        }

        if (lambda > 0)
        {
            prompt /= lambda;
            output /= lambda;
            prefill1 /= lambda;
        }

        // With every class's load on the pool the bits the step's mix was last worked at, so is the mix.
        bool sameLoads = SameClassLoads(poolIndex, _mixClassLoads ??= CreateLoads(_pools.Length, _classes.Length), _mixClassLoadsKnown ??= new bool[_pools.Length]);
        if (!sameLoads)
        {
            pool.StepBatchS = MixPrefillBatches(poolIndex, lambda);
        }

        // The step before's again, where everything it read is the same bits (FluidHall.Replay).
        if (sameLoads && !scaled && TryReplay(poolIndex, dt))
        {
            _flushReplayed = true;
            FlushPending(poolIndex);
            _flushReplayed = false;
            return;
        }

        ForgetReplay(poolIndex);

        int active = pool.Active;
        // With every rack of the pool up, its serving replicas are all of them (or, scaled, the active
        // ones): the sum ReplicasUp takes rack by rack, without the pass over the racks.
        bool anyStopped = _poolStoppedRacks[poolIndex] > 0;
        int up = anyStopped ? ReplicasUp(pool, scaled) : scaled ? Math.Clamp(pool.Active, 0, pool.Replicas) : pool.Replicas;
        double lambdaReplica = up > 0 ? lambda / up : 0;
        var accel = spec.Server.Accelerator;
        double perReplicaAccels = spec.AcceleratorsPerReplica;
        double parkedW = perReplicaAccels * (double.IsNaN(scaling.ParkedAcceleratorW) ? accel.IdleW : scaling.ParkedAcceleratorW);
        if (scaled)
        {
            SpreadBacklog(pool, lambda * dt);
        }

        // With no rack stopped now nor at the last pass, the pass would move nothing and change nothing.
        _rackInFlight ??= new double[RackCount];
        if (anyStopped || _poolHadStopped[poolIndex])
        {
            RetryFromStoppedRacks(poolIndex, up, lambda, dt, scaled);
            _poolHadStopped[poolIndex] = anyStopped;
        }

        if (scaled)
        {
            HoldForWakeUp(poolIndex, t0, now, lambda);
        }

        ServeRacks(poolIndex, lambda, lambdaReplica, prompt, output, prefill1, dt, scaled, active, perReplicaAccels, parkedW);
        FlushPending(poolIndex);
        if (scaled && Math.Floor(now.TotalSeconds / scaling.IntervalS) > Math.Floor(t0.TotalSeconds / scaling.IntervalS))
        {
            Scale(pool, lambda, prompt, output, now);
        }
    }

    // The pool's backlog goes to its serving racks in proportion to their serving replicas; with
    // none serving, it waits on the first rack (and the step's arrivals with it).
    private void SpreadBacklog(PoolState pool, double arrivingWithNoneActive)
    {
        var spec = pool.Spec;
        double total = 0;
        for (int k = spec.FirstRack; k < spec.FirstRack + spec.RackCount; k++)
        {
            total += _backlog[k];
            _backlog[k] = 0;
        }

        if (pool.Active == 0)
        {
            _backlog[spec.FirstRack] = total + arrivingWithNoneActive;
            return;
        }

        for (int k = spec.FirstRack; k < spec.FirstRack + spec.RackCount; k++)
        {
            int n = Math.Clamp(pool.Active - ((k - spec.FirstRack) * spec.ReplicasPerRack), 0, _rackReplicas[k]);
            _backlog[k] = total * n / pool.Active;
        }
    }

    // Sizes the fleet for the load of the step that just ended, as the request-level hall does at its ticks.
    private static void Scale(PoolState pool, double lambda, double prompt, double output, SimTime now)
    {
        var scaling = pool.Spec.ScalingPolicy;
        if (lambda > 0 && (prompt != pool.ScaleCapPrompt || output != pool.ScaleCapOutput))
        {
            pool.ScaleCap = Capacity(pool.Spec, 1, prompt, output, pool.Spec.Serving.PrefillTimeS(prompt), null);
            (pool.ScaleCapPrompt, pool.ScaleCapOutput) = (prompt, output);
        }

        int wanted = scaling.SizesOnTtft
            ? scaling.Clamp(ReplicasForTtft(pool.Spec, lambda, prompt, output, pool.Replicas, scaling.TargetTtftS), lambda, pool.Replicas)
            : scaling.Wanted(lambda, pool.ScaleCap, pool.Replicas);
        int on = pool.Active + pool.Waking;
        if (wanted > on)
        {
            pool.Wakes.Enqueue((now.Ticks + SimTime.FromSeconds(scaling.WakeUpS).Ticks, wanted - on));
            pool.Waking += wanted - on;
        }

        if (wanted >= pool.Active)
        {
            pool.BelowSinceS = double.NaN;
            return;
        }

        // Waking replicas no longer wanted go back to sleep at once.
        pool.Waking = 0;
        pool.Wakes.Clear();
        if (double.IsNaN(pool.BelowSinceS))
        {
            pool.BelowSinceS = now.TotalSeconds;
        }

        if (now.TotalSeconds - pool.BelowSinceS >= scaling.ScaleDownDelayS - 1e-6)
        {
            pool.Active = wanted;
            pool.BelowSinceS = double.NaN;
        }
    }

    private static bool SameSolution(in Solution a, in Solution b) =>
        a.TtftS == b.TtftS && a.TpotS == b.TpotS && a.PrefillBatchS == b.PrefillBatchS && a.SlotWaitProbability == b.SlotWaitProbability;

    private bool RacksFree(TrainingJobSpec job)
    {
        for (int k = job.FirstRack; k < job.FirstRack + job.RackCount; k++)
        {
            if (_rackJob[k] >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
