namespace DataCenterTwin.Model.Twin;

/// <summary>The quantities of a <see cref="RackSample"/>, as flags: which of them the twin keeps sums of.</summary>
[Flags]
public enum RackReadings
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><see cref="RackSample.PowerW"/>.</summary>
    Power = 1,

    /// <summary><see cref="RackSample.InletC"/>.</summary>
    Inlet = 2,

    /// <summary><see cref="RackSample.InletMaxC"/>.</summary>
    InletMax = 4,

    /// <summary><see cref="RackSample.OutletC"/>.</summary>
    Outlet = 8,

    /// <summary><see cref="RackSample.LiquidSupplyC"/>.</summary>
    LiquidSupply = 16,

    /// <summary><see cref="RackSample.LiquidReturnC"/>.</summary>
    LiquidReturn = 32,

    /// <summary><see cref="RackSample.AcceleratorMaxC"/>.</summary>
    AcceleratorMax = 64,

    /// <summary><see cref="RackSample.ThrottleFraction"/>.</summary>
    Throttle = 128,

    /// <summary><see cref="RackSample.SpeedFactor"/>.</summary>
    Speed = 256,

    /// <summary>The air side's three, read from two arrays: the sums kept when nothing else is asked for.</summary>
    PowerAndInlets = Power | Inlet | InletMax,

    /// <summary>Every quantity.</summary>
    All = 511,
}
