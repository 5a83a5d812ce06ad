namespace DataCenterTwin.Model.Twin;

/// <summary>What a manual control sets.</summary>
public enum ControlKind
{
    /// <summary>Facility (chilled) water supply set point, °C in <see cref="TwinControl.Value"/>.</summary>
    FacilityWaterSetpoint,

    /// <summary>CRAH supply-air set point, °C in <see cref="TwinControl.Value"/>.</summary>
    SupplyAirSetpoint,

    /// <summary>One chiller's mode (<see cref="TwinControl.Target"/> names it; the gas share in <see cref="TwinControl.Value"/>).</summary>
    ChillerMode,

    /// <summary>An IT power cap, W, on a rack, a pool or the hall (<see cref="TwinControl.Target"/>: a rack or pool name, or "hall").</summary>
    ItCap,

    /// <summary>A pool's dispatch policy (<see cref="TwinControl.Target"/> the pool, <see cref="TwinControl.Text"/> the policy).</summary>
    DispatchPolicy,

    /// <summary>A request class's arrival-rate scale (<see cref="TwinControl.Target"/> the class; 1 = as the scenario says).</summary>
    ArrivalScale,

    /// <summary>The share of the lowest-priority class shed at arrival, 0..1.</summary>
    ShedFraction,
}

/// <summary>A chiller mode an operator can hold.</summary>
public enum ChillerModeSetting
{
    /// <summary>Released to the supervisory policy.</summary>
    Automatic,

    /// <summary>All electric (electric and hybrid chillers).</summary>
    Electric,

    /// <summary>All gas (engine-driven and hybrid chillers).</summary>
    Gas,

    /// <summary>A fixed gas share (hybrid chillers), in <see cref="TwinControl.Value"/>.</summary>
    GasShare,

    /// <summary>Switched off (any chiller): it takes no load until released.</summary>
    Off,
}

/// <summary>
/// A manual control: set by a session call or listed in a scenario's <c>controls</c>, applied at a
/// simulated time and logged in the events with its source. A manual setting sits above the
/// supervisory policy and holds until released: a NaN <see cref="Value"/> (or
/// <see cref="ChillerModeSetting.Automatic"/>) releases setpoints, caps, scales and shedding.
/// </summary>
/// <param name="Kind">What it sets.</param>
/// <param name="Value">The value (°C, W, share or scale, as the kind says); NaN releases.</param>
/// <param name="Target">The chiller, rack, pool or class it applies to ("" where the kind has none; "hall" for a hall-wide cap).</param>
/// <param name="Mode">The chiller mode, for <see cref="ControlKind.ChillerMode"/>.</param>
/// <param name="Text">The dispatch policy's name, for <see cref="ControlKind.DispatchPolicy"/>.</param>
/// <param name="Source">Who gave it (logged with it).</param>
public sealed record TwinControl(ControlKind Kind, double Value, string Target = "", ChillerModeSetting Mode = ChillerModeSetting.Automatic,
    string Text = "", string Source = "operator")
{
    /// <summary>Whether it hands the setting back to the scenario or the policy.</summary>
    public bool IsRelease => Kind == ControlKind.ChillerMode ? Mode == ChillerModeSetting.Automatic : Kind != ControlKind.DispatchPolicy && double.IsNaN(Value);
}

/// <summary>A manual control and the simulated time it applies at (a scenario's <c>controls</c> entry).</summary>
/// <param name="At">When it applies, since the start of the run.</param>
/// <param name="Control">What it sets.</param>
public readonly record struct ScheduledControl(Kernel.SimTime At, TwinControl Control);
