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

    /// <summary>
    /// Prefetches the lines under <paramref name="count"/> elements of <paramref name="array"/> from
    /// <paramref name="start"/>. Nothing is checked, as nothing is read: the address is worked out
    /// from the array's own (its elements start two words in, past its type and length, in the
    /// runtime's layout), since a bounds check would read the array's length, a load that may miss
    /// and stall the caller, what a prefetch is there to avoid. A wrong address costs a useless
    /// prefetch (which never faults), nothing else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(T[] array, int start, int count)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        byte* data = (byte*)Unsafe.As<T[], nint>(ref array) + (2 * sizeof(nint)) + ((nint)start * sizeof(T));
        int bytes = count * sizeof(T);
        for (int offset = 0; offset < bytes; offset += LineBytes)
        {
            Sse.Prefetch0(data + offset);
        }

        // The last line, where the range does not start on a line's boundary.
        Sse.Prefetch0(data + bytes - 1);
    }
}
