using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DataCenterTwin.Model.Compute;

// Least-outstanding-work dispatch in O(log n) replicas instead of a scan of the pool, at a cost per
// request that does not grow with the pool. The choice is the scan's: the fewest outstanding
// tokens among the available replicas, the lowest index on ties.
//
// A replica's outstanding tokens fall at each of its decode boundaries without an event (decode
// spans). Between two of its events they lie between its tokens now and its tokens at the end of
// its span (a lower bound that changes only at its events). A search on the lower bounds alone has
// to evaluate every replica whose bound is below the minimum, and in a balanced pool that is a
// fixed share of the pool (the bound's slack, a span of iterations, against the spread of the
// pool's work), so its cost grew with the pool. Instead each pool keeps two sets:
// - near: replicas that may be the minimum; their exact tokens are kept in a min tree, updated at
//   each of their decode boundaries that has passed when a request is dispatched (a heap of their
//   next boundaries);
// - far: replicas whose lower bound was above the near minimum at their last change; only that
//   bound is kept (a second min tree), and their boundaries cost nothing. A replica whose tokens
//   are above the near minimum by more than an iteration's worth, though its span's bound is not,
//   is far too, with the tokens it keeps until the boundary before it could reach the minimum:
//   that boundary (in the heap below) is the one that looks at it again, not each before it.
// Before a choice, every far replica whose bound is not above the near minimum joins the near set
// (the near minimum only rises at a dispatch, so each joins at most once per event of its own);
// then every far replica's tokens exceed the near minimum, and the near tree's leftmost minimum is
// the scan's answer. A replica's event puts it back in far when its bound is above the near
// minimum. The near set is the replicas whose bound is below the minimum, as before, but each costs
// only the boundaries it crosses (one in λ·step dispatches) rather than an evaluation per dispatch.
public sealed partial class ComputeHall
{
    private LeastWorkIndex?[] _leastWork = [];

    /// <summary>How many times a replica was put in far until a later boundary rather than kept near (for tests).</summary>
    internal long LeastWorkDeferredLooks => _leastWork.Sum(index => index?.DeferredLooks ?? 0);

    private void AllocateLeastWork() => _leastWork = new LeastWorkIndex?[_pools.Length];

    /// <summary>
    /// Pool <paramref name="pi"/>'s index for a policy that reads it: one excluding replicas on racks
    /// at or above <paramref name="hotThresholdC"/> (NaN: none excluded), and keeping the packing
    /// tree where <paramref name="packing"/>. A pool whose policy changed to one that reads the
    /// index otherwise gets a new one, built from its replicas as they are.
    /// </summary>
    private LeastWorkIndex IndexFor(int pi, double hotThresholdC, bool packing)
    {
        var index = _leastWork[pi];
        if (index is not null && index.HotThresholdC.Equals(hotThresholdC) && (index.Packed is not null) == packing)
        {
            return index;
        }

        var pool = _pools[pi];
        index = _leastWork[pi] = new LeastWorkIndex(pool.FirstReplica, pool.Count, hotThresholdC, packing, pool.Spec.Batching.MaxBatch);
        for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
        {
            Touch(r);
        }

        return index;
    }

    /// <summary>The replica least-outstanding-work would choose in pool <paramref name="pi"/> (within the pool), or −1.</summary>
    private int SelectLeastWork(int pi) => SelectLeastWork(IndexFor(pi, double.NaN, packing: false), pi);

