using System.Buffers.Binary;
using System.Text;

namespace DataCenterTwin.Kernel.Checkpoint;

/// <summary>
/// A growable little-endian buffer that component state is written into: numbers, counts, strings
/// and raw spans. It knows nothing of files or message formats; the run layer wraps what it holds
/// in whatever envelope it sends.
/// </summary>
public sealed class StateWriter
{
    private byte[] _buffer;
    private int _length;

    /// <summary>An empty writer with room for <paramref name="capacity"/> bytes before it grows.</summary>
    public StateWriter(int capacity = 4096) => _buffer = new byte[Math.Max(16, capacity)];

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>What has been written.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>A copy of what has been written.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>Writes a boolean as one byte.</summary>
    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Writes a 32-bit integer.</summary>
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    /// <summary>Writes a 64-bit integer.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes an unsigned 64-bit integer.</summary>
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes a double bit for bit (NaN payloads and negative zero survive).</summary>
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);

    /// <summary>Writes a non-negative count in as few bytes as it needs (7 bits a byte).</summary>
    public void WriteCount(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ulong v = (ulong)value;
        while (v >= 0x80)
        {
            WriteByte((byte)(v | 0x80));
            v >>= 7;
        }

        WriteByte((byte)v);
    }

    /// <summary>Writes a string (UTF-8, length first); null is kept apart from empty.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteCount(0);
            return;
        }

        int bytes = Encoding.UTF8.GetByteCount(value);
        WriteCount(bytes + 1L);
        Encoding.UTF8.GetBytes(value, Reserve(bytes));
    }

    /// <summary>Writes raw bytes, length first.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteCount(value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>Writes a span of doubles, length first.</summary>
    public void WriteDoubles(ReadOnlySpan<double> values) => WriteBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    /// <summary>Writes a span of 64-bit integers, length first.</summary>
    public void WriteInt64s(ReadOnlySpan<long> values) => WriteBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
