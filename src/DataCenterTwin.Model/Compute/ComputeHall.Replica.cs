using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

// Per-replica state as one struct array rather than a field array each: an event on a replica
// (an iteration's end, a dispatch, a least-work update) reads and writes a few dozen of its
// fields, and with one array a field those touches cost a cache miss each on a large hall; here
// they share the replica's few lines. The fields an event always touches come first. The running
// batch's heap is a separate array a replica, a line far from these: its root's finishing iteration
// is kept here too, so a span end that finishes no member (most of them on a busy hall) does not
// read it, and the members of a prefill iteration are linked through their requests (which that
// iteration's end reads anyway) rather than listed in another array a replica.
public sealed partial class ComputeHall
{
    private readonly Replica[] _replicas;

    private static Replica[] NewReplicas(int count)
    {
        var replicas = new Replica[count];
        for (int r = 0; r < count; r++)
        {
            replicas[r].QHead = -1;
            replicas[r].QTail = -1;
            replicas[r].NewHead = -1;
            replicas[r].HeapMinFinish = long.MaxValue;
            replicas[r].SpanTarget = 4;
        }

        return replicas;
    }

    /// <summary>
    /// What is wrong with the replicas' batch bookkeeping, or null when nothing is: each replica's
    /// kept heap root against its heap, and its prefill list (NewCount requests from NewHead through
    /// Request.Next, all dispatched to it, the last linking nowhere). For tests.
    /// </summary>
    internal string? BatchBookkeepingError()
    {
        for (int r = 0; r < _replicas.Length; r++)
        {
            ref var s = ref _replicas[r];
            long root = s.HeapCount > 0 ? _rHeap[r][0].FinishIter : long.MaxValue;
            if (s.HeapMinFinish != root)
            {
                return $"replica {r}: heap root kept as {s.HeapMinFinish}, the heap's is {root}";
            }

            int slot = s.NewHead;
            for (int i = 0; i < s.NewCount; i++)
            {
                if (slot < 0 || Req(slot).Replica != r)
                {
                    return $"replica {r}: prefill member {i} of {s.NewCount} is slot {slot}, not a request of this replica";
                }

                slot = Req(slot).Next;
            }

            if (slot != -1)
            {
                return $"replica {r}: its prefill list of {s.NewCount} goes on to slot {slot}";
            }
        }

        return null;
    }

    /// <summary>A replica's serving state (hall numbering; the running batch's heap and the span's boundaries sit apart).</summary>
    private struct Replica
    {
        public EventHandle End;        // its pending iteration (or span) end
        public int Pool;
        public int Rack;
        public AcceleratorPhase Phase;
        public int HeapCount;          // running decode members
        public int NewCount;           // members of the current prefill iteration
        public int NewHead;            // the first of them; the rest follow it through Request.Next, in admission order
        public int SpanLen;            // decode iterations covered by the pending event (1 while prefilling)
        public int QHead;
        public int QTail;
        public long DecodeIter;        // decode iterations completed
        public long HeapMinFinish;     // the running batch's first finishing iteration (its heap's root), +∞ when empty
        public long OutstandingTok;
        public long KvUsed;
        public long ContextSum;
        public long SegStart;
        public long Last;
        public double PowerW;
        public double EnergyJ;
        public double EnergyIndex;     // Σ decode iteration energy / members, J
        public long ThrottledIters;    // decode iterations that ran below full clocks
        public double IterEnergyStart;
        public double RemainingS;
        public double ComputeShare;    // of the running step at full clocks
        public double ComputeWallShare; // of its wall time now spent computing
        public double OccupancyNow;    // running batch over the pool's maximum
        public double ComputeS;        // since the start: seconds computing, streaming memory, and batch occupancy integrated
        public double MemoryS;
        public double OccupancyS;
        public double TokensPerAccel;  // of the running step (0 when idle)
        public long QueuedPrompt;
        public int OutstandingReq;
        public int SpanTarget;         // span length it computes ahead (ComputeHall.Spans.cs)
        public int ContextSegment;     // where the decode context curve's search starts (the mean context moves little between spans)
        public int Accels;
        public int FirstAccel;
        public long BusyTicks;
        public long BusySince;
        public byte State;
        public bool ThrottledIter;
        public bool SpanCut;           // whether the current span was cut short
        public int EndGeneration;      // carried by its pending end's payload: an end of an older one was superseded (ComputeHall.Spans.cs)
    }
}
