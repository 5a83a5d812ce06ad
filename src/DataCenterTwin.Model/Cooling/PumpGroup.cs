namespace DataCenterTwin.Model.Cooling;

/// <summary>Identical variable-speed pumps (or fans) in parallel, sharing the flow.</summary>
/// <param name="Name">Group name.</param>
/// <param name="Count">Units installed.</param>
/// <param name="DesignFlowKgPerS">Flow of one unit at design speed, kg/s.</param>
/// <param name="DesignPowerW">Electric power of one unit at design flow, W.</param>
/// <param name="MinSpeedFraction">Lowest speed a running unit turns at.</param>
public sealed record PumpGroupSpec(string Name, int Count, double DesignFlowKgPerS, double DesignPowerW, double MinSpeedFraction = 0.2)
{
    /// <summary>
    /// Share of the design head the pumps hold whatever the flow (a static lift, or the differential
    /// pressure a variable-flow loop's controller keeps across its farthest coil), 0..1. The system
    /// curve is H = H_d·(s + (1 − s)·f²), so at flow fraction f with constant efficiency the power
    /// is P_d·f·(s + (1 − s)·f²); 0 gives the pure affinity-law cube.
    /// </summary>
    public double StaticHeadFraction { get; init; }

    /// <summary>Electric power of one unit at a flow fraction of its design, W (pump curve against the system curve with static head).</summary>
    public double UnitPowerW(double flowFraction) =>
        DesignPowerW * flowFraction * (StaticHeadFraction + ((1 - StaticHeadFraction) * flowFraction * flowFraction));
}

/// <summary>A pump group by the affinity laws; units can be tripped and restored.</summary>
public sealed class PumpGroup
{
    /// <summary>Creates the group with every unit available.</summary>
    public PumpGroup(PumpGroupSpec spec)
    {
        Spec = spec;
        Available = spec.Count;
    }

    /// <summary>Design values.</summary>
    public PumpGroupSpec Spec { get; }

    /// <summary>Units not tripped.</summary>
    public int Available { get; private set; }

    /// <summary>Electric power at the last operating point, W.</summary>
    public double PowerW { get; private set; }

    /// <summary>Flow delivered at the last operating point, kg/s.</summary>
    public double FlowKgPerS { get; private set; }

    /// <summary>Most flow the available units deliver, kg/s.</summary>
    public double MaxFlowKgPerS => Available * Spec.DesignFlowKgPerS;

    /// <summary>Trips one unit.</summary>
    public void TripOne() => Available = Math.Max(0, Available - 1);

    /// <summary>Restores one unit.</summary>
    public void RestoreOne() => Available = Math.Min(Spec.Count, Available + 1);

    /// <summary>Runs the available units sharing <paramref name="flowKgPerS"/> (capped); returns the flow delivered.</summary>
    public double Run(double flowKgPerS)
    {
        if (Available == 0 || flowKgPerS <= 0)
        {
            PowerW = 0;
            FlowKgPerS = 0;
            return 0;
        }

        double perUnit = Math.Clamp(flowKgPerS / Available / Spec.DesignFlowKgPerS, Spec.MinSpeedFraction, 1);
        PowerW = Available * Spec.UnitPowerW(perUnit);
        FlowKgPerS = Math.Min(flowKgPerS, MaxFlowKgPerS);
        return FlowKgPerS;
    }
}