    // The index's choice: the fewest outstanding tokens among the replicas it holds, the lowest index on ties.
    private int SelectLeastWork(LeastWorkIndex index, int pi)
    {
        long now = _poolSim[pi].Now.Ticks;
        var crossings = index.Crossings;
        while (crossings.Count > 0 && crossings.MinTime <= now)
        {
            // A near replica's next boundary, or the boundary a far one's bound lasts until, has passed.
            int cursor = crossings.MinCursor;
            int leaf = crossings.MinLeaf;
            Place(index, index.FirstReplica + leaf, leaf, now, cursor >= 0 ? cursor : ~cursor);
        }

        var near = index.Near;
        var far = index.Far;
        while (!far.IsEmpty && far.RootValue <= near.RootValue)
        {
            // Place writes the leaf's far value on every path (+∞ or a new bound), so it is not cleared first.
            int leaf = far.RootLeaf;
            Place(index, index.FirstReplica + leaf, leaf, now, 0);
        }

        return near.IsEmpty ? -1 : near.RootLeaf;
    }

    /// <summary>Brings replica <paramref name="r"/>'s entry in its pool's least-work index up to date after its state changed.</summary>
    private void Touch(int r)
    {
        ref var s = ref _replicas[r];
        int pi = s.Pool;
        if ((uint)pi >= (uint)_leastWork.Length || _leastWork[pi] is not { } index)
        {
            return;
        }

        int leaf = r - index.FirstReplica;
        bool available = _rackSpeed[s.Rack] > 0 && s.State == Serving;
        if (index.Packed is not null)
        {
            TouchPacked(index, r, leaf, available);
        }

        // A thermal-aware pool's index holds only replicas on racks below its threshold (NaN < h is false: hot).
        if (!(available && (double.IsNaN(index.HotThresholdC) || _rackTempC[s.Rack] < index.HotThresholdC)))
        {
            index.Near.Clear(leaf);
            index.Far.Clear(leaf);
            index.Crossings.Remove(leaf);
            return;
        }

        if (s.Phase == AcceleratorPhase.Decode && !s.End.IsNone)
        {
            long lower = s.OutstandingTok - (long)s.HeapCount * s.SpanLen;
            if (lower > index.Near.RootValue)
            {
                index.Near.Clear(leaf);
                index.Crossings.Remove(leaf);
                index.Far.Set(leaf, lower);
                return;
            }
        }

        Place(index, r, leaf, SimOf(r).Now.Ticks, 0);
    }

    /// <summary>
    /// Puts a serving replica whose span's lower bound is not above the near minimum in the index:
    /// near with its exact tokens now and its next boundary; or, when its tokens now are above the
    /// minimum by more than an iteration's worth, far with the tokens it keeps until boundary m (the
    /// last before it could reach the minimum), looked at again when that boundary passes rather
    /// than at each one before it. <paramref name="from"/> boundaries are known to have passed.
    /// </summary>
    private void Place(LeastWorkIndex index, int r, int leaf, long now, int from)
    {
        ref var s = ref _replicas[r];
        if (s.Phase != AcceleratorPhase.Decode || s.End.IsNone)
        {
            index.Far.Clear(leaf);
            index.Near.Set(leaf, s.OutstandingTok);
            index.Crossings.Remove(leaf);
            return;
        }

        var bounds = Bounds(r);
        int n = s.SpanLen;
        int done = from;
        while (done < n && bounds[done] <= now)
        {
            done++;
        }

        long members = s.HeapCount;
        long tokens = s.OutstandingTok - members * done;
        long root = index.Near.RootValue;
        if (done < n - 1 && tokens > root)
        {
            // Tokens fall by `members` a boundary: above the minimum through boundary m, m − done = ⌊(above − 1) / members⌋.
            long m = Math.Min(n - 1, done + ((tokens - root - 1) / members));
            if (m > done)
            {
                index.Near.Clear(leaf);
                index.Far.Set(leaf, s.OutstandingTok - (members * m));
                index.Crossings.Set(leaf, bounds[(int)m], ~(int)(m + 1));
                index.DeferredLooks++;
                return;
            }
        }

        index.Far.Clear(leaf);
        index.Near.Set(leaf, tokens);
        if (done < n)
        {
            index.Crossings.Set(leaf, bounds[done], done);
        }
        else
        {
            index.Crossings.Remove(leaf);
        }
    }

