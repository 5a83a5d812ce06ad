using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Cooling;

/// <summary>Everything that carries a hall's heat outdoors, as design values.</summary>
/// <param name="Racks">Racks, in the IT model's order.</param>
/// <param name="Air">The air path.</param>
/// <param name="Crahs">CRAH units (their coils on facility water).</param>
/// <param name="Accelerators">Accelerator thermal behaviour.</param>
/// <param name="Cdus">CDUs for direct-to-chip racks.</param>
/// <param name="FacilityLoop">The facility (chilled) water loop.</param>
/// <param name="FacilityPumps">Facility water pumps.</param>
/// <param name="FacilitySupplySetpointC">Facility water supply set point, °C.</param>
/// <param name="Plant">The chiller plant.</param>
public sealed record CoolingSystemSpec(
    IReadOnlyList<RackThermalSpec> Racks, AirPathSpec Air, IReadOnlyList<CrahSpec> Crahs, AcceleratorThermalSpec Accelerators,
    IReadOnlyList<CduSpec> Cdus, CoolantLoopSpec FacilityLoop, PumpGroupSpec FacilityPumps, double FacilitySupplySetpointC,
    ChillerPlantSpec Plant)
{
    /// <summary>Inlet envelope the racks are checked against (default ASHRAE A1).</summary>
    public AshraeEnvelope Envelope { get; init; } = AshraeEnvelope.A1;

    /// <summary>
    /// Facility water temperature difference the pumps hold, K: flow follows the heat at this
    /// difference (variable primary flow), never under the pumps' minimum speed fraction of the
    /// design flow; NaN runs the design flow constantly.
    /// </summary>
    public double FacilityDesignDeltaK { get; init; } = double.NaN;

    /// <summary>
    /// A separate warm-water loop for the CDUs (direct-to-chip racks) with its own dry cooler, or null
    /// when the CDUs exchange with the facility (chilled) water as the CRAH coils do.
    /// </summary>
    public WarmWaterLoopSpec? WarmLoop { get; init; }

    /// <summary>Facility water flow for a heat load, kg/s.</summary>
    public double FacilityFlowFor(double heatW)
    {
        double design = FacilityLoop.DesignFlowKgPerS;
        return double.IsNaN(FacilityDesignDeltaK) ? design
            : Math.Clamp(heatW / (FacilityLoop.Coolant.SpecificHeatJPerKgK * FacilityDesignDeltaK), FacilityPumps.MinSpeedFraction * design, design);
    }
}
