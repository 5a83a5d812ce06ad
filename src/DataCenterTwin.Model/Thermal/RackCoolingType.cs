namespace DataCenterTwin.Model.Thermal;

/// <summary>How a rack's heat leaves it.</summary>
public enum RackCoolingType
{
    /// <summary>All heat to room air, carried by the CRAHs.</summary>
    Air,

    /// <summary>Air-cooled servers; a rear-door coil takes a fraction of the exhaust heat into facility water.</summary>
    RearDoor,

    /// <summary>Cold plates take a capture fraction into a CDU's secondary loop; the rest goes to air.</summary>
    DirectToChip,
}
