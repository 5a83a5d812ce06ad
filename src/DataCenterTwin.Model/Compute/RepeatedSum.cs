using System.Runtime.InteropServices;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// One value added to a running sum again and again (a run of racks alike), with the bits of adding
/// it one addition after another, in far fewer steps than additions.
/// </summary>
/// <remarks>
/// While a positive sum stays in one binade [T/2, T) its doubles are the multiples of one unit U,
/// and adding x to any of them rounds to the same multiple d of U, unless x is exactly half a unit
/// off a multiple (a tie goes to the even multiple, which alternates): so n such additions add
/// exactly n·d, as long as each one's exact result stays below T. How many do is worked in whole
/// units. The binade's first addition, ties, a crossing into the next binade, mixed signs, zeros,
/// NaN, infinities and subnormal units go one addition at a time. Negative sums of negative values
/// are the positive case mirrored (rounding to nearest is symmetric).
/// </remarks>
internal static class RepeatedSum
{
    // Below this many additions the plain loop is as quick as working out a jump.
    private const int PlainBelow = 8;

    /// <summary>The sum after adding <paramref name="x"/> to <paramref name="sum"/> <paramref name="count"/> times, in turn.</summary>
    public static double Add(double sum, double x, int count)
    {
        while (count >= PlainBelow)
        {
            sum += x;
            count--;
            bool negative = sum < 0 && x < 0;
            double a = negative ? -sum : sum, y = negative ? -x : x;
            if (!(a > 0 && y > 0) || !double.IsFinite(a) || !double.IsFinite(y))
            {
                // x == 0 leaves every later sum as this one (a -0 sum stays only with x -0, and
                // +0 takes either zero); the rest one at a time.
                return x == 0 ? sum : Plain(sum, x, count);
            }

            int exponent = (int)(BitConverter.DoubleToInt64Bits(a) >> 52);
            if (exponent < 54 || exponent > 2045)
            {
                return Plain(sum, x, count);
            }

            double top = BitConverter.Int64BitsToDouble((long)(exponent + 1) << 52);
            double unit = BitConverter.Int64BitsToDouble((long)(exponent - 52) << 52);

            // 1/unit, a power of two: multiplying by it is exact (no result here under- or overflows).
            double perUnit = BitConverter.Int64BitsToDouble((long)(2098 - exponent) << 52);
            double a2 = a + y;
            count--;
            if (!(a2 < top))
            {
                // Into the next binade (or rounded up to its first double): one addition.
                sum = negative ? -a2 : a2;
                continue;
            }

            // Exact: a ≤ a2 < 2a (Sterbenz); and y − d is exact too, as y is within half a unit of d
            // and between d/2 and 2d when d is not zero.
            double d = a2 - a;
            double off = y - d;
            if (Math.Abs(off) == unit * 0.5)
            {
                sum = negative ? -a2 : a2;
                continue;
            }

            if (d == 0)
            {
                // x is under half a unit: no addition in this binade moves the sum.
                return negative ? -a2 : a2;
            }

            // In units (whole numbers under 2^53, exact in doubles): the i-th addition after a2
            // starts at a2 + (i−1)·d and stays below the top while (i−1)·D + y/U < A, that is
            // (i−1)·D ≤ A − ⌊y/U⌋ − 1. The quotient's floor is exact: its rounding error is under
            // 1/D, the least distance from a fraction n/D to the next whole number.
            double room = (top - a2) * perUnit;
            double dUnits = d * perUnit;
            double limit = room - Math.Floor(y * perUnit) - 1;
            double steps = limit < 0 ? 0 : count * dUnits <= limit ? count : Math.Min(Math.Floor(limit / dUnits) + 1, count);

            // a2 + steps·d is the last of those sums, a double at most the top: every term is exact.
            double after = a2 + (steps * dUnits * unit);
            count -= (int)steps;
            sum = negative ? -after : after;
        }

        return Plain(sum, x, count);
    }

    /// <summary>The first index from <paramref name="from"/> on, before <paramref name="end"/>, whose value has other bits than values[from] (end if none).</summary>
    public static int RunEnd(ReadOnlySpan<double> values, int from, int end)
    {
        var bits = MemoryMarshal.Cast<double, long>(values.Slice(from, end - from));
        int i = bits.IndexOfAnyExcept(bits[0]);
        return i < 0 ? end : from + i;
    }

    // The additions one at a time: the reference.
    private static double Plain(double sum, double x, int count)
    {
        for (int i = 0; i < count; i++)
        {
            sum += x;
        }

        return sum;
    }
}
