namespace DataCenterTwin.Kernel;

// The keys (time, sequence) of the cancelled entries still in the queue, in a min-heap of their
// own. Every one of them is in the queue, so the smallest is at or after the queue's root, and the
// root is cancelled exactly when it is that smallest key: the check each firing makes is one
// comparison, not a look-up in the cancelled set (which IsPending still asks). The heap holds as
// many entries as there are cancelled events in the queue (hundreds on a busy request-level hall,
// where arrivals cut decode spans), and is rebuilt from the queue and the cancelled set on
// restore, so the checkpoint's format does not change.
public sealed partial class Simulator
{
    private CancelledKey[] _cancelledKeys = new CancelledKey[16];

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool RootIsCancelled() =>
        _cancelledInHeap > 0 && _heapCount > 0 && _cancelledKeys[0].SequenceAndHandler == _heap[0].SequenceAndHandler;

    private void AddCancelledKey(long time, long sequenceAndHandler)
    {
        if (_cancelledInHeap == _cancelledKeys.Length)
        {
            Array.Resize(ref _cancelledKeys, _cancelledKeys.Length * 2);
        }

        var keys = _cancelledKeys;
        var key = new CancelledKey(time, sequenceAndHandler);
        int i = _cancelledInHeap++;
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            if (!key.Before(keys[parent]))
            {
                break;
            }

            keys[i] = keys[parent];
            i = parent;
        }

        keys[i] = key;
    }

    // Four children a node, as the queue's heap: half the levels of a binary heap, and the least of
    // a full family picked by selects, not branches (the keys' order is as good as random).
    private void RemoveMinCancelledKey()
    {
        var keys = _cancelledKeys;
        int n = --_cancelledInHeap;
        if (n == 0)
        {
            return;
        }

        var last = keys[n];
        int i = 0;
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
                var family = keys.AsSpan(child, 4);
                int a = family[1].BeforeBit(family[0]);
                int b = 2 + family[3].BeforeBit(family[2]);
                best = child + (a ^ ((a ^ b) & -family[b].BeforeBit(family[a])));
            }
            else
            {
                best = child;
                for (int j = child + 1; j < n; j++)
                {
                    if (keys[j].Before(keys[best]))
                    {
                        best = j;
                    }
                }
            }

            if (!keys[best].Before(last))
            {
                break;
            }

            keys[i] = keys[best];
            i = best;
        }

        keys[i] = last;
    }

    // After a restore: the cancelled entries of the queue are those whose sequence is in the set.
    private void RebuildCancelledKeys()
    {
        _cancelledInHeap = 0;
        for (int i = 0; i < _heapCount; i++)
        {
            if (_cancelled.Contains(_heap[i].SequenceAndHandler >>> HandlerBits))
            {
                AddCancelledKey(_heap[i].Time, _heap[i].SequenceAndHandler);
            }
        }
    }

    private readonly record struct CancelledKey(long Time, long SequenceAndHandler)
    {
        public bool Before(CancelledKey other) =>
            Time < other.Time || (Time == other.Time && SequenceAndHandler < other.SequenceAndHandler);

        // 1 when this key is before the other, else 0, without a branch.
        public int BeforeBit(in CancelledKey other) =>
            (Time < other.Time ? 1 : 0) | ((Time == other.Time ? 1 : 0) & (SequenceAndHandler < other.SequenceAndHandler ? 1 : 0));
    }
}
