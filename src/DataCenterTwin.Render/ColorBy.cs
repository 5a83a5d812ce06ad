namespace DataCenterTwin.Render;

/// <summary>The quantity racks are coloured by.</summary>
public enum ColorBy
{
    /// <summary>Inlet air temperature in ASHRAE bands.</summary>
    Inlet,

    /// <summary>IT power over design power.</summary>
    Power,

    /// <summary>Share of the dynamic power range in use.</summary>
    Utilisation,

    /// <summary>Clock factor (throttling).</summary>
    Clock,
}

/// <summary>Names of the colourings on the command line.</summary>
public static class ColorByNames
{
    /// <summary>Every name, in order.</summary>
    public static readonly IReadOnlyList<string> All = ["inlet", "power", "utilisation", "clock"];

    /// <summary>The colouring named <paramref name="name"/>, or null.</summary>
    public static ColorBy? Parse(string name) => name switch
    {
        "inlet" or "inlet-temperature" => ColorBy.Inlet,
        "power" => ColorBy.Power,
        "utilisation" or "utilization" => ColorBy.Utilisation,
        "clock" or "throttling" => ColorBy.Clock,
        _ => null,
    };
}
