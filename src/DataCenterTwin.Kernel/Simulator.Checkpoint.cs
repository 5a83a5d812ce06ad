namespace DataCenterTwin.Kernel;

// Checkpoint and restore of the kernel's whole state: clock, sequence counter, counters, the queue
// with its cancelled set (so handles held by components stay valid), handler identities by path,
// and every random stream. Components save their own state beside it.
public sealed partial class Simulator
{
    private const int CheckpointMagic = 0x4B435444; // "DTCK"
    private const int CheckpointVersion = 3;

    /// <summary>Writes the kernel's whole state.</summary>
    /// <exception cref="InvalidOperationException">Called while an event is being fired.</exception>
    public void SaveCheckpoint(BinaryWriter writer)
    {
        if (_rootFiring)
        {
            throw new InvalidOperationException("Cannot checkpoint while an event is being fired.");
        }

        writer.Write(CheckpointMagic);
        writer.Write(CheckpointVersion);
        writer.Write(_now);
        writer.Write(_sequence);
        writer.Write(_lastFiredTime);
        writer.Write(_lastFiredSequence);
        writer.Write(_cancelledInHeap);
        writer.Write(_fired);
        writer.Write(PendingHighWaterMark);
        writer.Write(_liveCount);

        writer.Write(_handlerCount);
        for (int i = 0; i < _handlerCount; i++)
        {
            writer.Write(_handlerPaths[i]);
        }

        writer.Write(_heapCount);
        for (int i = 0; i < _heapCount; i++)
        {
            writer.Write(_heap[i].Time);
            writer.Write(_heap[i].SequenceAndHandler);
            writer.Write(_heap[i].KindAndArg);
        }

        var cancelled = _cancelled.ToArray();
        Array.Sort(cancelled);
        writer.Write(cancelled.Length);
        foreach (long sequence in cancelled)
        {
            writer.Write(sequence);
        }

        writer.Write(_dropped.Count);
        foreach (var (time, sequence) in _dropped)
        {
            writer.Write(time);
            writer.Write(sequence);
        }

        writer.Write(Random.Seed);
        writer.Write(Random.Streams.Count);
        foreach (var stream in Random.Streams)
        {
            writer.Write(stream.Path);
            var (a, b, c, d) = stream.GetState();
            writer.Write(a);
            writer.Write(b);
            writer.Write(c);
            writer.Write(d);
        }
    }

    /// <summary>
    /// Replaces this simulator's state with a checkpoint. The handlers must already be registered
    /// here under the same paths in the same order (as building the same scenario does), so that
    /// pending events and the handles components hold stay bound to the right handlers. A restored
    /// run continues bit-identically.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is not a checkpoint, or its handlers or seed differ.</exception>
    public void RestoreCheckpoint(BinaryReader reader)
    {
        if (reader.ReadInt32() != CheckpointMagic || reader.ReadInt32() != CheckpointVersion)
        {
            throw new InvalidDataException("Not a DataCenterTwin kernel checkpoint (or another version).");
        }

        long now = reader.ReadInt64();
        long sequence = reader.ReadInt64();
        long lastFiredTime = reader.ReadInt64();
        long lastFiredSequence = reader.ReadInt64();
        int cancelledInHeap = reader.ReadInt32();
        long fired = reader.ReadInt64();
        int highWater = reader.ReadInt32();
        int live = reader.ReadInt32();

        int handlerCount = reader.ReadInt32();
        if (handlerCount > _handlerCount)
        {
            throw new InvalidDataException($"The checkpoint has {handlerCount} handlers; only {_handlerCount} are registered.");
        }

        for (int i = 0; i < handlerCount; i++)
        {
            string path = reader.ReadString();
            if (!string.Equals(path, _handlerPaths[i], StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Handler {i} is '{path}' in the checkpoint but '{_handlerPaths[i]}' here.");
            }
        }

        int heapCount = reader.ReadInt32();
        var heap = new HeapEntry[Math.Max(4, Math.Max(heapCount, _heap.Length))];
        for (int i = 0; i < heapCount; i++)
        {
            heap[i] = new HeapEntry { Time = reader.ReadInt64(), SequenceAndHandler = reader.ReadInt64(), KindAndArg = reader.ReadInt64() };
        }

        int cancelledCount = reader.ReadInt32();
        var cancelled = new long[cancelledCount];
        for (int i = 0; i < cancelledCount; i++)
        {
            cancelled[i] = reader.ReadInt64();
        }

        int droppedCount = reader.ReadInt32();
        var dropped = new (long, long)[droppedCount];
        for (int i = 0; i < droppedCount; i++)
        {
            dropped[i] = (reader.ReadInt64(), reader.ReadInt64());
        }

        ulong seed = reader.ReadUInt64();
        if (seed != Random.Seed)
        {
            throw new InvalidDataException($"The checkpoint was taken with seed {seed}, this simulator has seed {Random.Seed}.");
        }

        int streamCount = reader.ReadInt32();
        for (int i = 0; i < streamCount; i++)
        {
            string path = reader.ReadString();
            Random.For(path).SetState((reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64()));
        }

        _now = now;
        _sequence = sequence;
        _lastFiredTime = lastFiredTime;
        _lastFiredSequence = lastFiredSequence;
        _fired = fired;
        PendingHighWaterMark = highWater;
        _liveCount = live;
        _heap = heap;
        _heapCount = heapCount;
        _cancelled.Clear();
        _cancelled.UnionWith(cancelled);
        _dropped.Clear();
        foreach (var d in dropped)
        {
            _dropped.Enqueue(d);
        }

        RebuildCancelledKeys();
        if (_cancelledInHeap != cancelledInHeap)
        {
            throw new InvalidDataException($"The checkpoint counts {cancelledInHeap} cancelled events in the queue; its queue holds {_cancelledInHeap}.");
        }

        _rootFiring = false;
    }
}
