using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DataCenterTwin.Model.Compute;

// Element-wise sums over a pool's or the hall's racks, four lanes at a time. Each element gets the
// same single IEEE addition (or the same two, in the same order) as the scalar loop gives it, so the
// bits are those of the scalar loop; the JIT vectorises neither of these loops by itself.
internal static class RackSpans
{
    // values[i] += add, for every i.
    public static void AddToEach(Span<double> values, double add)
    {
        ref double at = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var addV = Vector256.Create(add);
            for (; i + 4 <= n; i += 4)
            {
                (Vector256.LoadUnsafe(ref at, i) + addV).StoreUnsafe(ref at, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref at, i) += add;
        }
    }

    // into[i] = (a[i] + b[i]) - c[i], for every i of `into` (the others at least as long).
    public static void SumMinus(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, Span<double> into)
    {
        nuint n = (nuint)into.Length;
        if ((nuint)a.Length < n || (nuint)b.Length < n || (nuint)c.Length < n)
        {
            throw new ArgumentException("Every input must be at least as long as the output.", nameof(into));
        }

        ref double ar = ref MemoryMarshal.GetReference(a), br = ref MemoryMarshal.GetReference(b), cr = ref MemoryMarshal.GetReference(c);
        ref double to = ref MemoryMarshal.GetReference(into);
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                (Vector256.LoadUnsafe(ref ar, i) + Vector256.LoadUnsafe(ref br, i) - Vector256.LoadUnsafe(ref cr, i)).StoreUnsafe(ref to, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref to, i) = Unsafe.Add(ref ar, i) + Unsafe.Add(ref br, i) - Unsafe.Add(ref cr, i);
        }
    }
}
