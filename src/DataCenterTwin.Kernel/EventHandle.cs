namespace DataCenterTwin.Kernel;

/// <summary>
/// Refers to one scheduled event, to cancel or move it. A handle goes stale when its event fires,
/// is cancelled or is moved (moving updates the caller's handle); a stale handle is refused, never
/// obeyed. The default handle refers to nothing. It is a copy of the queue entry, so moving an
/// event needs no lookup.
/// </summary>
public readonly struct EventHandle : IEquatable<EventHandle>
{
    internal EventHandle(long time, long sequenceAndHandler, long kindAndArg)
    {
        TimeTicks = time;
        SequenceAndHandler = sequenceAndHandler;
        KindAndArg = kindAndArg;
    }

    internal long TimeTicks { get; }

    internal long SequenceAndHandler { get; }

    internal long KindAndArg { get; }

    /// <summary>The insertion sequence number of the event (1 for the first event ever scheduled).</summary>
    public long Sequence => SequenceAndHandler >>> Simulator.HandlerBits;

    /// <summary>The time the event was scheduled for.</summary>
    public SimTime Time => new(TimeTicks);

    /// <summary>Whether this handle was never issued.</summary>
    public bool IsNone => SequenceAndHandler == 0;

    /// <inheritdoc/>
    public bool Equals(EventHandle other) => SequenceAndHandler == other.SequenceAndHandler && TimeTicks == other.TimeTicks;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EventHandle h && Equals(h);

    /// <inheritdoc/>
    public override int GetHashCode() => SequenceAndHandler.GetHashCode();

    /// <summary>Handle equality.</summary>
    public static bool operator ==(EventHandle left, EventHandle right) => left.Equals(right);

    /// <summary>Handle inequality.</summary>
    public static bool operator !=(EventHandle left, EventHandle right) => !left.Equals(right);

    /// <summary>Writes the handle, for a component's checkpoint.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(TimeTicks);
        writer.Write(SequenceAndHandler);
        writer.Write(KindAndArg);
    }

    /// <summary>Reads a handle written by <see cref="Write"/>.</summary>
    public static EventHandle Read(BinaryReader reader) => new(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());

    /// <inheritdoc/>
    public override string ToString() => IsNone ? "event(none)" : $"event(#{Sequence} at {Time})";
}
