using DataCenterTwin.Model.Compute.Dispatch;

namespace DataCenterTwin.Model.Compute;

// Least-outstanding-work dispatch in O(log n) replicas instead of a scan of the pool. A replica's
// outstanding tokens fall at each of its decode boundaries without an event (decode spans), so
// the index holds a lower bound per replica — its tokens at the end of its current span, which
// changes only at its own events — in a min segment tree, and a search visits the subtree with the
// smallest bound first, evaluates the exact value at the leaves, and prunes any subtree whose bound
// cannot beat the best found. The choice is the scan's: the fewest outstanding tokens among the
// available replicas, the lowest index on ties.
public sealed partial class ComputeHall
{
    private LeastWorkIndex?[] _leastWork = [];

    private void AllocateLeastWork() => _leastWork = new LeastWorkIndex?[_pools.Length];

    /// <summary>The replica least-outstanding-work would choose in pool <paramref name="pi"/> (within the pool), or −1.</summary>
    private int SelectLeastWork(int pi)
    {
        var index = _leastWork[pi];
        var pool = _pools[pi];
        if (index is null)
        {
            index = _leastWork[pi] = new LeastWorkIndex(pool.Count);
            for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
            {
                Touch(r);
            }
        }

        _lwBest = long.MaxValue;
        _lwBestIndex = -1;
        Search(index, pool.FirstReplica, 1, 0, index.Size);
        return _lwBestIndex;
    }

    private long _lwBest;
    private int _lwBestIndex;

    private void Search(LeastWorkIndex index, int first, int node, int lo, int width)
    {
        long bound = index.Min[node];
        if (bound == long.MaxValue || bound > _lwBest || (bound == _lwBest && lo > _lwBestIndex))
        {
            return;
        }

        if (width == 1)
        {
            int r = first + lo;
            if (!(_rackSpeed[_rRack[r]] > 0 && _rState[r] == Serving))
            {
                return;
            }

            long work = ReplicaOutstandingTokens(r);
            if (work < _lwBest || (work == _lwBest && lo < _lwBestIndex))
            {
                _lwBest = work;
                _lwBestIndex = lo;
            }

            return;
        }

        int half = width >> 1;
        int left = 2 * node, right = left + 1;
        if (index.Min[right] < index.Min[left])
        {
            Search(index, first, right, lo + half, half);
            Search(index, first, left, lo, half);
        }
        else
        {
            Search(index, first, left, lo, half);
            Search(index, first, right, lo + half, half);
        }
    }

    /// <summary>Brings replica <paramref name="r"/>'s bound in its pool's least-work index up to date after its state changed.</summary>
    private void Touch(int r)
    {
        int pi = _rPool[r];
        if ((uint)pi >= (uint)_leastWork.Length || _leastWork[pi] is not { } index)
        {
            return;
        }

        long bound = long.MaxValue;
        if (_rackSpeed[_rRack[r]] > 0 && _rState[r] == Serving)
        {
            bound = _rOutstandingTok[r];
            if (_rPhase[r] == AcceleratorPhase.Decode && !_rEnd[r].IsNone)
            {
                bound -= (long)_rHeapCount[r] * _rSpanLen[r];
            }
        }

        index.Set(r - _pools[pi].FirstReplica, bound);
    }

    // Whether the pool's policy is the plain least-outstanding-work rule the index reproduces.
    private bool UsesLeastWorkIndex(int pi) => _dispatch[pi].GetType() == typeof(LeastOutstandingWork);

    /// <summary>A min segment tree over a pool's replicas (leaves beyond the pool hold +∞).</summary>
    private sealed class LeastWorkIndex
    {
        public LeastWorkIndex(int count)
        {
            Size = 1;
            while (Size < count)
            {
                Size <<= 1;
            }

            Min = new long[2 * Size];
            Array.Fill(Min, long.MaxValue);
        }

        public int Size { get; }

        public long[] Min { get; }

        public void Set(int leaf, long value)
        {
            int i = Size + leaf;
            if (Min[i] == value)
            {
                return;
            }

            Min[i] = value;
            for (i >>= 1; i >= 1; i >>= 1)
            {
                long m = Math.Min(Min[2 * i], Min[2 * i + 1]);
                if (Min[i] == m)
                {
                    break;
                }

                Min[i] = m;
            }
        }
    }
}
