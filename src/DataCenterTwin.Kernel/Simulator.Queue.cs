using System.Runtime.CompilerServices;

namespace DataCenterTwin.Kernel;

// The event queue: a 4-ary min-heap of 24-byte struct entries keyed by (time, sequence), as small
// as the hand-written lean loop's, so a deep queue costs no more memory traffic. The sequence
// shares a word with the handler index (below it, so comparing the word compares the sequence),
// and the kind shares a word with the payload.
// Cancelling is lazy: the event's sequence goes into a set (and its key into a heap of cancelled
// keys, Simulator.CancelledKeys.cs), and the dead entry is dropped when it reaches the root. An
// event is pending while it has been issued, is not in the cancelled set, and its key is above
// the key of the last fired event (events fire in key order, and every event scheduled later has
// a larger key). A dropped entry's sequence stays in the set until the fired key passes it; only
// then does the key test alone say it is gone.
public sealed partial class Simulator
{
    /// <summary>Bits of the handler index packed below the sequence number.</summary>
    internal const int HandlerBits = 16;

    /// <summary>Bits of the payload packed below the kind.</summary>
    internal const int ArgBits = 48;

    /// <summary>The most handlers one simulator can register.</summary>
    public const int MaxHandlers = 1 << HandlerBits;

    /// <summary>Event kinds are in [0, MaxKind].</summary>
    public const int MaxKind = (1 << (64 - ArgBits - 1)) - 1;

    /// <summary>Payloads are in [-2^47, 2^47).</summary>
    public const long MaxArg = (1L << (ArgBits - 1)) - 1;

    private const long HandlerMask = (1L << HandlerBits) - 1;

    private struct HeapEntry
    {
        public long Time;
        public long SequenceAndHandler;
        public long KindAndArg;
    }

