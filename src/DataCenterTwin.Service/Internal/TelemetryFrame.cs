using DataCenterTwin.Service.V1;
using Google.Protobuf;
using Grpc.Core;
using ProtoSnapshot = DataCenterTwin.Service.V1.Snapshot;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// One telemetry message's shared part, serialized once for every stream that sends it: the
/// snapshot (TelemetryMessage field 1) and the session's state (field 3) as protobuf wire bytes.
/// A stream adds only its own count of dropped messages (field 2) when it writes.
/// </summary>
internal sealed class TelemetryFrame
{
    // TelemetryMessage's field tags: (field number << 3) | wire type.
    private const byte SnapshotTag = (1 << 3) | 2;
    private const byte DroppedTag = 2 << 3;
    private const byte StateTag = 3 << 3;

    private readonly byte[] _wire;
    private readonly int _snapshotBytes;

    public TelemetryFrame(ProtoSnapshot snapshot, SessionState state)
    {
        Snapshot = snapshot;
        State = state;
        int size = snapshot.CalculateSize();
        _snapshotBytes = 1 + CodedOutputStream.ComputeLengthSize(size) + size;
        int stateBytes = state == 0 ? 0 : 1 + CodedOutputStream.ComputeEnumSize((int)state);
        _wire = new byte[_snapshotBytes + stateBytes];
        var output = new CodedOutputStream(_wire);
        output.WriteRawTag(SnapshotTag);
        output.WriteMessage(snapshot);
        if (stateBytes > 0)
        {
            output.WriteRawTag(StateTag);
            output.WriteEnum((int)state);
        }

        output.CheckNoSpaceLeft();
    }

    /// <summary>The snapshot as sent.</summary>
    public ProtoSnapshot Snapshot { get; }

    /// <summary>The session's state when the snapshot was taken.</summary>
    public SessionState State { get; }

    /// <summary>The bytes of the TelemetryMessage of this frame with <paramref name="dropped"/> messages dropped.</summary>
    public int MessageSize(ulong dropped) => _wire.Length + (dropped == 0 ? 0 : 1 + CodedOutputStream.ComputeUInt64Size(dropped));

    /// <summary>Writes the message into <paramref name="into"/> (<see cref="MessageSize"/> bytes), its fields in field-number order as protobuf writes them.</summary>
    public void WriteMessage(ulong dropped, Span<byte> into)
    {
        _wire.AsSpan(0, _snapshotBytes).CopyTo(into);
        int at = _snapshotBytes;
        if (dropped != 0)
        {
            into[at++] = DroppedTag;
            while (dropped >= 0x80)
            {
                into[at++] = (byte)(dropped | 0x80);
                dropped >>= 7;
            }

            into[at++] = (byte)dropped;
        }

        _wire.AsSpan(_snapshotBytes).CopyTo(into[at..]);
    }
}

/// <summary>
/// What a telemetry stream writes: a shared frame and the stream's own count of dropped messages.
/// Its marshaller copies the frame's bytes into the response instead of serializing the snapshot again
/// for every stream; on the wire it is a TelemetryMessage, byte for byte what Google.Protobuf writes.
/// </summary>
internal sealed class TelemetryWire
{
    /// <summary>The response marshaller of Streams.StreamTelemetry (server side: it only serializes).</summary>
    public static readonly Marshaller<TelemetryWire> Marshaller = new(Serialize, _ =>
        throw new NotSupportedException("a TelemetryWire is only written; clients read a TelemetryMessage"));

    public TelemetryFrame? Frame { get; set; }

    public ulong Dropped { get; set; }

    private static void Serialize(TelemetryWire message, SerializationContext context)
    {
        var frame = message.Frame ?? throw new InvalidOperationException("a telemetry message without a frame");
        int size = frame.MessageSize(message.Dropped);
        context.SetPayloadLength(size);
        var writer = context.GetBufferWriter();
        frame.WriteMessage(message.Dropped, writer.GetSpan(size)[..size]);
        writer.Advance(size);
        context.Complete();
    }
}
