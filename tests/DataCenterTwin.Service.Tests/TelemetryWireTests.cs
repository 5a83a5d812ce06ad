using System.Buffers;
using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Google.Protobuf;
using Grpc.Core;

namespace DataCenterTwin.Service.Tests;

public sealed class TelemetryWireTests
{
    [Theory]
    [InlineData(0UL, SessionState.Running)]
    [InlineData(1UL, SessionState.Paused)]
    [InlineData(300UL, SessionState.Finished)]
    [InlineData(ulong.MaxValue, SessionState.Running)]
    [InlineData(7UL, SessionState.Unspecified)]
    public void Frame_WrittenForAStream_IsByteForByteWhatProtobufWrites(ulong dropped, SessionState state)
    {
        // The snapshot is serialized once per frame; each stream's message adds its dropped count.
        // The known answer is Google.Protobuf's own serialization of the same TelemetryMessage.
        var snapshot = new Snapshot
        {
            SimTimeS = 37_800,
            Step = 630,
            Facility = new FacilityState { ItPowerW = 812_345.5, TotalPowerW = 1_001_234.25, Pue = 1.2325, GasShare = 0.5, GeneratorRunning = true },
        };
        snapshot.Racks.Add(new RackState { Name = "row1/rack3", PowerW = 41_000, InletC = 24.5, Throttled = true });
        var frame = new TelemetryFrame(snapshot, state);
        var context = new BufferContext();
        TelemetryWire.Marshaller.ContextualSerializer(new TelemetryWire { Frame = frame, Dropped = dropped }, context);

        byte[] expected = new TelemetryMessage { Snapshot = snapshot, DroppedMessages = dropped, State = state }.ToByteArray();
        Assert.True(context.Completed);
        Assert.Equal(expected.Length, context.Length);
        Assert.Equal(expected, context.Bytes);
        var parsed = TelemetryMessage.Parser.ParseFrom(context.Bytes);
        Assert.Equal(dropped, parsed.DroppedMessages);
        Assert.Equal(812_345.5, parsed.Snapshot.Facility.ItPowerW);
    }

    private sealed class BufferContext : SerializationContext
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public int? Length { get; private set; }

        public bool Completed { get; private set; }

        public byte[] Bytes => _buffer.WrittenSpan.ToArray();

        public override void SetPayloadLength(int payloadLength) => Length = payloadLength;

        public override IBufferWriter<byte> GetBufferWriter() => _buffer;

        public override void Complete() => Completed = true;

        public override void Complete(byte[] payload) => throw new NotSupportedException("the marshaller writes into the buffer");
    }
}
