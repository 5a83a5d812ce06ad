using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// On a large hall the replicas' records, span boundaries and batch heaps (a few megabytes for
// thousands of replicas) do not stay in a core's cache, and an iteration's end on a replica reads
// them one miss after another. The simulator names the event it expects next while the current one
// runs; for an iteration's end, its replica's record and boundaries are asked for then, and arrive
// meanwhile, and so is the head of its batch's heap (a span end that finishes a member reads it).
// Only lines whose address needs no load that may miss: such a load would stall the event running
// now for as long as it saves the next one (_rHeap, a word a replica, stays in cache).
public sealed partial class ComputeHall : IEventPrefetcher
{
    // The running batch's heap root and its first children.
    private const int HeapMembersPrefetched = 4;

    void IEventPrefetcher.Prefetch(int kind, long arg)
    {
        if (kind != IterationEnd)
        {
            return;
        }

        int r = ReplicaOfEnd(arg);
        if ((uint)r >= (uint)_replicas.Length)
        {
            return;
        }

        CacheHint.Prefetch(_replicas, r, 1);
        CacheHint.Prefetch(_bounds, r * MaxDecodeSpan, MaxDecodeSpan);
        CacheHint.Prefetch(_rHeap[r], 0, HeapMembersPrefetched);
        int slot = _heapMinSlot[r];
        if (slot >= 0)
        {
            // The first member to finish: a span that ends with it settles and completes its request.
            CacheHint.Prefetch(_lanes[slot & _laneMask].Req, slot >> _laneShift, 1);
        }
    }

    // Per replica, the request slot at its running batch's heap root (−1 when empty), beside the
    // records so the hint reads it without a miss (a word a replica, as _rHeap).
    private int[] _heapMinSlot = [];

    /// <summary>
    /// What the next arrival of class <paramref name="classIndex"/> will read, asked for ahead
    /// (<see cref="Workload.RequestSource"/>'s prefetch): the request slot it will take and, where its
    /// pool dispatches by least work, the record and boundaries of the replica the index would
    /// pick now (usually the one it picks then). Changes nothing.
    /// </summary>
    internal void PrefetchArrival(int classIndex, int pool = -1)
    {
        var lane = _lanes[pool >= 0 ? _poolLane[pool] : _classLane[classIndex]];
        if (lane.Free >= 0)
        {
            CacheHint.Prefetch(lane.Req, lane.Free >> _laneShift, 1);
        }

        int p = pool >= 0 ? pool : _classPools[classIndex] is [var only] ? only : -1;
        if (p < 0 || _leastWork[p] is not { } index || index.Near.IsEmpty)
        {
            return;
        }

        int r = index.FirstReplica + index.Near.RootLeaf;
        CacheHint.Prefetch(_replicas, r, 1);
        CacheHint.Prefetch(_bounds, r * MaxDecodeSpan, MaxDecodeSpan);
    }
}
