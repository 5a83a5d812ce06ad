namespace DataCenterTwin.Model.Cooling;

/// <summary>Where a warm-water loop sends what its dry cooler cannot reject.</summary>
public enum WarmWaterTrim
{
    /// <summary>A plate exchanger to the chilled (facility) water: the chillers trim the rest.</summary>
    Chillers,

    /// <summary>Nothing: the loop is chiller-less; on a day too hot for the dry cooler its supply drifts up.</summary>
    None,
}

/// <summary>
/// The warm-water loop of a direct-to-chip hall: the CDUs' primary side runs on its own water, warmer
/// than the chilled water the CRAH coils need, rejected by a dry cooler whenever the dry-bulb allows
/// and trimmed by the chillers only when it does not.
/// </summary>
/// <param name="Loop">The loop's water and design flow.</param>
/// <param name="Pumps">Its pumps.</param>
/// <param name="SupplySetpointC">Water supplied to the CDUs, °C (ASHRAE TC9.9 liquid-cooling class W32 allows up to 32 °C, W45 up to 45 °C).</param>
/// <param name="DesignDeltaK">Temperature difference the pumps hold (flow follows the heat), K.</param>
/// <param name="DryCooler">The dry cooler.</param>
/// <param name="Trim">What carries the heat the dry cooler cannot.</param>
/// <param name="TrimEffectiveness">Effectiveness of the trim exchanger on the warm side, 0..1.</param>
public sealed record WarmWaterLoopSpec(CoolantLoopSpec Loop, PumpGroupSpec Pumps, double SupplySetpointC, double DesignDeltaK,
    DryCoolerSpec DryCooler, WarmWaterTrim Trim = WarmWaterTrim.Chillers, double TrimEffectiveness = 0.8)
{
    /// <summary>Flow the pumps ask for a heat load, kg/s (design difference held, never under the minimum speed).</summary>
    public double FlowFor(double heatW)
    {
        double design = Loop.DesignFlowKgPerS;
        return Math.Clamp(heatW / (Loop.Coolant.SpecificHeatJPerKgK * DesignDeltaK), Pumps.MinSpeedFraction * design, design);
    }
}

/// <summary>
/// A warm-water loop in operation, stepped by the cooling system: the CDUs' heat and the pumps' work
/// in; the dry cooler first, then the trim exchanger, out (both within what they can do at the
/// moment); the lumped loop integrated exactly. No allocation per step.
/// </summary>
public sealed class WarmWaterLoop
{
    /// <summary>Creates the loop at its initial temperature.</summary>
    public WarmWaterLoop(WarmWaterLoopSpec spec)
    {
        Spec = spec;
        Loop = new CoolantLoop(spec.Loop);
        Pumps = new PumpGroup(spec.Pumps);
        DryCooler = new DryCooler(spec.DryCooler, spec.Loop.FlowCapacityRateWPerK);
        SupplyTempC = Math.Min(spec.Loop.InitialTempC, spec.SupplySetpointC);
    }

    /// <summary>Design values.</summary>
    public WarmWaterLoopSpec Spec { get; }

    /// <summary>The lumped loop.</summary>
    public CoolantLoop Loop { get; }

    /// <summary>Its pumps.</summary>
    public PumpGroup Pumps { get; }

    /// <summary>Its dry cooler.</summary>
    public DryCooler DryCooler { get; }

    /// <summary>Water supplied to the CDUs after the last step, °C.</summary>
    public double SupplyTempC { get; private set; }

    /// <summary>Water returning from the CDUs (the loop's mixed temperature), °C.</summary>
    public double ReturnTempC => Loop.TemperatureC;

    /// <summary>Heat the trim exchanger passed to the chilled water at the last step, W.</summary>
    public double TrimW { get; private set; }

    /// <summary>Whether the last step ran without the chillers (the dry cooler alone held the loop).</summary>
    public bool Chillerless => TrimW <= 0;

    /// <summary>Heat stored above the initial temperature, J.</summary>
    public double StoredHeatJ => Loop.StoredHeatJ;

    /// <summary>
    /// Advances the loop by <paramref name="dtS"/> with <paramref name="heatInW"/> from the CDUs, the
    /// outdoor <paramref name="dryBulbC"/> and chilled water at <paramref name="chilledSupplyC"/> for the
    /// trim; returns the pumps' power, W (their work is heat in the water).
    /// </summary>
    public double Step(double dtS, double heatInW, double dryBulbC, double chilledSupplyC)
    {
        double flow = Pumps.Run(Spec.FlowFor(heatInW));
        double pumpW = Pumps.PowerW;
        double inW = heatInW + pumpW;
        double g = flow * Spec.Loop.Coolant.SpecificHeatJPerKgK;
        double returnC = Loop.TemperatureC;
        double dryMax = DryCooler.MaxDutyW(returnC, dryBulbC, g);
        double trimMax = Spec.Trim == WarmWaterTrim.Chillers ? Spec.TrimEffectiveness * g * Math.Max(0, returnC - chilledSupplyC) : 0;
        // Below its set point (a loop started cold) the loop only warms: nothing outdoors heats it.
        double removed = g > 0 && returnC >= Spec.SupplySetpointC ? Loop.AdvanceCapped(dtS, inW, Spec.SupplySetpointC, g, dryMax + trimMax) : Loop.AdvanceWithRemoval(dtS, inW, 0);
        double dry = Math.Clamp(removed, 0, dryMax);
        TrimW = Math.Max(0, removed - dry);
        DryCooler.Run(dry, returnC, dryBulbC, g);
        SupplyTempC = g > 0 ? Loop.TemperatureC - (removed / g) : Loop.TemperatureC;
        return pumpW;
    }
}
