using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace DataCenterTwin.Kernel.Checkpoint;

/// <summary>Reads back what a <see cref="StateWriter"/> wrote, in the same order; running past the end is an error, never a default.</summary>
public sealed class StateReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private int _position;

    /// <summary>A reader over <paramref name="data"/>.</summary>
    public StateReader(ReadOnlyMemory<byte> data) => _data = data;

    /// <summary>Whether everything has been read.</summary>
    public bool AtEnd => _position == _data.Length;

    /// <summary>Reads one byte.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads a boolean.</summary>
    public bool ReadBool() => ReadByte() != 0;

    /// <summary>Reads a 32-bit integer.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>Reads an unsigned 64-bit integer.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>Reads a double.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads a count written by <see cref="StateWriter.WriteCount"/>.</summary>
    public long ReadCount()
    {
        ulong v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte();
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return v > long.MaxValue ? throw Corrupt("a count out of range") : (long)v;
            }
        }

        throw Corrupt("a count longer than 64 bits");
    }

    /// <summary>Reads a count that must fit an int.</summary>
    public int ReadCount32()
    {
        long v = ReadCount();
        return v > int.MaxValue ? throw Corrupt($"a count of {v}") : (int)v;
    }

    /// <summary>Reads a string.</summary>
    public string? ReadString()
    {
        long n = ReadCount();
        return n == 0 ? null : Encoding.UTF8.GetString(Take(checked((int)(n - 1))));
    }

    /// <summary>Reads raw bytes written with their length.</summary>
    public ReadOnlySpan<byte> ReadBytes() => Take(ReadCount32());

    /// <summary>Reads bytes into <paramref name="into"/>, which must be exactly as long as what was written.</summary>
    public void ReadBytes(Span<byte> into)
    {
        var bytes = ReadBytes();
        if (bytes.Length != into.Length)
        {
            throw Corrupt($"{bytes.Length} bytes where {into.Length} were expected");
        }

        bytes.CopyTo(into);
    }

    /// <summary>Reads doubles into <paramref name="into"/> (exactly as many as were written).</summary>
    public void ReadDoubles(Span<double> into) => ReadBytes(MemoryMarshal.AsBytes(into));

    /// <summary>Reads 64-bit integers into <paramref name="into"/> (exactly as many as were written).</summary>
    public void ReadInt64s(Span<long> into) => ReadBytes(MemoryMarshal.AsBytes(into));

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > _data.Length)
        {
            throw Corrupt("the data ends early");
        }

        var span = _data.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    private InvalidDataException Corrupt(string what) => new($"Checkpoint state is damaged at byte {_position}: {what}.");
}
