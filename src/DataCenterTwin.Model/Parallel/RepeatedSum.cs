using System.Runtime.InteropServices;

namespace DataCenterTwin.Model.Parallel;

/// <summary>
/// Sums in index order without walking the chain where it adds one value again and again: the bits
/// of <c>for (i = 0; i &lt; count; i++) sum += a;</c> in a few steps. Racks alike (a pool's racks
/// take one rack's results) add the same value to a hall total once a rack, and each addition waits
/// on the one before: a chain of a thousand additions is a few microseconds a control step.
/// </summary>
/// <remarks>
/// Why it is exact. Let x &gt; 0 be normal with ulp u (x = X·u, X an integer in [2^52, 2^53)) and
/// a &gt; 0 with a/u = A. While the exact x + a stays below the top of x's binade, T = 2^53·u, the
/// doubles around it are the multiples of u, so rounding to nearest gives x + RN(A)·u; the result
/// differs from that only on a tie (A's fraction exactly one half), which goes to the even neighbour:
/// from an even X that adds the even one of floor(A) and floor(A) + 1, and X stays even (an odd X
/// takes one plain addition first). So every addition in the binade adds the same D multiples of u,
/// and k of them give (X + k·D)·u, an integer times a power of two, exact. The additions stay in the binade
/// while X + k·D + A &lt; 2^53; the one that leaves it is made as a plain addition and the count goes
/// on from the next binade. Negative x and a mirror the positive case (rounding to nearest is
/// symmetric); anything else (signs that differ, zeros, subnormals, NaN, infinities, values
/// near the largest double) takes the plain additions.
/// </remarks>
public static class RepeatedSum
{
    // Below this many additions the plain loop is as quick as working out the steps.
    private const int MinRun = 8;

    private const long MantissaMask = (1L << 52) - 1;

    /// <summary>The bits of adding <paramref name="a"/> to <paramref name="sum"/>, <paramref name="count"/> times in turn.</summary>
    public static double AddRepeated(double sum, double a, int count)
    {
        while (count > 0)
        {
            if (count < MinRun)
            {
                return AddPlain(sum, a, count);
            }

            if (sum > 0 && a > 0)
            {
                if (!TryBinade(ref sum, a, ref count))
                {
                    return AddPlain(sum, a, count);
                }
            }
            else if (sum < 0 && a < 0)
            {
                double negative = -sum;
                if (!TryBinade(ref negative, -a, ref count))
                {
                    return AddPlain(sum, a, count);
                }

                sum = -negative;
            }
            else if (a == 0 && sum != 0 && !double.IsNaN(sum))
            {
                // x + 0 is x to the bit for any x but -0 (and NaN, whose payload the loop keeps).
                return sum;
            }
            else if (sum == 0 && a != 0 && double.IsFinite(a))
            {
                // ±0 + a is a: the chain starts from a, one addition taken.
                sum += a;
                count--;
            }
            else
            {
                return AddPlain(sum, a, count);
            }
        }

        return sum;
    }

    /// <summary>
    /// The bits of adding <paramref name="values"/> to <paramref name="sum"/> one at a time in index
    /// order: runs of the same bits through <see cref="AddRepeated"/>, the rest one by one.
    /// </summary>
    public static double AddInOrder(double sum, ReadOnlySpan<double> values)
    {
        var bits = MemoryMarshal.Cast<double, long>(values);
        int n = values.Length;
        int i = 0;
        while (i < n)
        {
            double v = values[i];
            // A value unlike the next is added at once: a hall with every rack its own pays a compare a rack.
            if (i + MinRun >= n || bits[i + 1] != bits[i])
            {
                sum += v;
                i++;
                continue;
            }

            int run = bits[i..].IndexOfAnyExcept(bits[i]);
            if (run < 0)
            {
                run = n - i;
            }

            sum = AddRepeated(sum, v, run);
            i += run;
        }

        return sum;
    }

