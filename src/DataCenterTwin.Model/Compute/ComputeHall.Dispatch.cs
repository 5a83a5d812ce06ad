using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Compute;

// Arrival to replica: shedding, routing a class to a pool, the pool's dispatch policy, admission
// control against the TTFT objective, and the replica's FIFO queue.
public sealed partial class ComputeHall
{
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

    /// <summary>The policy pool <paramref name="pool"/> dispatches by now.</summary>
    public IDispatchPolicy DispatchPolicyOf(int pool) => _dispatch[pool];

    // Shedding by a running sum (Lane.ShedOwed) rather than a random draw: exactly the fraction asked
    // is refused, evenly spread, and no random stream is taken from the run (other streams keep their draws).
    private double _shedFraction;

    /// <summary>
    /// A request of class <paramref name="classIndex"/> arrives now; token counts of 0 are drawn from
    /// the class with <paramref name="tokenRng"/>. It is dispatched at once (or deferred or rejected).
    /// </summary>
    public void Submit(int classIndex, int promptTokens, int outputTokens, RandomStream? tokenRng = null)
    {
        if (_classSplit[classIndex])
        {
            throw new InvalidOperationException($"Class '{_classes[classIndex].Name}' is split over dispatch groups: submit to a group (SubmitTo).");
        }

        SubmitTo(classIndex, -1, promptTokens, outputTokens, tokenRng);
    }

    /// <summary>
    /// As <see cref="Submit"/>, to pool <paramref name="pool"/> (one of the class's pools, on whose
    /// lane the caller runs), or routed by the class's shares when it is −1.
    /// </summary>
    public void SubmitTo(int classIndex, int pool, int promptTokens, int outputTokens, RandomStream? tokenRng = null)
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

        int laneIndex = pool >= 0 ? _poolLane[pool] : _classLane[classIndex];
        var lane = _lanes[laneIndex];
        if (_classSplit[classIndex])
        {
            // Its groups' lanes run at once: each counts its own, added up after the advance (FlushLanes).
            lane.Arrived[classIndex]++;
        }
        else
        {
            _metrics[classIndex].Arrived++;
        }

        int slot = Allocate(laneIndex);
        long now = lane.Sim.Now.Ticks;
        ref var q = ref Req(slot);
        q = new Request
        {
            Id = lane.NextId++ * _lanes.Length + laneIndex,
            Class = classIndex,
            Arrival = now,
            Dispatch = now,
            FirstToken = NotYet,
            Prompt = promptTokens,
            Output = outputTokens,
            PrefillNeeded = promptTokens,
            Replica = -1,
            Next = -1,
            Pool = pool >= 0 ? pool : Route(classIndex),
        };
        if (_shedFraction > 0 && classIndex == _classes.Length - 1)
        {
            // Each lane sheds its share of the class (a split class's groups, each on its own lane).
            lane.ShedOwed += _shedFraction;
            if (lane.ShedOwed >= 1 - 1e-12)
            {
                lane.ShedOwed -= 1;
                Reject(slot, RejectReason.Shed);
                return;
            }
        }

        _poolArrivals[PoolSlot(q.Pool)]++;
        _poolArrivedPrompt[PoolSlot(q.Pool)] += promptTokens;
        _poolArrivedOutput[PoolSlot(q.Pool)] += outputTokens;
        Dispatch(slot);
    }

    private void Dispatch(int slot)
    {
        ref var q = ref Req(slot);
        int pi = q.Pool;

        var pool = _pools[pi];
        var batching = pool.Spec.Batching;
        long kvNeed = batching.OnKvFull == KvFullPolicy.Queue ? (long)q.Prompt + q.Output : q.Prompt + 1L;
        if (kvNeed > batching.KvCacheTokens)
        {
            Reject(slot, RejectReason.TooLarge);
            return;
        }

        int local = SelectIndexed(pi);
        if (local == NotIndexed)
        {
            local = _dispatch[pi].Select(pool, q.Prompt, q.Output, _dispatchRng[pi]);
        }

        if (local < 0 && pool.Spec.ScalingPolicy.Mode == ScalingMode.SloDriven)
        {
            local = WaitingReplica(pool);
        }

        if (local < 0)
        {
            // A pool with replicas has none to take it only when every one is stopped (ComputeHall.Failures.cs).
            if (pool.Count > 0)
            {
                _poolLost[PoolSlot(pi)]++;
            }

            Reject(slot, RejectReason.NoReplica);
            return;
        }

        int r = pool.FirstReplica + local;

        // Boundaries first, and a decode span cut at the iteration in progress so the request can join at its end
        // (the index hears of the replica once, when the request has joined or been turned away).
        CatchUp(r, truncate: _replicas[r].QHead < 0);
        var admission = pool.Spec.Admission;
        if (admission.Mode != AdmissionMode.AcceptAll)
        {
            long now = SimOf(r).Now.Ticks;
            double aheadS = _replicas[r].Phase != AcceleratorPhase.Idle && !_replicas[r].End.IsNone ? (CurrentIterationEnd(r, now) - now) / 1e6 : 0;
            long queued = _replicas[r].QueuedPrompt + q.Prompt;
            double predicted = aheadS + pool.Serving.PrefillTimeS(queued) / _rackAccel[_replicas[r].Rack]!.Roofline.StepSpeedAt(queued, ReplicaSpeed(r));
            if (predicted > admission.TtftMargin * _classes[q.Class].Slo.TtftS)
            {
                if (admission.Mode == AdmissionMode.Defer && q.Defers < admission.MaxDefers)
                {
                    q.Defers++;
                    SimOf(r).ScheduleAfter(admission.DeferDelay, SelfOf(r), DeferRetry, slot);
                }
                else
                {
                    Reject(slot, admission.Mode == AdmissionMode.Defer ? RejectReason.DeferLimit : RejectReason.SloUnreachable);
                }

                Touch(r);
                return;
            }
        }

        q.Replica = r;
        q.Dispatch = SimOf(r).Now.Ticks;
        _replicas[r].OutstandingReq++;
        _replicas[r].OutstandingTok += q.Prompt + q.Output;
        Enqueue(r, slot, atFront: false);
        if (_replicas[r].Phase == AcceleratorPhase.Idle && ReplicaSpeed(r) > 0)
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
        _replicas[r].QueuedPrompt += Req(slot).PrefillNeeded;
        if (_replicas[r].QHead < 0)
        {
            Req(slot).Next = -1;
            _replicas[r].QHead = _replicas[r].QTail = slot;
        }
        else if (atFront)
        {
            Req(slot).Next = _replicas[r].QHead;
            _replicas[r].QHead = slot;
        }
        else
        {
            Req(slot).Next = -1;
            Req(_replicas[r].QTail).Next = slot;
            _replicas[r].QTail = slot;
        }
    }
}
