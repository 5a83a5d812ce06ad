using System.Numerics;
using System.Runtime.CompilerServices;

namespace DataCenterTwin.Kernel.Random;

/// <summary>
/// One component's stream of random numbers: xoshiro256** (Blackman and Vigna 2018). Streams are
/// created by <see cref="RandomStreams.For"/> and owned by one component each.
/// </summary>
public sealed class RandomStream
{
    private ulong _s0, _s1, _s2, _s3;

    internal RandomStream(string path, ulong seed)
    {
        Path = path;
        ulong x = seed;
        _s0 = SplitMix64.Next(ref x);
        _s1 = SplitMix64.Next(ref x);
        _s2 = SplitMix64.Next(ref x);
        _s3 = SplitMix64.Next(ref x);
    }

    /// <summary>The component path this stream was derived from.</summary>
    public string Path { get; }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="n"/>), unbiased (Lemire 2019).</summary>
    public int NextInt(int n)
    {
        if (n <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "Must be positive.");
        }

        ulong range = (ulong)n;
        ulong hi = Math.BigMul(NextUInt64(), range, out ulong lo);
        if (lo < range)
        {
            ulong threshold = (0UL - range) % range;
            while (lo < threshold)
            {
                hi = Math.BigMul(NextUInt64(), range, out lo);
            }
        }

        return (int)hi;
    }

    /// <summary>The four state words, for checkpoints.</summary>
    public (ulong, ulong, ulong, ulong) GetState() => (_s0, _s1, _s2, _s3);

    /// <summary>Restores the state words saved by <see cref="GetState"/>.</summary>
    public void SetState((ulong, ulong, ulong, ulong) state) => (_s0, _s1, _s2, _s3) = state;
}
