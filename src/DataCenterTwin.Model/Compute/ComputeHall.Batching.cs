using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// Continuous batching: admitting queued requests into a replica's batch, prefill and decode
// iterations, KV-cache preemption, and the running batch's min-heap on finishing iteration.
public sealed partial class ComputeHall
{
    private void StartIteration(int r)
    {
        int rack = _replicas[r].Rack;
        double speed = _rackSpeed[rack];
        if (speed <= 0 || _replicas[r].State is Waking or Parked)
        {
            return;
        }

        var pool = _pools[_replicas[r].Pool];
        var batching = pool.Spec.Batching;
        bool preempt = batching.OnKvFull == KvFullPolicy.Preempt;

        // Admit queued requests into the running batch, up to the batch, token and KV limits.
        long prefillTokens = 0;
        var fresh = _rNew[r];
        while (_replicas[r].QHead >= 0 && _replicas[r].HeapCount + _replicas[r].NewCount < batching.MaxBatch)
        {
            int slot = _replicas[r].QHead;
            ref var q = ref _req[slot];
            long kvNeed = preempt ? q.PrefillNeeded : (long)q.Prompt + q.Output;
            if (_replicas[r].KvUsed + kvNeed > batching.KvCacheTokens || (prefillTokens > 0 && prefillTokens + q.PrefillNeeded > batching.MaxPrefillTokens))
            {
                break;
            }

            _replicas[r].QHead = q.Next;
            if (_replicas[r].QHead < 0)
            {
                _replicas[r].QTail = -1;
            }

            _replicas[r].QueuedPrompt -= q.PrefillNeeded;
            _replicas[r].KvUsed += kvNeed;
            _replicas[r].ContextSum += q.PrefillNeeded;
            prefillTokens += q.PrefillNeeded;
            fresh[_replicas[r].NewCount++] = slot;
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
                while (_replicas[r].HeapCount > 1 && _replicas[r].KvUsed + _replicas[r].HeapCount > batching.KvCacheTokens)
                {
                    Preempt(r);
                }
            }

            int members = _replicas[r].HeapCount;
            if (members == 0)
            {
                SetPhase(r, AcceleratorPhase.Idle);
                if (_replicas[r].State == Draining && _replicas[r].QHead < 0)
                {
                    Park(r);
                }

                return;
            }

            phase = AcceleratorPhase.Decode;
            workS = DecodeStepS(r, members, _replicas[r].ContextSum);
            stepTokens = members;
        }

        long now = _sim.Now.Ticks;
        BeginStep(r, phase, stepTokens, speed);
        _replicas[r].IterEnergyStart = _replicas[r].EnergyJ;
        _replicas[r].ThrottledIter = speed < 1;
        _replicas[r].RemainingS = workS;
        _replicas[r].SegStart = now;
        if (phase == AcceleratorPhase.Decode)
        {
            StartDecodeSpan(r, _replicas[r].HeapCount, StepSpeed(r, speed), now, workS);
        }
        else
        {
            _replicas[r].SpanLen = 1;
            _replicas[r].End = _sim.Schedule(new SimTime(now + Ticks(workS / StepSpeed(r, speed))), _self, IterationEnd, r);
        }
    }

    private void EndIteration(int r)
    {
        long now = _sim.Now.Ticks;
        _replicas[r].End = default;
        AccrueReplica(r, now);
        double energy = _replicas[r].EnergyJ - _replicas[r].IterEnergyStart;
        bool throttled = _replicas[r].ThrottledIter;
        bool preempt = _pools[_replicas[r].Pool].Spec.Batching.OnKvFull == KvFullPolicy.Preempt;
        if (_replicas[r].Phase == AcceleratorPhase.Prefill)
        {
            // Only the prefilled requests worked in this iteration (the running batch stalls).
            _iterationsBooked++;
            var fresh = _rNew[r];
            int n = _replicas[r].NewCount;
            _replicas[r].NewCount = 0;
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
                    _replicas[r].OutstandingTok -= q.Prompt + 1;
                    _replicas[r].ContextSum++;
                    if (preempt)
                    {
                        _replicas[r].KvUsed++;
                    }
                }

                if (q.Generated >= q.Output)
                {
                    Complete(slot, r, preempt);
                    continue;
                }

                // Join the running batch: generated = 1 + decode iterations since joining (less any before a preemption).
                q.JoinIter = _replicas[r].DecodeIter - (q.Generated - 1);
                q.FinishIter = q.JoinIter + q.Output - 1;
                q.EnergyMark = _replicas[r].EnergyIndex;
                q.ThrottleMark = _replicas[r].ThrottledIters;
                HeapPush(r, slot);
            }
        }
        else
        {
            // The span's iterations, then the members that finish at its end.
            long iter = BookDecodeIterations(r, _replicas[r].SpanLen, _replicas[r].HeapCount, energy, throttled);
            var heap = _rHeap[r];
            while (_replicas[r].HeapCount > 0 && heap[0].FinishIter <= iter)
            {
                int slot = heap[0].Slot;
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
        q.Generated = (int)(1 + _replicas[r].DecodeIter - q.JoinIter);
        q.EnergyJ += _replicas[r].EnergyIndex - q.EnergyMark;
        q.Throttled |= _replicas[r].ThrottledIters != q.ThrottleMark;
        q.EnergyMark = _replicas[r].EnergyIndex;
        q.ThrottleMark = _replicas[r].ThrottledIters;
    }

    private void Preempt(int r)
    {
        // The youngest request (latest arrival) in the running batch goes back to the queue's head
        // and recomputes its context later (vLLM's recompute preemption).
        var heap = _rHeap[r];
        int at = 0;
        for (int i = 1; i < _replicas[r].HeapCount; i++)
        {
            if (_req[heap[i].Slot].Id > _req[heap[at].Slot].Id)
            {
                at = i;
            }
        }

        int victim = heap[at].Slot;
        HeapRemoveAt(r, at);
        Settle(r, victim);
        ref var v = ref _req[victim];
        long context = (long)v.Prompt + v.Generated;
        _replicas[r].KvUsed -= context;
        _replicas[r].ContextSum -= context;
        v.PrefillNeeded = (int)context;
        v.Preemptions++;
        Enqueue(r, victim, atFront: true);
    }

    private void HeapPush(int r, int slot)
    {
        var heap = _rHeap[r];
        int i = _replicas[r].HeapCount++;
        long key = _req[slot].FinishIter;
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
    }

    private void HeapRemoveAt(int r, int at)
    {
        var heap = _rHeap[r];
        int n = --_replicas[r].HeapCount;
        if (at == n)
        {
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
    }
}
