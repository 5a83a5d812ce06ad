using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Twin;

/// <summary>
/// Each rack's mean power over a control step from its cumulative energy, and its power above idle
/// at full clocks, four racks at a time; the hall's totals added afterwards in rack order (a run of
/// racks alike jumped through with the bits of adding rack by rack). Every
/// lane does the scalar expressions' operations in their order, so the bits are those of one rack
/// at a time (the reference the tests compare with).
/// </summary>
internal static class RackStepPower
{
    /// <summary>Clock factors below this count as this when power is scaled back to full clocks.</summary>
    public const double MinSpeedFactor = 1e-3;

    /// <summary>
    /// Per rack: power (energy since <paramref name="lastEnergyJ"/> over the step), the new last
    /// energy, and the power above idle divided by the clock's dynamic scale f² (AcceleratorSpec.DynamicScale).
    /// </summary>
    /// <returns>The hall's IT power and its power above idle at full clocks, W, each summed in rack order.</returns>
    // Not inlined: inside the control step the running sums, live across its later calls, were
    // spilled to the stack and reloaded at every rack (a store-to-load round trip per add on the
    // sums' dependency chain); here they stay in registers.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static (double ItW, double DynamicW) Measure(ReadOnlySpan<double> energyJ, Span<double> lastEnergyJ, Span<double> powerW,
        ReadOnlySpan<double> idleW, ReadOnlySpan<double> speedFactor, Span<double> dynamicW, double stepS, bool vectorized = true)
    {
        int n = powerW.Length;
        if (energyJ.Length < n || lastEnergyJ.Length < n || idleW.Length < n || speedFactor.Length < n || dynamicW.Length < n)
        {
            throw new ArgumentException($"every per-rack span holds at least the {n} racks of the powers");
        }

        int r = 0;
        if (vectorized && Vector256.IsHardwareAccelerated)
        {
            r = MeasureVectors(energyJ, lastEnergyJ, powerW, idleW, speedFactor, dynamicW, stepS);
        }

        for (; r < n; r++)
        {
            double w = (energyJ[r] - lastEnergyJ[r]) / stepS;
            lastEnergyJ[r] = energyJ[r];
            powerW[r] = w;

            // At full clocks the scale is 1, and x / 1 is x to the bit.
            double f = Math.Max(speedFactor[r], MinSpeedFactor);
            dynamicW[r] = Math.Max(0, w - idleW[r]) / (f * f);
        }

        return vectorized ? SumInRuns(powerW, dynamicW) : Sum(powerW, dynamicW, 0, n, 0, 0);
    }

    // Shortest run of racks alike whose additions are jumped through.
    private const int RunMin = 8;

    // The two totals in rack order, a run of racks with the same power and dynamic power (a pool's
    // racks at one load) jumped through (RepeatedSum: the same bits), other racks one by one; a run
    // is looked for only where the rack RunMin on repeats this one's power.
    private static (double ItW, double DynamicW) SumInRuns(ReadOnlySpan<double> powerW, ReadOnlySpan<double> dynamicW)
    {
        int n = powerW.Length;
        double itW = 0, dynamicTotalW = 0;
        for (int i = 0; i < n;)
        {
            int end = i + RunMin <= n && BitConverter.DoubleToInt64Bits(powerW[i + RunMin - 1]) == BitConverter.DoubleToInt64Bits(powerW[i])
                ? RepeatedSum.RunEnd(dynamicW, i, RepeatedSum.RunEnd(powerW, i, n))
                : i;
            if (end - i >= RunMin)
            {
                itW = RepeatedSum.Add(itW, powerW[i], end - i);
                dynamicTotalW = RepeatedSum.Add(dynamicTotalW, dynamicW[i], end - i);
                i = end;
                continue;
            }

            int to = Math.Min(n, Math.Max(end, i + RunMin));
            (itW, dynamicTotalW) = Sum(powerW, dynamicW, i, to, itW, dynamicTotalW);
            i = to;
        }

        return (itW, dynamicTotalW);
    }

    // Racks [from, to) added to the two totals one by one.
    private static (double ItW, double DynamicW) Sum(ReadOnlySpan<double> powerW, ReadOnlySpan<double> dynamicW, int from, int to, double itW, double dynamicTotalW)
    {
        for (int k = from; k < to; k++)
        {
            itW += powerW[k];
            dynamicTotalW += dynamicW[k];
        }

        return (itW, dynamicTotalW);
    }

    // Racks from 0 four at a time while four remain; returns the first rack not done.
    private static int MeasureVectors(ReadOnlySpan<double> energyJ, Span<double> lastEnergyJ, Span<double> powerW,
        ReadOnlySpan<double> idleW, ReadOnlySpan<double> speedFactor, Span<double> dynamicW, double stepS)
    {
        var step = Vector256.Create(stepS);
        var minSpeed = Vector256.Create(MinSpeedFactor);
        ref double energy = ref MemoryMarshal.GetReference(energyJ);
        ref double last = ref MemoryMarshal.GetReference(lastEnergyJ);
        ref double power = ref MemoryMarshal.GetReference(powerW);
        ref double idle = ref MemoryMarshal.GetReference(idleW);
        ref double speed = ref MemoryMarshal.GetReference(speedFactor);
        ref double dynamic = ref MemoryMarshal.GetReference(dynamicW);
        int n = powerW.Length;
        int r = 0;
        for (; r <= n - 4; r += 4)
        {
            nuint i = (nuint)r;
            var e = Vector256.LoadUnsafe(ref energy, i);
            var w = (e - Vector256.LoadUnsafe(ref last, i)) / step;
            e.StoreUnsafe(ref last, i);
            w.StoreUnsafe(ref power, i);
            var f = Vector256.Max(Vector256.LoadUnsafe(ref speed, i), minSpeed);
            var above = Vector256.Max(Vector256<double>.Zero, w - Vector256.LoadUnsafe(ref idle, i));
            (above / (f * f)).StoreUnsafe(ref dynamic, i);
        }

        return r;
    }
}
