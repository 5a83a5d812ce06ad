using DataCenterTwin.Model.Compute.Dispatch;

namespace DataCenterTwin.Model.Compute;

// The dispatch policies that read every replica, answered from the least-work index in O(log n)
// replicas instead of a scan of the pool, with the scan's choices:
// - least outstanding work: the index (ComputeHall.LeastWork.cs);
// - thermal-aware: the fewest outstanding tokens among replicas on racks below the threshold is the
//   same rule over fewer replicas, so its index leaves the others out, and a rack crossing the
//   threshold (a control step's temperatures) puts its replicas in or out; only when every
//   available replica is on a hot rack does the policy scan for the coolest;
// - power-aware packing: the most outstanding requests among replicas with room in their batch is
//   the root of a min tree of MaxBatch − 1 − requests (the lowest index on ties, as the scan's);
//   when none has room, least work over the pool is the index's answer. A replica's requests
//   change at its own events, where it is touched, but for one case: a span ending at the tick of
//   an arrival whose event has not fired yet, whose finishing members the scan already leaves out
//   (boundaries first). Such ends are kept in a heap and looked at before the choice.
// A policy of any other type (a user's own, or one wrapping these) is called as before.
public sealed partial class ComputeHall
{
    private const int NotIndexed = int.MinValue;

    /// <summary>The replica pool <paramref name="pi"/>'s policy chooses, from its index, or <see cref="NotIndexed"/> where the policy must be asked.</summary>
    private int SelectIndexed(int pi) => _dispatch[pi] switch
    {
        LeastOutstandingWork => SelectLeastWork(pi),
        PowerAwarePacking => SelectPacked(pi),
        ThermalAware thermal when !double.IsNaN(thermal.HotThresholdC) => SelectCool(pi, thermal.HotThresholdC),
        _ => NotIndexed,
    };

    private int SelectCool(int pi, double hotThresholdC)
    {
        int local = SelectLeastWork(IndexFor(pi, hotThresholdC, packing: false), pi);
        return local >= 0 ? local : NotIndexed;
    }

    private int SelectPacked(int pi)
    {
        var index = IndexFor(pi, double.NaN, packing: true);
        long now = _poolSim[pi].Now.Ticks;
        var ends = index.Ends!;
        while (ends.Count > 0 && ends.MinTime <= now)
        {
            // A span that ends now: its finishing members no longer count. Its event, when it fires, touches the replica again.
            int leaf = ends.MinLeaf;
            ends.Remove(leaf);
            SetPacked(index, index.FirstReplica + leaf, leaf);
        }

        var packed = index.Packed!;
        return packed.IsEmpty ? SelectLeastWork(index, pi) : packed.RootLeaf;
    }

    // The packing tree's leaf and span end for replica r after its state changed.
    private void TouchPacked(LeastWorkIndex index, int r, int leaf, bool available)
    {
        if (!available)
        {
            index.Packed!.Clear(leaf);
            index.Ends!.Remove(leaf);
            return;
        }

        SetPacked(index, r, leaf);
        ref var s = ref _replicas[r];
        if (s.Phase == AcceleratorPhase.Decode && !s.End.IsNone && s.End.Time.Ticks > SimOf(r).Now.Ticks)
        {
            index.Ends!.Set(leaf, s.End.Time.Ticks, 0);
        }
        else
        {
            index.Ends!.Remove(leaf);
        }
    }

    // The replica's outstanding requests as the policy reads them, in the tree while its batch has room.
    private void SetPacked(LeastWorkIndex index, int r, int leaf)
    {
        int requests = ReplicaOutstandingRequests(r);
        if (requests < index.MaxBatch)
        {
            index.Packed!.Set(leaf, index.MaxBatch - 1 - requests);
        }
        else
        {
            index.Packed!.Clear(leaf);
        }
    }

    // A thermal-aware pool's index holds only the replicas on racks below its threshold: a rack that
    // crossed it puts its replicas in or takes them out.
    private void TemperatureCrossed(int rack, double wasC, double nowC)
    {
        int count = _rackReplicaCount[rack];
        if (count == 0)
        {
            return;
        }

        int first = _rackFirstReplica[rack];
        int pi = _replicas[first].Pool;
        if (_leastWork[pi] is not { } index || double.IsNaN(index.HotThresholdC) || (wasC < index.HotThresholdC) == (nowC < index.HotThresholdC))
        {
            return;
        }

        for (int r = first; r < first + count; r++)
        {
            Touch(r);
        }
    }
}
