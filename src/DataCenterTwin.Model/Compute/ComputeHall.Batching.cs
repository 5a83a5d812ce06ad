using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// Continuous batching: admitting queued requests into a replica's batch, prefill and decode
// iterations, KV-cache preemption, and the running batch's min-heap on finishing iteration.
public sealed partial class ComputeHall
{
    private void StartIteration(int r)
    {
        ref var s = ref _replicas[r];
        int rack = s.Rack;
        double speed = _rackSpeed[rack];
        if (speed <= 0 || s.State is Waking or Parked)
        {
            return;
        }

        var batching = _poolSteps[s.Pool];
        bool preempt = batching.Preempt;

        // Admit queued requests into the running batch, up to the batch, token and KV limits. They
        // leave from the queue's head in order, so they stay linked as they were queued (the list
        // of the prefill iteration is the queue's prefix, cut after the last admitted).
        long prefillTokens = 0;
        int lastFresh = s.NewCount > 0 ? LastFresh(r) : -1;
        while (s.QHead >= 0 && s.HeapCount + s.NewCount < batching.MaxBatch)
        {
            int slot = s.QHead;
            ref var q = ref Req(slot);
            long kvNeed = preempt ? q.PrefillNeeded : (long)q.Prompt + q.Output;
            if (s.KvUsed + kvNeed > batching.KvCacheTokens || (prefillTokens > 0 && prefillTokens + q.PrefillNeeded > batching.MaxPrefillTokens))
            {
                break;
            }

            s.QHead = q.Next;
            if (s.QHead < 0)
            {
                s.QTail = -1;
            }

            s.QueuedPrompt -= q.PrefillNeeded;
            s.KvUsed += kvNeed;
            s.ContextSum += q.PrefillNeeded;
            prefillTokens += q.PrefillNeeded;
            if (lastFresh < 0)
            {
                s.NewHead = slot;
            }
            else
            {
                Req(lastFresh).Next = slot;
            }

            lastFresh = slot;
            s.NewCount++;
        }

        if (lastFresh >= 0)
        {
            Req(lastFresh).Next = -1;
        }

        AcceleratorPhase phase;
        double workS;
        long stepTokens;
        if (prefillTokens > 0)
        {
            phase = AcceleratorPhase.Prefill;
            workS = batching.Serving.PrefillTimeS(prefillTokens);
            stepTokens = prefillTokens;
        }
        else
        {
            if (preempt)
            {
                // Each running request grows by a token: evict the youngest until the step fits.
                while (s.HeapCount > 1 && s.KvUsed + s.HeapCount > batching.KvCacheTokens)
                {
                    Preempt(r);
                }
            }

            int members = s.HeapCount;
            if (members == 0)
            {
                SetPhase(r, AcceleratorPhase.Idle);
                if (s.State == Draining && s.QHead < 0)
                {
                    Park(r);
                }

                return;
            }

            phase = AcceleratorPhase.Decode;
            workS = DecodeStepS(r, members, s.ContextSum);
            stepTokens = members;
        }

        long now = SimOf(r).Now.Ticks;
        BeginStep(r, phase, stepTokens, speed);
        s.IterEnergyStart = s.EnergyJ;
        s.ThrottledIter = speed < 1;
        s.RemainingS = workS;
        s.SegStart = now;
        if (phase == AcceleratorPhase.Decode)
        {
            // At full clocks BeginStep took the step's share from the pool's table: its speed is there too.
            double stepSpeed = speed == 1.0 ? batching.DecodeSpeed[s.HeapCount] : StepSpeed(r, speed);
            StartDecodeSpan(r, s.HeapCount, stepSpeed, now, workS);
        }
        else
        {
            s.SpanLen = 1;
            s.End = SimOf(r).Schedule(new SimTime(now + Ticks(workS / StepSpeed(r, speed))), SelfOf(r), IterationEnd, EndArg(r));
        }
    }

