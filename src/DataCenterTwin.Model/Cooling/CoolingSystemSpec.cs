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
}
