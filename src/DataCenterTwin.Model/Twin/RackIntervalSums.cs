using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Twin;

/// <summary>
/// Each rack's sums over the open output interval, one array per quantity, so that a control step
/// adds four racks at a time. Every lane does the scalar expression's operations in its order (a
/// product, a quotient, a sum, an IEEE maximum as <see cref="Math.Max(double, double)"/>), so each
/// sum has the bits that adding one rack at a time gives, whatever the slices.
/// </summary>
internal sealed class RackIntervalSums
{
    /// <summary>Creates the sums of <paramref name="racks"/> racks, all zero.</summary>
    public RackIntervalSums(int racks)
    {
        PowerJ = new double[racks];
        InletCs = new double[racks];
        InletMaxC = new double[racks];
        OutletCs = new double[racks];
        SupplyCs = new double[racks];
        ReturnCs = new double[racks];
        AccelMaxC = new double[racks];
        ThrottledS = new double[racks];
        SpeedS = new double[racks];
    }

    /// <summary>IT energy, J.</summary>
    public double[] PowerJ { get; }

    /// <summary>Inlet air temperature times time, °C·s.</summary>
    public double[] InletCs { get; }

    /// <summary>Hottest inlet of the interval, °C (0 when cleared: the maximum starts there).</summary>
    public double[] InletMaxC { get; }

    /// <summary>Exhaust air temperature times time, °C·s.</summary>
    public double[] OutletCs { get; }

    /// <summary>CDU supply temperature times time, °C·s (NaN for a rack without liquid).</summary>
    public double[] SupplyCs { get; }

    /// <summary>Coolant outlet temperature times time, °C·s (NaN for a rack without liquid).</summary>
    public double[] ReturnCs { get; }

    /// <summary>Hottest accelerator of the interval, °C (0 when cleared).</summary>
    public double[] AccelMaxC { get; }

    /// <summary>Seconds at a clock factor below 1.</summary>
    public double[] ThrottledS { get; }

    /// <summary>Clock factor times time, s.</summary>
    public double[] SpeedS { get; }

    /// <summary>Starts a new interval.</summary>
    public void Clear()
    {
        Array.Clear(PowerJ);
        Array.Clear(InletCs);
        Array.Clear(InletMaxC);
        Array.Clear(OutletCs);
        Array.Clear(SupplyCs);
        Array.Clear(ReturnCs);
        Array.Clear(AccelMaxC);
        Array.Clear(ThrottledS);
        Array.Clear(SpeedS);
    }