    private void EndIteration(int r)
    {
        ref var s = ref _replicas[r];
        long now = SimOf(r).Now.Ticks;
        s.End = default;
        AccrueReplica(r, now);
        double energy = s.EnergyJ - s.IterEnergyStart;
        bool throttled = s.ThrottledIter;
        bool preempt = _poolSteps[s.Pool].Preempt;
        if (s.Phase == AcceleratorPhase.Prefill)
        {
            // Only the prefilled requests worked in this iteration (the running batch stalls).
            _poolIterations[PoolSlot(_replicas[r].Pool)]++;
            int n = s.NewCount;
            int next = s.NewHead;
            s.NewCount = 0;
            s.NewHead = -1;
            double share = energy / Math.Max(1, n);
            for (int i = 0; i < n; i++)
            {
                int slot = next;
                ref var q = ref Req(slot);
                next = q.Next;
                q.EnergyJ += share;
                q.Throttled |= throttled;
                if (q.FirstToken == NotYet)
                {
                    // The prefill iteration produces the first output token.
                    q.FirstToken = now;
                    q.Generated = 1;
                    s.OutstandingTok -= q.Prompt + 1;
                    s.ContextSum++;
                    if (preempt)
                    {
                        s.KvUsed++;
                    }
                }

                if (q.Generated >= q.Output)
                {
                    Complete(slot, r, preempt);
                    continue;
                }

                // Join the running batch: generated = 1 + decode iterations since joining (less any before a preemption).
                q.JoinIter = s.DecodeIter - (q.Generated - 1);
                q.FinishIter = q.JoinIter + q.Output - 1;
                q.EnergyMark = s.EnergyIndex;
                q.ThrottleMark = s.ThrottledIters;
                HeapPush(r, slot);
            }
        }
        else
        {
            // The span's iterations, then the members that finish at its end.
            long iter = BookDecodeIterations(r, s.SpanLen, s.HeapCount, energy, throttled);
            while (s.HeapMinFinish <= iter)
            {
                int slot = _rHeap[r][0].Slot;
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
        ref var s = ref _replicas[r];
        ref var q = ref Req(slot);
        q.Generated = (int)(1 + s.DecodeIter - q.JoinIter);
        q.EnergyJ += s.EnergyIndex - q.EnergyMark;
        q.Throttled |= s.ThrottledIters != q.ThrottleMark;
        q.EnergyMark = s.EnergyIndex;
        q.ThrottleMark = s.ThrottledIters;
    }

    private void Preempt(int r)
    {
        // The youngest request (latest arrival) in the running batch goes back to the queue's head
        // and recomputes its context later (vLLM's recompute preemption).
        var heap = _rHeap[r];
        int at = 0;
        for (int i = 1; i < _replicas[r].HeapCount; i++)
        {
            if (Req(heap[i].Slot).Id > Req(heap[at].Slot).Id)
            {
                at = i;
            }
        }

        int victim = heap[at].Slot;
        HeapRemoveAt(r, at);
        Settle(r, victim);
        ref var v = ref Req(victim);
        long context = (long)v.Prompt + v.Generated;
        _replicas[r].KvUsed -= context;
        _replicas[r].ContextSum -= context;
        v.PrefillNeeded = (int)context;
        v.Preemptions++;
        Enqueue(r, victim, atFront: true);
    }

    // The last member of replica r's prefill iteration (it has NewCount > 0).
    private int LastFresh(int r)
    {
        int slot = _replicas[r].NewHead;
        for (int i = 1; i < _replicas[r].NewCount; i++)
        {
            slot = Req(slot).Next;
        }

        return slot;
    }

    private void HeapPush(int r, int slot)
    {
        var heap = _rHeap[r];
        int i = _replicas[r].HeapCount++;
        long key = Req(slot).FinishIter;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (heap[parent].FinishIter <= key)
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = new HeapMember(key, slot);
        if (i == 0)
        {
            _replicas[r].HeapMinFinish = key;
            _heapMinSlot[r] = slot;
        }
    }

    private void HeapRemoveAt(int r, int at)
    {
        var heap = _rHeap[r];
        int n = --_replicas[r].HeapCount;
        if (at == n)
        {
            _replicas[r].HeapMinFinish = n > 0 ? heap[0].FinishIter : long.MaxValue;
            _heapMinSlot[r] = n > 0 ? heap[0].Slot : -1;
            return;
        }

        var last = heap[n];
        long key = last.FinishIter;
        int i = at;
        while (i > 0 && heap[(i - 1) >> 1].FinishIter > key)
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

            if (child + 1 < n && heap[child + 1].FinishIter < heap[child].FinishIter)
            {
                child++;
            }

            if (heap[child].FinishIter >= key)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = last;
        _replicas[r].HeapMinFinish = heap[0].FinishIter;
        _heapMinSlot[r] = heap[0].Slot;
    }
}
