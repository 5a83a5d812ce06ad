using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace DataCenterTwin.Kernel;

/// <summary>
/// Software prefetch for <see cref="IEventPrefetcher"/>s: asks for the cache lines under a range of
/// memory without waiting for them and without faulting. A hint: where the processor has no such
/// instruction it does nothing, and nothing computed depends on it.
/// </summary>
public static class CacheHint
{
    private const int LineBytes = 64;

    /// <summary>Prefetches the lines under <paramref name="count"/> elements of <paramref name="array"/> from <paramref name="start"/>, clamped to the array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch<T>(T[] array, int start, int count)
        where T : unmanaged
    {
        if (!Sse.IsSupported || (uint)start >= (uint)array.Length)
        {
            return;
        }

        count = Math.Min(count, array.Length - start);
        PrefetchBytes(ref Unsafe.As<T, byte>(ref array[start]), count * Unsafe.SizeOf<T>());
    }

    // A stale address (the array moved by the collector since) is harmless: a prefetch never faults.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchBytes(ref byte first, int bytes)
    {
        byte* p = (byte*)Unsafe.AsPointer(ref first);
        for (int offset = 0; offset < bytes; offset += LineBytes)
        {
            Sse.Prefetch0(p + offset);
        }

        // The last line, where the range does not start on a line's boundary.
        Sse.Prefetch0(p + bytes - 1);
    }
}