    /// <summary>Adds one step of racks [<paramref name="start"/>, <paramref name="end"/>).</summary>
    /// <param name="step">The step's per-rack readings, each at least as long as the rack count.</param>
    /// <param name="start">First rack.</param>
    /// <param name="end">One past the last rack.</param>
    /// <param name="vectorized">False for one rack at a time throughout (the reference the tests compare with).</param>
    public void Add(in RackStepReadings step, int start, int end, bool vectorized = true)
    {
        if ((uint)end > (uint)PowerJ.Length || start < 0 || start > end || !step.CoverRacks(PowerJ.Length))
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"racks [{start}, {end}) of {PowerJ.Length}, or readings shorter than that");
        }

        int r = start;
        if (vectorized && Vector256.IsHardwareAccelerated)
        {
            r = AddVectors(step, start, end);
        }

        for (; r < end; r++)
        {
            AddOne(step, r);
        }
    }

    /// <summary>
    /// Adds one step of racks [<paramref name="start"/>, <paramref name="end"/>) to the power and
    /// inlet sums only (<see cref="RackReadings.PowerAndInlets"/>), with <see cref="Add"/>'s expressions:
    /// the same bits in those three, the others left as they are.
    /// </summary>
    public void AddPowerAndInlets(in RackStepReadings step, int start, int end, bool vectorized = true)
    {
        if ((uint)end > (uint)PowerJ.Length || start < 0 || start > end || step.PowerW.Length < PowerJ.Length || step.InletC.Length < PowerJ.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"racks [{start}, {end}) of {PowerJ.Length}, or readings shorter than that");
        }

        double dt = step.DtS;
        int r = start;
        if (vectorized && Vector256.IsHardwareAccelerated)
        {
            var dtV = Vector256.Create(dt);
            ref double power = ref MemoryMarshal.GetReference(step.PowerW);
            ref double inletIn = ref MemoryMarshal.GetReference(step.InletC);
            ref double powerJ = ref MemoryMarshal.GetArrayDataReference(PowerJ);
            ref double inletCs = ref MemoryMarshal.GetArrayDataReference(InletCs);
            ref double inletMaxC = ref MemoryMarshal.GetArrayDataReference(InletMaxC);
            for (; r <= end - 4; r += 4)
            {
                nuint i = (nuint)r;
                var inlet = Vector256.LoadUnsafe(ref inletIn, i);
                Accumulate(ref powerJ, i, Vector256.LoadUnsafe(ref power, i) * dtV);
                Accumulate(ref inletCs, i, inlet * dtV);
                Maximum(ref inletMaxC, i, inlet);
            }
        }

        for (; r < end; r++)
        {
            double inlet = step.InletC[r];
            PowerJ[r] += step.PowerW[r] * dt;
            InletCs[r] += inlet * dt;
            InletMaxC[r] = Math.Max(InletMaxC[r], inlet);
        }
    }

    /// <summary>Starts a new interval, clearing only the sums of <paramref name="kept"/> (the others were not added to).</summary>
    public void Clear(RackReadings kept)
    {
        if ((kept & ~RackReadings.PowerAndInlets) != 0)
        {
            Clear();
            return;
        }

        Array.Clear(PowerJ);
        Array.Clear(InletCs);
        Array.Clear(InletMaxC);
    }

    // The scalar expressions, rack r.
    private void AddOne(in RackStepReadings s, int r)
    {
        double dt = s.DtS;
        double inlet = s.InletC[r];
        PowerJ[r] += s.PowerW[r] * dt;
        InletCs[r] += inlet * dt;
        InletMaxC[r] = Math.Max(InletMaxC[r], inlet);

        // HallTwin.RackOutletAirC, the same expression.
        double airflow = s.AirflowM3PerS[r];
        double outletC = airflow > 0 ? inlet + (s.AirHeatW[r] / (AirPathSpec.AirVolumetricHeatCapacity * airflow)) : inlet;
        OutletCs[r] += outletC * dt;
        SupplyCs[r] += s.SupplyC[r] * dt;
        ReturnCs[r] += (s.Liquid[r] != 0 ? s.CoolantOutC[r] : double.NaN) * dt;
        AccelMaxC[r] = Math.Max(AccelMaxC[r], s.AcceleratorC[r]);
        ThrottledS[r] += s.SpeedFactor[r] < 1 ? dt : 0;
        SpeedS[r] += s.SpeedFactor[r] * dt;
    }

    // Four racks at a time from start while four remain; returns the first rack not added. The
    // readings' lengths were checked against the rack count, and end is within it.
    private int AddVectors(in RackStepReadings s, int start, int end)
    {
        var dt = Vector256.Create(s.DtS);
        var one = Vector256.Create(1.0);
        var nan = Vector256.Create(double.NaN);
        var heatCapacity = Vector256.Create(AirPathSpec.AirVolumetricHeatCapacity);
        ref double power = ref MemoryMarshal.GetReference(s.PowerW);
        ref double inletIn = ref MemoryMarshal.GetReference(s.InletC);
        ref double airHeat = ref MemoryMarshal.GetReference(s.AirHeatW);
        ref double airflowIn = ref MemoryMarshal.GetReference(s.AirflowM3PerS);
        ref double supply = ref MemoryMarshal.GetReference(s.SupplyC);
        ref double liquid = ref MemoryMarshal.GetReference(s.Liquid);
        ref double coolantOut = ref MemoryMarshal.GetReference(s.CoolantOutC);
        ref double die = ref MemoryMarshal.GetReference(s.AcceleratorC);
        ref double speedIn = ref MemoryMarshal.GetReference(s.SpeedFactor);

        // The sums' starts taken once: through the properties the loop read each array's field again
        // after every store (a store through a reference might, for all the compiler knows, change them).
        ref double powerJ = ref MemoryMarshal.GetArrayDataReference(PowerJ);
        ref double inletCs = ref MemoryMarshal.GetArrayDataReference(InletCs);
        ref double inletMaxC = ref MemoryMarshal.GetArrayDataReference(InletMaxC);
        ref double outletCs = ref MemoryMarshal.GetArrayDataReference(OutletCs);
        ref double supplyCs = ref MemoryMarshal.GetArrayDataReference(SupplyCs);
        ref double returnCs = ref MemoryMarshal.GetArrayDataReference(ReturnCs);
        ref double accelMaxC = ref MemoryMarshal.GetArrayDataReference(AccelMaxC);
        ref double throttledS = ref MemoryMarshal.GetArrayDataReference(ThrottledS);
        ref double speedS = ref MemoryMarshal.GetArrayDataReference(SpeedS);
        int r = start;
        for (; r <= end - 4; r += 4)
        {
            nuint i = (nuint)r;
            var inlet = Vector256.LoadUnsafe(ref inletIn, i);
            Accumulate(ref powerJ, i, Vector256.LoadUnsafe(ref power, i) * dt);
            Accumulate(ref inletCs, i, inlet * dt);
            Maximum(ref inletMaxC, i, inlet);
            var airflow = Vector256.LoadUnsafe(ref airflowIn, i);
            var heated = inlet + (Vector256.LoadUnsafe(ref airHeat, i) / (heatCapacity * airflow));
            var outlet = Vector256.ConditionalSelect(Vector256.GreaterThan(airflow, Vector256<double>.Zero), heated, inlet);
            Accumulate(ref outletCs, i, outlet * dt);
            Accumulate(ref supplyCs, i, Vector256.LoadUnsafe(ref supply, i) * dt);
            var isLiquid = ~Vector256.Equals(Vector256.LoadUnsafe(ref liquid, i), Vector256<double>.Zero);
            Accumulate(ref returnCs, i, Vector256.ConditionalSelect(isLiquid, Vector256.LoadUnsafe(ref coolantOut, i), nan) * dt);
            Maximum(ref accelMaxC, i, Vector256.LoadUnsafe(ref die, i));
            var speed = Vector256.LoadUnsafe(ref speedIn, i);
            Accumulate(ref throttledS, i, Vector256.ConditionalSelect(Vector256.LessThan(speed, one), dt, Vector256<double>.Zero));
            Accumulate(ref speedS, i, speed * dt);
        }

        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref double sums, nuint i, Vector256<double> add) =>
        (Vector256.LoadUnsafe(ref sums, i) + add).StoreUnsafe(ref sums, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Maximum(ref double maxima, nuint i, Vector256<double> value) =>
        Vector256.Max(Vector256.LoadUnsafe(ref maxima, i), value).StoreUnsafe(ref maxima, i);
}

