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
    private readonly int[] _rackReplicas;
    private readonly int[] _rackTrainingAccels;
    private readonly AcceleratorSpec?[] _rackTrainingAccel;
    private readonly double[] _backlog;
    private readonly double[] _jobRemainingS;
    private readonly bool[] _jobRunning;
    private readonly int[] _rackJob;
    private readonly double[] _classRate;
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
        for (int i = 0; i < spec.Pools.Count; i++)
        {
            var p = spec.Pools[i];
            _pools[i] = new PoolState { Spec = p, Replicas = p.ReplicasPerRack * p.RackCount, Active = p.ReplicasPerRack * p.RackCount };
            int spare = p.AcceleratorsPerRack - p.ReplicasPerRack * p.AcceleratorsPerReplica;
            for (int k = p.FirstRack; k < p.FirstRack + p.RackCount; k++)
            {
                _rackPool[k] = i;
                _rackReplicas[k] = p.ReplicasPerRack;
                _rackStaticW[k] = p.ServersPerRack * p.Server.HostPowerW + spare * p.Server.Accelerator.IdleW;
                _totalAccels += p.AcceleratorsPerRack;
            }
        }

        foreach (var t in spec.TrainingRacks ?? [])
        {
            for (int k = t.FirstRack; k < t.FirstRack + t.RackCount; k++)
            {
                _rackStaticW[k] = t.ServersPerRack * t.Server.HostPowerW;
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

    /// <inheritdoc/>
    public void SetRackSpeedFactor(int rack, double speedFactor) => _rackSpeed[rack] = Math.Clamp(speedFactor, 0, 1);

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
        for (int c = 0; c < _classRate.Length; c++)
        {
            // Simpson's rule over the step: exact for the hourly-constant and piecewise-linear profiles within a step.
            // The step's end is read just inside it, so a profile that changes at the end belongs to the next step.
            var mid = new SimTime(t0.Ticks + (now.Ticks - t0.Ticks) / 2);
            var end = new SimTime(Math.Max(t0.Ticks, now.Ticks - 1));
            double rate = (_arrivals[c].RatePerS(t0) + 4 * _arrivals[c].RatePerS(mid) + _arrivals[c].RatePerS(end)) / 6;
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

        pool.StepBatchS = MixPrefillBatches(poolIndex, lambda);

        int active = pool.Active;
        int up = ReplicasUp(pool, scaled);
        double lambdaReplica = up > 0 ? lambda / up : 0;
        var accel = spec.Server.Accelerator;
        double perReplicaAccels = spec.AcceleratorsPerReplica;
        double parkedW = perReplicaAccels * (double.IsNaN(scaling.ParkedAcceleratorW) ? accel.IdleW : scaling.ParkedAcceleratorW);
        if (scaled)
        {
            SpreadBacklog(pool, lambda * dt);
        }

        RetryFromStoppedRacks(poolIndex, up, lambda, dt, scaled);
        if (scaled)
        {
            HoldForWakeUp(poolIndex, t0, now, lambda);
        }

        for (int k = spec.FirstRack; k < spec.FirstRack + spec.RackCount; k++)
        {
            // Serving replicas fill the racks in order (consolidation); then the waking, then the parked.
            int baseReplica = (k - spec.FirstRack) * spec.ReplicasPerRack;
            int n = scaled ? Math.Clamp(active - baseReplica, 0, _rackReplicas[k]) : _rackReplicas[k];
            int waking = scaled ? Math.Clamp(active + pool.Waking - baseReplica, 0, _rackReplicas[k]) - n : 0;
            int parked = _rackReplicas[k] - n - waking;
            double f = _rackSpeed[k];
            double replicaW = perReplicaAccels * accel.IdleW;
            double served = 0;
            if (f > 0 && n > 0)
            {
                // Demand on each replica: its share of the arrivals plus what its backlog can drain this step.
                double backlogPer = _backlog[k] / n;
                var s = Solve(pool, lambdaReplica, f, prompt, output, prefill1);
                double offered = lambdaReplica + backlogPer / dt;
                served = Math.Min(offered, s.CapacityPerS);
                if (served < offered || backlogPer > 0)
                {
                    s = Solve(pool, served, f, prompt, output, prefill1);
                }

                double newBacklog = Math.Max(0, backlogPer + (lambdaReplica - served) * dt);
                _backlog[k] = newBacklog * n;
                double busy = Math.Min(1, s.Prefill + s.Decode);
                // A replica is in one phase at a time: where the solved phase shares overrun its time, they share it.
                double phases = Math.Max(1, s.Prefill + s.Decode);
                replicaW = perReplicaAccels * (accel.IdleW + AcceleratorSpec.DynamicScale(f) * (((s.PrefillBusyW - accel.IdleW) * s.Prefill) + ((s.DecodeBusyW - accel.IdleW) * s.Decode)) / phases);
                _busyAccelS += busy * perReplicaAccels * n * dt;
                AccrueSteps(s, phases, busy, perReplicaAccels, n, dt);
                _poolBusyAccelS[poolIndex] += busy * perReplicaAccels * n * dt;
                _poolRequests[poolIndex] += served * n * dt;
                _poolPromptTokens[poolIndex] += served * n * dt * prompt;
                _poolOutputTokens[poolIndex] += served * n * dt * output;
                _rackInFlight![k] = n * served * (s.TtftS + (Math.Max(0, output - 1) * s.TpotS));
                double waitS = served > 0 ? newBacklog / served : 0;
                double share = ((served * n * dt) - ServeWakeWaiters(poolIndex, s, waitS, backlogPer * n, served * n * dt)) / Math.Max(lambda, 1e-300);
                waitS += BehindWakeWaitersS(poolIndex, s, lambdaReplica, dt);
                if (pool.HasPending && SameSolution(pool.Pending, s) && pool.PendingWaitS == waitS)
                {
                    pool.PendingShare += share;
                }
                else
                {
                    FlushLatencies(poolIndex);
                    pool.HasPending = true;
                    pool.Pending = s;
                    pool.PendingWaitS = waitS;
                    pool.PendingShare = share;
                    (pool.PendingF, pool.PendingLambda, pool.StepPrompt, pool.StepOutput, pool.StepPrefill1) = (f, served, prompt, output, prefill1);
                }
            }

            _rackEnergyJ[k] += (_rackStaticW[k] + (n * replicaW) + (waking * perReplicaAccels * accel.IdleW) + (parked * parkedW)) * dt;
        }

        FlushLatencies(poolIndex);
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

    private void FlushLatencies(int poolIndex)
    {
        var pool = _pools[poolIndex];
        if (pool.HasPending)
        {
            if (!RecordPhased(poolIndex))
            {
                RecordLatencies(poolIndex, pool.Pending, pool.PendingWaitS, pool.PendingShare);
            }

            pool.HasPending = false;
        }
    }

    // Each class's served requests, spread over its token strata (FluidLatency): a request with the
    // j-th prompt and output stratum sees the solved iteration times at those lengths, and its time
    // per token varies with the prefill batches that interrupt its decoding.
    private void RecordLatencies(int poolIndex, in Solution s, double waitS, double servedShare, int phasedClass = -1, double phaseShare = 1, double phaseFactor = 1)
    {
        Span<double> tpots = stackalloc double[FluidLatency.MaxTpotPoints];
        Span<double> probs = stackalloc double[FluidLatency.MaxTpotPoints];
        Span<double> waits = stackalloc double[FluidLatency.MaxWaitPoints];
        Span<double> waitProbs = stackalloc double[FluidLatency.MaxWaitPoints];
        int waitPoints = WaitBeforePrefill(poolIndex, s, waits, waitProbs, out double interruptionCv2);
        double meanWaitS = 0;
        for (int i = 0; i < waitPoints; i++)
        {
            meanWaitS += waits[i] * waitProbs[i];
        }

        for (int c = 0; c < _classes.Length; c++)
        {
            double rate = _classRate[c] * _classShare[c][poolIndex];
            if (rate <= 0)
            {
                continue;
            }

            var cls = _classes[c];
            var m = Metrics[c];
            double count = rate * servedShare * phaseShare * (c == phasedClass ? phaseFactor : 1);
            double scale = s.PrefillSpeed > 0 ? 1 / s.PrefillSpeed : 1;

            // Request level draws prompt and output lengths independently: the end-to-end latency of the
            // j-th output stratum takes the mean own prefill and the mean wait before it, not the j-th
            // prompt's (that paired the longest prompts with the longest outputs: the code class's E2E
            // p99 25 % high, its median 10 % low), and is recorded once per time-per-token point (the
            // SLO is still judged at each wait point).
            double e2eOwnS = waitS + (cls.MeanPrefill1S[poolIndex] * scale);
            var serving = _pools[poolIndex].Spec.Serving;
            for (int j = 0; RecordsLatencyDistributions && j < TokenQuantiles; j++)
            {
                double w = count * FluidLatency.StratumWeight(j);
                double ownPrefillS = waitS + (serving.PrefillTimeS(cls.PromptQ[j]) * scale);
                double iterations = Math.Max(0, cls.OutputQ[j] - 1);
                int points = FluidLatency.TpotPoints(iterations, s.DecodeS, s.PrefillBatchS, s.TpotS, tpots, probs, interruptionCv2);
                for (int n = 0; n < points; n++)
                {
                    m.Tpot.Add(iterations > 0 ? tpots[n] : 0, w * probs[n]);
                    m.E2e.Add(e2eOwnS + meanWaitS + (iterations * tpots[n]), w * probs[n]);
                }

                for (int i = 0; i < waitPoints; i++)
                {
                    double wi = w * waitProbs[i];
                    double ttft = ownPrefillS + waits[i];
                    m.Ttft.Add(ttft, wi);
                    for (int n = 0; n < points; n++)
                    {
                        double wn = wi * probs[n];
                        double e2e = e2eOwnS + waits[i] + (iterations * tpots[n]);
                        if (cls.Slo.IsMet(ttft, tpots[n], e2e))
                        {
                            m.SloMet += wn;
                        }
                    }
                }
            }

            m.Completed += count;
            m.OutputTokensServed += count * cls.MeanOutput;
            m.PromptTokensServed += count * cls.MeanPrompt;
        }
    }

    private Solution Solve(PoolState pool, double lambda, double f, double prompt, double output, double prefill1)
    {
        if (f == pool.CachedF && lambda == pool.CachedLambda && prompt == pool.CachedPrompt && output == pool.CachedOutput && pool.Active == pool.CachedActive)
        {
            return pool.Cached;
        }

        var s = SolveAt(pool.Spec, pool.Active, lambda, f, prompt, output, prefill1, pool.StepBatchS);
        if (f != pool.CapF || prompt != pool.CapPrompt || output != pool.CapOutput || prefill1 != pool.CapPrefill)
        {
            pool.Capacity = Capacity(pool.Spec, f, prompt, output, prefill1, pool.StepBatchS);
            (pool.CapF, pool.CapPrompt, pool.CapOutput, pool.CapPrefill) = (f, prompt, output, prefill1);
        }

        s.CapacityPerS = pool.Capacity;
        pool.CachedF = f;
        pool.CachedLambda = lambda;
        pool.CachedPrompt = prompt;
        pool.CachedOutput = output;
        pool.CachedActive = pool.Active;
        pool.Cached = s;
        return s;
    }

    /// <summary>The per-replica arrival rate at which prefill plus decode at the largest batch fill a replica's time at clock factor <paramref name="f"/>.</summary>
    internal static double ReplicaCapacityPerS(PoolSpec spec, double f, double prompt, double output, double prefill1) => Capacity(spec, f, prompt, output, prefill1, null);

    // The per-replica arrival rate at which prefill plus decode at the largest batch fill the replica's time.
    private static double Capacity(PoolSpec spec, double f, double prompt, double output, double prefill1, double[]? prefillBatchS)
    {
        var serving = spec.Serving;
        double maxBatch = MaxBatch(spec, prompt, output);
        double decodeIters = Math.Max(0, output - 1);
        var roof = spec.Server.Accelerator.Roofline;
        double dFull = serving.DecodeIterationTimeS((int)maxBatch, prompt + (output / 2)) / roof.StepSpeedAt((int)maxBatch, f);
        double shape = serving.PrefillTimeS(prompt) > 0 ? prefill1 / serving.PrefillTimeS(prompt) : 1;
        double kMax = Math.Max(1, spec.Batching.MaxPrefillTokens / Math.Max(1, prompt));
        double BusyAt(double lambda)
        {
            double k = Math.Min(1 + (lambda * dFull), kMax);
            return (lambda * PrefillBatchS(prefillBatchS, serving, k, prompt, shape) / roof.StepSpeedAt(k * prompt, f) / k) + (lambda * decodeIters * dFull / maxBatch);
        }

        double lo = 0, hi = 1;
        while (BusyAt(hi) < 1 && hi < 1e7)
        {
            lo = hi;
            hi *= 2;
        }

        for (int i = 0; i < 50; i++)
        {
            double mid = (lo + hi) / 2;
            if (BusyAt(mid) < 1)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static Solution SolveAt(PoolSpec spec, int replicas, double lambda, double f, double prompt, double output, double prefill1, double[]? prefillBatchS)
    {
        var s = new Solution();
        if (lambda <= 0)
        {
            return s;
        }

        var serving = spec.Serving;
        double maxBatch = MaxBatch(spec, prompt, output);
        double context = prompt + (output / 2);
        double decodeIters = Math.Max(0, output - 1);
        double prefillShape = serving.PrefillTimeS(prompt) > 0 ? prefill1 / serving.PrefillTimeS(prompt) : 1;
        var roof = spec.Server.Accelerator.Roofline;
        int choices = DispatchChoices(spec);
        double kMax = Math.Max(1, spec.Batching.MaxPrefillTokens / Math.Max(1, prompt));
        double p1 = prefill1 / roof.StepSpeedAt(prompt, f);
        double batch = 1, iterS = p1, pJoinS = p1, rhoStart = 0, rhoJoin = 0, rhoP = 0, rhoD = 0, d = 0, busy = 0, tpot = 0, ttft = 0, kJoin = 1, allBusy = 1, joinWaitS = 0;
        for (int i = 0; i < 60; i++)
        {
            // Dispatch sends a request to an idle replica while one of its draws is (a share 1 − allBusy
            // of arrivals): it prefills alone, at once, and starts that replica's busy period. The rest
            // join a busy replica: they wait for its iteration in progress and prefill together with the
            // others that joined it during that iteration (FluidHall.Dispatch: where joiners land).
            double joinRate = busy > 0 ? lambda * allBusy / busy : lambda;
            double inPrefill = busy > 0 ? Math.Min(1, rhoP / busy) : 0;
            double onPrefill = JoinsOnPrefill(choices, inPrefill, prompt, batch * output);
            kJoin = Math.Min(1 + (joinRate * (inPrefill > 0 ? onPrefill / inPrefill : 1) * iterS), kMax);
            pJoinS = PrefillBatchS(prefillBatchS, serving, kJoin, prompt, prefillShape) / roof.StepSpeedAt(kJoin * prompt, f);
            rhoStart = lambda * (1 - allBusy) * p1;
            rhoJoin = lambda * allBusy * pJoinS / kJoin;
            rhoP = rhoStart + rhoJoin;
            d = DecodeStepS(serving, roof, batch, context, f);

            // Only the joiners' prefills interrupt decoding requests (a replica that was idle had none);
            // taking every prefill as an interruption put the metro day's code pool (power-of-two, 40-60 %
            // busy) 30 % slow per token and 10-20 % busier than request level.
            // A decoding request's wall time is the decode steps and the joiners' prefills: d·(ρD + ρJ)/ρD.
            double interrupted = busy > 0 ? rhoJoin / Math.Max(1e-300, rhoD + rhoJoin) : rhoP;
            tpot = d / Math.Max(1e-6, 1 - Math.Min(0.999, interrupted));

            // A joiner waits for the rest of the iteration in progress (a prefill where it landed on a
            // replica holding a prompt, else a decode step) and for the other prompts of its own prefill.
            double prefillIterS = rhoP > 0 ? ((rhoStart * p1) + (rhoJoin * pJoinS)) / rhoP : p1;
            joinWaitS = (onPrefill * prefillIterS / 2) + ((1 - onPrefill) * d / 2) + Math.Max(0, pJoinS - p1);
            ttft = p1 + (allBusy * joinWaitS);
            double inSystem = lambda * replicas * (ttft + (decodeIters * tpot));

            // Balanced dispatch: with N requests in the pool, min(N, replicas) replicas are busy.
            if (choices > 0)
            {
                // The better of a few random draws: fewer replicas busy than under perfect balance (FluidHall.Dispatch).
                double u = BusyShare(inSystem / replicas, choices);
                busy = Math.Max(rhoP, u);
                allBusy = Math.Pow(u, choices);
            }
            else
            {
                busy = Math.Max(rhoP, ExpectedMin(inSystem, replicas) / replicas);
                allBusy = AtLeast(inSystem, replicas);
            }
            rhoD = Math.Max(busy - rhoP, 0);
            double next = decodeIters > 0 && rhoD > 0 ? lambda * decodeIters * d / rhoD : 1;
            next = Math.Clamp(next, 1, maxBatch);
            if (decodeIters > 0 && next >= maxBatch)
            {
                rhoD = lambda * decodeIters * d / maxBatch;
            }

            iterS = rhoP + rhoD > 0 ? ((rhoP * prefillIterS) + (rhoD * d)) / (rhoP + rhoD) : d;
            if (Math.Abs(next - batch) < 1e-6 * next && i > 2)
            {
                break;
            }

            batch = (batch + next) / 2;
        }

        s.Prefill = rhoP;
        s.Decode = rhoD;
        s.PrefillBatchS = pJoinS;
        s.StartPrefillS = p1;
        s.PrefillSpeed = roof.StepSpeedAt(prompt, f);
        s.JoinShare = allBusy;
        s.JoinWaitS = joinWaitS;
        s.TpotS = tpot;

        // Prompts per prefill iteration: alone after an idle replica, kJoin together after a busy one.
        SetStepPower(ref s, spec, prompt / ((1 - allBusy) + (allBusy / kJoin)), batch, maxBatch, f);
        s.DecodeS = d;

        // Waiting for a batch slot: the pool's running batches as an M/M/c queue of slots.
        double slotWait = 0, slotProbability = 0, slotGivenS = 0;
        if (decodeIters > 0)
        {
            double slots = maxBatch * replicas;
            double holdS = (decodeIters * tpot) + pJoinS;
            double offered = lambda * replicas * holdS;
            // Far below the slot count the wait probability is below 1e-9: skip the O(c) recursion.
            if (slots - offered < 6 * Math.Sqrt(Math.Max(offered, 1)) && slots < 1e6)
            {
                int c = (int)slots;
                slotProbability = offered < c ? ErlangC(c, offered) : 1;
                slotGivenS = offered < c ? holdS / (c - offered) : holdS;
                slotWait = slotProbability * slotGivenS;
            }
        }

        s.TtftS = slotWait + ttft;
        s.SlotWaitProbability = slotProbability;
        s.SlotWaitGivenS = slotGivenS;
        s.PrefillBatchSize = kJoin;
        return s;
    }

    private static double MaxBatch(PoolSpec spec, double prompt, double output) =>
        Math.Min(spec.Batching.MaxBatch, Math.Max(1, spec.Batching.KvCacheTokens / Math.Max(1, prompt + output)));

    // P(N ≥ m) for N ~ Poisson(mean): every one of m replicas holds a request. Exact by summation
    // for small means, normal with continuity correction beyond.
    private static double AtLeast(double mean, int m)
    {
        if (mean <= 0)
        {
            return m <= 0 ? 1 : 0;
        }

        if (mean > 60)
        {
            return 1 - NormalCdf((m - 0.5 - mean) / Math.Sqrt(mean));
        }

        double p = Math.Exp(-mean), below = 0;
        for (int k = 0; k < m; k++)
        {
            below += p;
            p *= mean / (k + 1);
        }

        return Math.Clamp(1 - below, 0, 1);
    }

    // E[min(N, m)] for N ~ Poisson(mean): exact by summation for small means, normal beyond.
    private static double ExpectedMin(double mean, int m)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 60)
        {
            double sd = Math.Sqrt(mean);
            double z = (m - mean) / sd;
            double phi = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            double excess = sd * (phi - (z * (1 - NormalCdf(z))));
            return mean - excess;
        }

        double p = Math.Exp(-mean), below = 0, sum = 0;
        for (int k = 0; k < m; k++)
        {
            sum += k * p;
            below += p;
            p *= mean / (k + 1);
        }

        return sum + (m * Math.Max(0, 1 - below));
    }

    private static double NormalCdf(double z)
    {
        // Abramowitz and Stegun 7.1.26 on erf: error below 1.5e-7.
        double x = Math.Abs(z) / Math.Sqrt(2);
        double t = 1 / (1 + (0.3275911 * x));
        double erf = 1 - ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    // Erlang's C formula by the stable recursion on the Erlang B blocking probability.
    private static double ErlangC(int servers, double offered)
    {
        double b = 1;
        for (int n = 1; n <= servers; n++)
        {
            b = offered * b / (n + (offered * b));
        }

        double rho = offered / servers;
        return b / (1 - (rho * (1 - b)));
    }

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

    private static ClassStats Stats(RequestClass cls, IReadOnlyList<PoolSpec> pools, double[] shares, RandomStream rng)
    {
        const int n = 16384;
        var prompts = new double[n];
        var inOrder = new int[n];
        var outputs = new double[n];
        var prefill = new double[pools.Count];
        for (int i = 0; i < n; i++)
        {
            inOrder[i] = cls.PromptTokens.Sample(rng);
            prompts[i] = inOrder[i];
            outputs[i] = cls.OutputTokens.Sample(rng);
            for (int p = 0; p < pools.Count; p++)
            {
                prefill[p] += pools[p].Serving.PrefillTimeS(prompts[i]);
            }
        }

        var stats = new ClassStats
        {
            Slo = cls.Slo,
            MeanPrompt = cls.PromptTokens.Mean,
            MeanOutput = cls.OutputTokens.Mean,
            MeanPrefill1S = [.. prefill.Select(x => x / n)],
            PrefillBatchS = [.. pools.Select((p, i) => shares[i] > 0 ? PrefillBatches(inOrder, p) : null)],
        };
        Array.Sort(prompts);
        Array.Sort(outputs);
        for (int j = 0; j < TokenQuantiles; j++)
        {
            int i = Math.Min(n - 1, (int)(FluidLatency.StratumLevel(j) * n));
            stats.PromptQ[j] = prompts[i];
            stats.OutputQ[j] = outputs[i];
        }

        return stats;
    }
}
