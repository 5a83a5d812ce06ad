namespace DataCenterTwin.Model.Compute;

// Replicas that lose their accelerators at request level: a rack whose clocks go to 0 (shut down at
// the die limit, feed lost, blackout) stops serving at once. What its replicas held (queued, in a
// prefill, decoding) is retried on the pool's replicas still up, in arrival order, or lost when none
// is up; the dispatch policies already send no new request to a stopped replica (IsAvailable).
//
// A retry starts the request over: the KV cache went with the accelerators, and a router that
// re-sends a failed request re-sends it whole (tokens already streamed are not resumed). Its TTFT,
// TPOT and end to end are measured from its first arrival, so the time lost on the stopped replica
// is in them. The fluid level does the same in FluidHall.Failures.cs.
public sealed partial class ComputeHall
{
    // Slots taken off a stopped rack's replicas and their ids (arrival order), reused between failures.
    private int[] _evacuees = [];
    private long[] _evacueeIds = [];

    /// <summary>Requests moved from a stopped replica to one still serving (re-dispatched from the start).</summary>
    public long RequestsRetried { get; private set; }

    /// <summary>Requests lost because no replica of their pool was up: held by a replica that stopped, or arriving while every one was stopped.</summary>
    public long RequestsLost => _poolLost.Sum();

    // Per pool: a lane's events count its own pools' losses.
    private readonly long[] _poolLost;

    /// <summary>Every request the rack's replicas hold leaves them and is dispatched again, oldest first.</summary>
    private void RetryFromStoppedRack(int rack)
    {
        int n = 0;
        for (int j = 0; j < _rackReplicaCount[rack]; j++)
        {
            n = Evacuate(_rackFirstReplica[rack] + j, n);
        }

        if (n == 0)
        {
            return;
        }

        for (int i = 0; i < n; i++)
        {
            _evacueeIds[i] = Req(_evacuees[i]).Id;
        }

        Array.Sort(_evacueeIds, _evacuees, 0, n);
        for (int i = 0; i < n; i++)
        {
            // Dispatch counts it lost when every replica of the pool is stopped.
            int pool = Req(_evacuees[i]).Pool;
            long lost = _poolLost[PoolSlot(pool)];
            Dispatch(_evacuees[i]);
            if (_poolLost[PoolSlot(pool)] == lost)
            {
                RequestsRetried++;
            }
        }
    }

    // Takes every request off replica r (already at clock 0, its iteration cancelled) into the evacuee
    // list from index n, leaves the replica idle and empty, and returns the new count.
    private int Evacuate(int r, int n)
    {
        int held = _replicas[r].OutstandingReq;
        if (held == 0)
        {
            return n;
        }

        if (_evacuees.Length < n + held)
        {
            int size = Math.Max(2 * _evacuees.Length, n + held);
            Array.Resize(ref _evacuees, size);
            Array.Resize(ref _evacueeIds, size);
        }

        int start = n;
        for (int i = 0, slot = _replicas[r].NewHead; i < _replicas[r].NewCount; i++, slot = Req(slot).Next)
        {
            _evacuees[n++] = slot;
        }

        var heap = _rHeap[r];
        for (int i = 0; i < _replicas[r].HeapCount; i++)
        {
            // Its share of the decode energy booked so far stays with it (it was spent on it).
            Settle(r, heap[i].Slot);
            _evacuees[n++] = heap[i].Slot;
        }

        for (int slot = _replicas[r].QHead; slot >= 0; slot = Req(slot).Next)
        {
            _evacuees[n++] = slot;
        }

        for (int i = start; i < n; i++)
        {
            ref var q = ref Req(_evacuees[i]);
            q.FirstToken = NotYet;
            q.Generated = 0;
            q.PrefillNeeded = q.Prompt;
            q.Replica = -1;
            q.Next = -1;
        }

        _replicas[r].NewCount = 0;
        _replicas[r].NewHead = -1;
        _replicas[r].HeapCount = 0;
        _replicas[r].HeapMinFinish = long.MaxValue;
        _heapMinSlot[r] = -1;
        _replicas[r].QHead = _replicas[r].QTail = -1;
        _replicas[r].QueuedPrompt = 0;
        _replicas[r].OutstandingReq = 0;
        _replicas[r].OutstandingTok = 0;
        _replicas[r].KvUsed = 0;
        _replicas[r].ContextSum = 0;
        _replicas[r].RemainingS = 0;
        SetPhase(r, AcceleratorPhase.Idle);
        if (_replicas[r].State == Draining)
        {
            // It was draining to park, and now has nothing left to drain.
            Park(r);
        }

        Touch(r);
        return n;
    }
}