    /// <summary>
    /// A pool's least-work index: the near and far trees and the near replicas' next boundaries; for a
    /// thermal-aware pool, over the replicas on racks below its threshold; for power-aware packing, the
    /// packing tree and the span ends beside them (ComputeHall.IndexedDispatch.cs).
    /// </summary>
    private sealed class LeastWorkIndex(int firstReplica, int count, double hotThresholdC, bool packing, int maxBatch)
    {
        public readonly int FirstReplica = firstReplica;

        /// <summary>Replicas on racks at or above this temperature, °C, are left out; NaN: none are.</summary>
        public readonly double HotThresholdC = hotThresholdC;

        /// <summary>The pool's largest batch.</summary>
        public readonly int MaxBatch = maxBatch;

        /// <summary>Packing: per available replica with room in its batch, MaxBatch − 1 − its outstanding requests; null otherwise.</summary>
        public readonly MinTree? Packed = packing ? new(count) : null;

        /// <summary>Packing: the decode span ends still ahead of each replica's last look (when its finishing members stop counting).</summary>
        public readonly BoundaryHeap? Ends = packing ? new(count) : null;

        public readonly MinTree Near = new(count);

        public readonly MinTree Far = new(count);

        public readonly BoundaryHeap Crossings = new(count);

        /// <summary>Replicas put far, to be looked at again when a boundary passes (a count for the benches).</summary>
        public long DeferredLooks;
    }

    /// <summary>
    /// A min segment tree over a pool's replicas (leaves beyond the pool hold +∞). Each node holds
    /// a key, the value shifted left past the leaf's bits with the leaf below them, so the smallest
    /// key is the smallest value at its lowest leaf: the root names the scan's choice, with no
    /// descent to find which leaf holds it.
    /// </summary>
    internal sealed class MinTree
    {
        private readonly int _size;
        private readonly int _shift;
        private readonly long _maxValue;
        private readonly long _minValue;
        private readonly long[] _min;

        public MinTree(int count)
        {
            _size = 1;
            while (_size < count)
            {
                _size <<= 1;
                _shift++;
            }

            // The largest value's key stays below +∞ (an empty leaf), so an empty tree is told apart.
            _maxValue = (long.MaxValue >> _shift) - 1;
            _minValue = long.MinValue >> _shift;
            _min = new long[2 * _size];
            Array.Fill(_min, long.MaxValue);
        }

        /// <summary>Whether every leaf holds +∞.</summary>
        public bool IsEmpty => _min[1] == long.MaxValue;

        /// <summary>The smallest value (above every value a leaf can hold when empty).</summary>
        public long RootValue => _min[1] >> _shift;

        /// <summary>The lowest leaf holding the smallest value (the tree must not be empty).</summary>
        public int RootLeaf => (int)(_min[1] & ((1L << _shift) - 1));

        /// <summary>Leaf <paramref name="leaf"/>'s value (+∞ as <see cref="long.MaxValue"/>). For tests.</summary>
        public long ValueAt(int leaf) => _min[_size + leaf] == long.MaxValue ? long.MaxValue : _min[_size + leaf] >> _shift;

        public void Set(int leaf, long value)
        {
            if (value > _maxValue || value < _minValue)
            {
                throw new OverflowException($"{value} outstanding tokens do not fit a least-work key beside {_shift} bits of replica");
            }

            Write(leaf, (value << _shift) | (long)leaf);
        }

        /// <summary>Sets leaf <paramref name="leaf"/> to +∞.</summary>
        public void Clear(int leaf) => Write(leaf, long.MaxValue);

