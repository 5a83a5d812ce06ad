namespace DataCenterTwin.Model.Grid;

/// <summary>The kinds of site events, scheduled in a scenario or injected live.</summary>
public enum GridEventKind
{
    /// <summary>The interconnect's capacity drops to <see cref="GridEventSpec.MagnitudeW"/> for the window.</summary>
    Curtailment,

    /// <summary>The utility asks the site to draw <see cref="GridEventSpec.MagnitudeW"/> less than its baseline for the window.</summary>
    DemandResponse,

    /// <summary>The grid is lost for the window: UPS, then generators.</summary>
    Outage,

    /// <summary>The outdoor air is <see cref="GridEventSpec.MagnitudeK"/> warmer than the weather year for the window.</summary>
    HeatWave,

    /// <summary>A piece of equipment (<see cref="GridEventSpec.Target"/>) fails for the window.</summary>
    EquipmentFailure,
}
