using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Compute;

// The request pool: completion and rejection records, and the slot array with its free list that
// keeps steady-state serving free of allocation.
public sealed partial class ComputeHall
{
    private void Complete(int slot, int r, bool preempt)
    {
        ref var q = ref Req(slot);
        long now = SimOf(r).Now.Ticks;
        long context = (long)q.Prompt + q.Generated;
        _replicas[r].KvUsed -= preempt ? context : (long)q.Prompt + q.Output;
        _replicas[r].ContextSum -= context;
        _replicas[r].OutstandingReq--;
        int pool = _replicas[r].Pool;
        _poolRequests[PoolSlot(pool)]++;
        _poolPromptTokens[PoolSlot(pool)] += q.Prompt;
        _poolOutputTokens[PoolSlot(pool)] += q.Output;
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
            Accelerator = _replicas[r].FirstAccel,
            Rack = _replicas[r].Rack,
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
        ref var q = ref Req(slot);
        var now = _lanes[slot & _laneMask].Sim.Now;
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
        int laneIndex = slot & _laneMask;
        var lane = _lanes[laneIndex];
        if (_classSplit[record.ClassIndex])
        {
            // A split class's groups finish requests at once on their lanes: each adds to its own part (FlushLanes sums them).
            lane.Metrics[record.ClassIndex]!.Add(in record);
        }
        else
        {
            _metrics[record.ClassIndex].Add(in record);
        }

        if (_lanes.Length == 1)
        {
            _sink?.OnFinished(in record);
        }
        else if (_sink is not null)
        {
            Buffer(laneIndex, in record);
        }

        Req(slot).Next = lane.Free;
        lane.Free = slot;
        lane.Used--;
    }

    // A slot of the lane: its index in the lane's array, shifted, with the lane in the low bits.
    private int Allocate(int laneIndex)
    {
        var lane = _lanes[laneIndex];
        lane.Used++;
        if (lane.Free >= 0)
        {
            int slot = lane.Free;
            lane.Free = Req(slot).Next;
            return slot;
        }

        // Slots are handed out in order until the array is full, then it doubles (amortised; none in steady state).
        if (lane.Used > lane.Req.Length)
        {
            Array.Resize(ref lane.Req, lane.Req.Length * 2);
        }

        return ((lane.Used - 1) << _laneShift) | laneIndex;
    }

    /// <summary>A running decode member: the decode iteration it finishes at, and its request's slot.</summary>
    private readonly record struct HeapMember(long FinishIter, int Slot);

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