        private void Write(int leaf, long key)
        {
            if ((uint)leaf >= (uint)_size)
            {
                throw new ArgumentOutOfRangeException(nameof(leaf));
            }

            // The leaf is in range, so every node on its way up is: no bounds check a level.
            ref long min = ref MemoryMarshal.GetArrayDataReference(_min);
            int i = _size + leaf;
            if (Unsafe.Add(ref min, i) == key)
            {
                return;
            }

            // Going up, the child just written is known: its parent's minimum is it and its sibling's (one read a level, not two).
            Unsafe.Add(ref min, i) = key;
            long m = key;
            for (; i > 1; i >>= 1)
            {
                m = Math.Min(m, Unsafe.Add(ref min, i ^ 1));
                ref long parent = ref Unsafe.Add(ref min, i >> 1);
                if (parent == m)
                {
                    break;
                }

                parent = m;
            }
        }
    }

    /// <summary>
    /// An indexed 4-ary min-heap of near replicas' next decode boundaries (tick and the span's
    /// boundary index) and of the boundaries far replicas' bounds last until (the index after it,
    /// complemented), at most one entry per leaf. The order among equal ticks does not matter:
    /// each entry updates only its own leaf. An entry's tick, leaf and cursor sit together in one
    /// 16-byte struct, so a sift step moves one entry and reads one line, not three arrays.
    /// </summary>
    private sealed class BoundaryHeap
    {
        private readonly Entry[] _e;
        private readonly int[] _at;

        public BoundaryHeap(int count)
        {
            _e = new Entry[count];
            _at = new int[count];
            Array.Fill(_at, -1);
        }

        public int Count { get; private set; }

        public long MinTime => _e[0].Time;

        public int MinLeaf => _e[0].Leaf;

        public int MinCursor => _e[0].Cursor;

        public void Set(int leaf, long time, int cursor)
        {
            int i = _at[leaf];
            var entry = new Entry(time, leaf, cursor);
            if (i < 0)
            {
                Up(Count++, entry);
                return;
            }

            long old = _e[i].Time;
            if (time < old)
            {
                Up(i, entry);
            }
            else if (time > old)
            {
                Down(i, entry);
            }
            else
            {
                _e[i] = entry;
            }
        }

        public void Remove(int leaf)
        {
            int i = _at[leaf];
            if (i < 0)
            {
                return;
            }

            _at[leaf] = -1;
            int last = --Count;
            if (i == last)
            {
                return;
            }

            long old = _e[i].Time;
            var moved = _e[last];
            if (moved.Time < old)
            {
                Up(i, moved);
            }
            else
            {
                Down(i, moved);
            }
        }

        private void Up(int i, Entry entry)
        {
            var e = _e;
            while (i > 0)
            {
                int parent = (i - 1) >> 2;
                if (e[parent].Time <= entry.Time)
                {
                    break;
                }

                e[i] = e[parent];
                _at[e[i].Leaf] = i;
                i = parent;
            }

            e[i] = entry;
            _at[entry.Leaf] = i;
        }

        private void Down(int i, Entry entry)
        {
            var e = _e;
            int n = Count;
            while (true)
            {
                int child = (i << 2) + 1;
                if (child >= n)
                {
                    break;
                }

                int best;
                if (child + 4 <= n)
                {
                    // Four children: the least by selects, not branches (ticks are as good as
                    // random to the branch predictor), as the kernel's queue does.
                    int a = e[child + 1].Time < e[child].Time ? 1 : 0;
                    int b = 2 + (e[child + 3].Time < e[child + 2].Time ? 1 : 0);
                    best = child + (a ^ ((a ^ b) & -(e[child + b].Time < e[child + a].Time ? 1 : 0)));
                }
                else
                {
                    best = child;
                    for (int j = child + 1; j < n; j++)
                    {
                        if (e[j].Time < e[best].Time)
                        {
                            best = j;
                        }
                    }
                }

                if (e[best].Time >= entry.Time)
                {
                    break;
                }

                e[i] = e[best];
                _at[e[i].Leaf] = i;
                i = best;
            }

            e[i] = entry;
            _at[entry.Leaf] = i;
        }

        private readonly record struct Entry(long Time, int Leaf, int Cursor);
    }
}