/// <summary>What one control step gave each rack, for <see cref="RackIntervalSums.Add"/>.</summary>
internal readonly ref struct RackStepReadings
{
    /// <summary>The step, s.</summary>
    public double DtS { get; init; }

    /// <summary>Mean IT power over the step, W.</summary>
    public ReadOnlySpan<double> PowerW { get; init; }

    /// <summary>Inlet air, °C.</summary>
    public ReadOnlySpan<double> InletC { get; init; }

    /// <summary>Heat to air, W.</summary>
    public ReadOnlySpan<double> AirHeatW { get; init; }

    /// <summary>Airflow, m³/s.</summary>
    public ReadOnlySpan<double> AirflowM3PerS { get; init; }

    /// <summary>Supply of the rack's CDU, °C; NaN for a rack without liquid.</summary>
    public ReadOnlySpan<double> SupplyC { get; init; }

    /// <summary>Nonzero for a rack whose liquid leaves on a CDU (its coolant outlet counts), zero otherwise.</summary>
    public ReadOnlySpan<double> Liquid { get; init; }

    /// <summary>Coolant outlet, °C.</summary>
    public ReadOnlySpan<double> CoolantOutC { get; init; }

    /// <summary>Accelerator (die), °C.</summary>
    public ReadOnlySpan<double> AcceleratorC { get; init; }

    /// <summary>Clock factor in force.</summary>
    public ReadOnlySpan<double> SpeedFactor { get; init; }

    /// <summary>Whether every reading has at least <paramref name="racks"/> racks.</summary>
    public bool CoverRacks(int racks) =>
        PowerW.Length >= racks && InletC.Length >= racks && AirHeatW.Length >= racks && AirflowM3PerS.Length >= racks && SupplyC.Length >= racks
        && Liquid.Length >= racks && CoolantOutC.Length >= racks && AcceleratorC.Length >= racks && SpeedFactor.Length >= racks;
}
