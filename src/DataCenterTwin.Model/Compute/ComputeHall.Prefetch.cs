using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// On a large hall the replicas' records, span boundaries and batch heaps (a few megabytes for
// thousands of replicas) do not stay in a core's cache, and an iteration's end on a replica reads
// them one miss after another. The simulator names the event it expects next while the current one
// runs; for an iteration's end, its replica's record and boundaries are asked for then, and arrive
// meanwhile. Only lines whose address needs no load: a load that misses (the replica's batch heap,
// found through _rHeap) would stall the event running now for as long as it saves the next one.
public sealed partial class ComputeHall : IEventPrefetcher
{
    void IEventPrefetcher.Prefetch(int kind, long arg)
    {
        if (kind != IterationEnd || (ulong)arg >= (ulong)_replicas.Length)
        {
            return;
        }

        int r = (int)arg;
        CacheHint.Prefetch(_replicas, r, 1);
        CacheHint.Prefetch(_bounds, r * MaxDecodeSpan, MaxDecodeSpan);
    }
}
