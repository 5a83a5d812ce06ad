namespace DataCenterTwin.Model.Control;

/// <summary>What the controller asks of the plant and the hall for the next step.</summary>
public struct ControlDecision
{
    /// <summary>Share of the hybrid chillers' load to carry on gas, 0 (electric) to 1 (gas).</summary>
    public double GasShare { get; set; }

    /// <summary>Upper bound on IT power, W; <see cref="double.PositiveInfinity"/> when uncapped.</summary>
    public double ItPowerCapW { get; set; }

    /// <summary>Share of the lowest-priority load to shed (reject at admission), 0–1.</summary>
    public double ShedFraction { get; set; }

    /// <summary>Why.</summary>
    public ControlReason Reason { get; set; }

    /// <summary>Electric cooling, IT uncapped, nothing shed.</summary>
    public static ControlDecision Normal => new() { ItPowerCapW = double.PositiveInfinity, Reason = ControlReason.Normal };

    /// <summary>Whether two decisions ask for the same thing (a change is logged, a repeat is not).</summary>
    public readonly bool SameAs(in ControlDecision other) =>
        GasShare == other.GasShare && ItPowerCapW == other.ItPowerCapW && ShedFraction == other.ShedFraction && Reason == other.Reason;
}
