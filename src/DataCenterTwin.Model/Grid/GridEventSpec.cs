using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Grid;

/// <summary>One site event: what, when, for how long, how much, and to what.</summary>
/// <param name="Kind">What happens.</param>
/// <param name="Start">When it starts.</param>
/// <param name="Duration">How long it lasts.</param>
/// <param name="MagnitudeW">Curtailed capacity, or the demand-response reduction, W.</param>
/// <param name="MagnitudeK">Heat-wave temperature rise, K.</param>
/// <param name="Target">The failed equipment's name (a chiller, CDU, pump, CRAH or rack).</param>
public sealed record GridEventSpec(GridEventKind Kind, SimTime Start, SimTime Duration, double MagnitudeW = 0, double MagnitudeK = 0, string Target = "")
{
    /// <summary>When it ends.</summary>
    public SimTime End => Start + Duration;

    /// <summary>A short description for logs and reports.</summary>
    public string Describe() => Kind switch
    {
        GridEventKind.Curtailment => $"curtailment to {MagnitudeW / 1e3:F0} kW",
        GridEventKind.DemandResponse => $"demand response −{MagnitudeW / 1e3:F0} kW",
        GridEventKind.Outage => "grid outage",
        GridEventKind.HeatWave => $"heat wave +{MagnitudeK:F1} K",
        GridEventKind.EquipmentFailure => $"failure of {Target}",
        _ => Kind.ToString(),
    };
}