    /// <summary>
    /// Two sums in one pass, <paramref name="sumA"/> over <paramref name="a"/> and <paramref name="sumB"/>
    /// over <paramref name="b"/> (as long as it), each the bits of adding its values one at a time in
    /// index order; a run where both repeat a value goes through <see cref="AddRepeated"/>. The two
    /// chains of additions overlap where the values differ, as in one loop adding both.
    /// </summary>
    public static void AddInOrder(ref double sumA, ReadOnlySpan<double> a, ref double sumB, ReadOnlySpan<double> b)
    {
        int n = a.Length;
        if (b.Length < n)
        {
            throw new ArgumentException("the second span is shorter than the first", nameof(b));
        }

        var bitsA = MemoryMarshal.Cast<double, long>(a);
        var bitsB = MemoryMarshal.Cast<double, long>(b[..n]);
        double x = sumA, y = sumB;
        int i = 0;
        while (i < n)
        {
            if (i + MinRun >= n || bitsA[i + 1] != bitsA[i] || bitsB[i + 1] != bitsB[i])
            {
                x += a[i];
                y += b[i];
                i++;
                continue;
            }

            int runA = bitsA[i..].IndexOfAnyExcept(bitsA[i]);
            int runB = bitsB[i..].IndexOfAnyExcept(bitsB[i]);
            int run = Math.Min(runA < 0 ? n - i : runA, runB < 0 ? n - i : runB);
            x = AddRepeated(x, a[i], run);
            y = AddRepeated(y, b[i], run);
            i += run;
        }

        (sumA, sumB) = (x, y);
    }

    private static double AddPlain(double sum, double a, int count)
    {
        for (int i = 0; i < count; i++)
        {
            sum += a;
        }

        return sum;
    }

    // x > 0 and a > 0: takes the additions that stay in x's binade (at least one, the one that leaves
    // it made plainly), lowering count; false (nothing done) where the shortcut does not hold.
    private static bool TryBinade(ref double x, double a, ref int count)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int biased = (int)(bits >> 52);

        // Normal, with u = 2^(biased - 1075) a normal double, and T = 2^53·u far from overflow.
        if (biased < 53 || biased > 2000 || !double.IsFinite(a))
        {
            return false;
        }

        double u = BitConverter.Int64BitsToDouble((long)(biased - 52) << 52);
        double top = u * 9007199254740992.0; // 2^53·u, exact
        if (a >= top)
        {
            // One addition leaves the binade at once: made plainly.
            x += a;
            count--;
            return true;
        }

        long mantissa = (bits & MantissaMask) | (1L << 52);

        // A = a/u scales by a power of two; where it is below a quarter (perhaps rounded, as a very
        // small quotient may be) it rounds to 0 with no tie, and x + a is x for good.
        double quotient = a * BitConverter.Int64BitsToDouble((long)(2098 - biased) << 52); // a · 2^(1075 - biased), 1/u
        if (quotient < 0.25)
        {
            count = 0;
            return true;
        }

        double whole = Math.Floor(quotient);
        double fraction = quotient - whole; // exact: the low bits of a double below 2^53
        long wholeA = (long)whole;
        long d;
        if (fraction == 0.5)
        {
            // A tie rounds to the even neighbour: from an odd X one plain addition (its result is
            // even); from an even X each addition adds the even one of floor(A) and floor(A) + 1,
            // and X stays even.
            if ((mantissa & 1) != 0)
            {
                x += a;
                count--;
                return true;
            }

            d = wholeA + (wholeA & 1);
        }
        else
        {
            d = fraction < 0.5 ? wholeA : wholeA + 1;
        }

        // Additions k = 0, 1, … stay in the binade while X + k·D + A < 2^53, that is k·D <= 2^53 - 1 - X - floor(A).
        if (d == 0)
        {
            // A below a half: x + a rounds back to x (the sum stays below T, X being below 2^53).
            count = 0;
            return true;
        }

        long room = (1L << 53) - 1 - mantissa - wholeA;
        if (room < 0)
        {
            x += a;
            count--;
            return true;
        }

        // floor(room / d) through a double quotient (an integer divide is tens of cycles), put right
        // where the quotient's rounding moved it across an integer.
        long k = (long)((double)room / d);
        if (k * d > room)
        {
            k--;
        }
        else if ((k + 1) * d <= room)
        {
            k++;
        }

        long steps = Math.Min(k + 1, count);
        x = (mantissa + (steps * d)) * u; // an integer up to 2^53 times a power of two: exact
        count -= (int)steps;
        if (count > 0)
        {
            // The next addition leaves the binade (or the room ran out with it): made plainly here
            // rather than found so on the next call.
            x += a;
            count--;
        }

        return true;
    }
}
