namespace DataCenterTwin.Model.Thermal;

/// <summary>Where a server inlet temperature falls against an ASHRAE class envelope.</summary>
public enum EnvelopeZone
{
    /// <summary>Inside the recommended range.</summary>
    Recommended,

    /// <summary>Outside recommended, inside allowable.</summary>
    Allowable,

    /// <summary>Outside the allowable range.</summary>
    Outside,
}

/// <summary>An ASHRAE TC 9.9 inlet-air envelope (dry-bulb only).</summary>
/// <param name="RecommendedMinC">Lower recommended inlet, °C.</param>
/// <param name="RecommendedMaxC">Upper recommended inlet, °C.</param>
/// <param name="AllowableMinC">Lower allowable inlet, °C.</param>
/// <param name="AllowableMaxC">Upper allowable inlet, °C.</param>
public sealed record AshraeEnvelope(double RecommendedMinC, double RecommendedMaxC, double AllowableMinC, double AllowableMaxC)
{
    /// <summary>Class A1: recommended 18–27 °C, allowable 15–32 °C.</summary>
    public static AshraeEnvelope A1 { get; } = new(18, 27, 15, 32);

    /// <summary>Classifies an inlet temperature.</summary>
    public EnvelopeZone Classify(double inletC) =>
        inletC >= RecommendedMinC && inletC <= RecommendedMaxC ? EnvelopeZone.Recommended
        : inletC >= AllowableMinC && inletC <= AllowableMaxC ? EnvelopeZone.Allowable
        : EnvelopeZone.Outside;
}