    private HeapEntry[] _heap;
    private int _heapCount;
    private readonly HashSet<long> _cancelled = [];
    private readonly Queue<(long Time, long Sequence)> _dropped = new();
    private int _cancelledInHeap;
    private int _droppedPurgeThreshold = 1024;
    private long _lastFiredTime = long.MinValue;
    private long _lastFiredSequence;
    private bool _rootFiring;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private EventHandle Push(long time, int handler, int kind, long arg)
    {
        if ((uint)kind > MaxKind || arg > MaxArg || arg < -MaxArg - 1)
        {
            ThrowPayload(kind, arg);
        }

        var entry = new HeapEntry
        {
            Time = time,
            SequenceAndHandler = (_sequence++ << HandlerBits) | (uint)handler,
            KindAndArg = ((long)kind << ArgBits) | (arg & ((1L << ArgBits) - 1)),
        };

        if (++_liveCount > PendingHighWaterMark)
        {
            PendingHighWaterMark = _liveCount;
        }

        if (_rootFiring)
        {
            _rootFiring = false;
            SiftDown(0, entry);
        }
        else
        {
            if (_heapCount == _heap.Length)
            {
                Array.Resize(ref _heap, _heap.Length * 2);
            }

            SiftUp(_heapCount++, entry);
        }

        return new EventHandle(entry.Time, entry.SequenceAndHandler, entry.KindAndArg);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int KindOf(long kindAndArg) => (int)(kindAndArg >>> ArgBits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ArgOf(long kindAndArg) => (kindAndArg << (64 - ArgBits)) >> (64 - ArgBits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HandlerOf(long sequenceAndHandler) => (int)(sequenceAndHandler & HandlerMask);

    private bool IsPendingEntry(long time, long sequenceAndHandler)
    {
        long sequence = sequenceAndHandler >>> HandlerBits;
        return sequenceAndHandler != 0
            && sequence < _sequence
            && !HasPassed(time, sequence)
            && !_cancelled.Contains(sequence);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HasPassed(long time, long sequence) =>
        time < _lastFiredTime || (time == _lastFiredTime && sequence <= _lastFiredSequence);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Less(in HeapEntry a, in HeapEntry b) =>
        a.Time < b.Time || (a.Time == b.Time && a.SequenceAndHandler < b.SequenceAndHandler);

    // 1 when a's key is below b's, else 0, computed without a branch.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LessBit(in HeapEntry a, in HeapEntry b) =>
        (a.Time < b.Time ? 1 : 0) | ((a.Time == b.Time ? 1 : 0) & (a.SequenceAndHandler < b.SequenceAndHandler ? 1 : 0));

    private void SiftUp(int i, HeapEntry entry)
    {
        var heap = _heap;
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            if (!Less(entry, heap[parent]))
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = entry;
    }

    private void SiftDown(int i, HeapEntry entry)
    {
        var heap = _heap;
        int count = _heapCount;
        while (true)
        {
            int child = (i << 2) + 1;
            if (child >= count)
            {
                break;
            }

            int best = LeastChild(heap, child, count);
            if (!Less(heap[best], entry))
            {
                break;
            }

            heap[i] = heap[best];
            i = best;
        }

        heap[i] = entry;
    }

    // The least of the children from `child` on (up to four, fewer at the end of the heap).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LeastChild(HeapEntry[] heap, int child, int count)
    {
        if (child + 4 <= count)
        {
            // Four children: the least by a tournament of selects, with no branch on the keys.
            // Event times are as good as random to the branch predictor, so a scan's compares
            // mispredicted about one in two, each costing more than the compare. Keys are
            // unique (the sequence breaks ties), so the least is the scan's choice.
            var family = heap.AsSpan(child, 4);
            int a = LessBit(family[1], family[0]);
            int b = 2 + LessBit(family[3], family[2]);
            return child + (a ^ ((a ^ b) & -LessBit(family[b], family[a])));
        }

        int best = child;
        for (int j = child + 1; j < count; j++)
        {
            if (Less(heap[j], heap[best]))
            {
                best = j;
            }
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkFired(in HeapEntry root)
    {
        _lastFiredTime = root.Time;
        _lastFiredSequence = root.SequenceAndHandler >>> HandlerBits;
        if (_dropped.Count > 0)
        {
            PurgeDropped();
        }
    }

    private void RemoveRoot()
    {
        int last = --_heapCount;
        if (last > 0)
        {
            SiftDown(0, _heap[last]);
        }
    }

    // Drops cancelled entries from the root until a live one (or nothing) is there.
    private void DropCancelledRoot()
    {
        while (RootIsCancelled())
        {
            _dropped.Enqueue((_heap[0].Time, _heap[0].SequenceAndHandler >>> HandlerBits));
            RemoveMinCancelledKey();
            RemoveRoot();
        }
    }

    // Forgets dropped cancellations the fired key has passed. Drops leave in heap order but later
    // schedules can be earlier, so the queue is only roughly sorted: the front is purged as it is
    // passed, and the whole queue is swept when it has doubled since the last sweep.
    private void PurgeDropped()
    {
        while (_dropped.TryPeek(out var d) && HasPassed(d.Time, d.Sequence))
        {
            _dropped.Dequeue();
            _cancelled.Remove(d.Sequence);
        }

        if (_dropped.Count > _droppedPurgeThreshold)
        {
            for (int i = _dropped.Count; i > 0; i--)
            {
                var d = _dropped.Dequeue();
                if (HasPassed(d.Time, d.Sequence))
                {
                    _cancelled.Remove(d.Sequence);
                }
                else
                {
                    _dropped.Enqueue(d);
                }
            }

            _droppedPurgeThreshold = Math.Max(1024, 2 * _dropped.Count);
        }
    }

    private static void ThrowPayload(int kind, long arg) =>
        throw new ArgumentOutOfRangeException(nameof(kind), $"Event kind {kind} must be in [0, {MaxKind}] and payload {arg} in [{-MaxArg - 1}, {MaxArg}].");
}
