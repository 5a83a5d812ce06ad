namespace DataCenterTwin.Model.Control;

/// <summary>Why the controller made its decision; logged with every change of decision.</summary>
public enum ControlReason
{
    /// <summary>Nothing calls for action: cooling on electricity, IT uncapped.</summary>
    Normal,

    /// <summary>Grid headroom fell below the policy's margin, so the chillers moved to gas.</summary>
    HeadroomBelowMargin,

    /// <summary>Headroom recovered past the margin and its hysteresis, so the chillers moved back to electricity.</summary>
    HeadroomRecovered,

    /// <summary>Electricity costs more than gas per unit of cooling.</summary>
    GasCheaper,

    /// <summary>Electricity costs less than gas per unit of cooling.</summary>
    ElectricityCheaper,

    /// <summary>A demand-response event is met by moving cooling to gas.</summary>
    DemandResponseGas,

    /// <summary>A demand-response event needs IT power capping beyond what gas gives.</summary>
    DemandResponseCap,

    /// <summary>A demand-response event needs shedding the lowest-priority load beyond capping.</summary>
    DemandResponseShed,

    /// <summary>The facility would cross the grid limit in force, so IT power is capped.</summary>
    GridLimitCap,

    /// <summary>The grid is lost: cooling that can run on gas does.</summary>
    OutageGas,
}
