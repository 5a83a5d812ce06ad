namespace DataCenterTwin.Render;

/// <summary>What a rack shows: the last closed output interval's means.</summary>
/// <param name="InletC">Inlet air temperature, °C.</param>
/// <param name="PowerW">IT power, W.</param>
/// <param name="Utilisation">Share of the rack's dynamic power range in use, 0–1: (power − idle) / (design − idle).</param>
/// <param name="SpeedFactor">Mean clock factor, 1 = full clocks.</param>
/// <param name="ThrottleFraction">Share of the interval spent throttled, 0–1.</param>
public readonly record struct RackView(double InletC, double PowerW, double Utilisation, double SpeedFactor, double ThrottleFraction);

/// <summary>What a chiller is doing.</summary>
public enum ChillerMode
{
    /// <summary>Running on its electric compressor.</summary>
    Electric,

    /// <summary>Running on its gas engine.</summary>
    Gas,

    /// <summary>A hybrid sharing the load between both.</summary>
    Split,

    /// <summary>Not running.</summary>
    Off,

    /// <summary>Failed.</summary>
    Tripped,
}

/// <summary>What a chiller shows.</summary>
/// <param name="Mode">Its mode at the end of the interval.</param>
/// <param name="LoadFraction">Heat moved over its nominal capacity, 0–1.</param>
public readonly record struct ChillerView(ChillerMode Mode, double LoadFraction);

/// <summary>A CDU's secondary loop temperatures.</summary>
/// <param name="SupplyC">To the cold plates, °C.</param>
/// <param name="ReturnC">Back from them, °C.</param>
public readonly record struct CduView(double SupplyC, double ReturnC);

/// <summary>The facility figures of the overlay.</summary>
/// <param name="TotalW">Facility power, W.</param>
/// <param name="ItW">IT power, W.</param>
/// <param name="GridW">Drawn from the grid, W.</param>
/// <param name="GridCapW">The interconnect's limit, W.</param>
/// <param name="FreedW">Grid capacity freed by running chillers on gas, W.</param>
/// <param name="GasShare">Share of chiller cooling made by gas engines, 0–1.</param>
/// <param name="OutdoorC">Outdoor dry bulb, °C.</param>
public readonly record struct FacilityView(double TotalW, double ItW, double GridW, double GridCapW, double FreedW, double GasShare, double OutdoorC)
{
    /// <summary>Power usage effectiveness; NaN with no IT load.</summary>
    public double Pue => ItW > 0 ? TotalW / ItW : double.NaN;
}

/// <summary>
/// The state one frame draws, and nothing more: per-rack, per-chiller and per-CDU values in topology
/// order, the facility water temperatures and the overlay's figures. Immutable: a frame can be drawn
/// from it on any thread while the twin runs on.
/// </summary>
public sealed class HallViewState
{
    /// <summary>Creates a state; the lists are copied.</summary>
    public HallViewState(double timeS, DateTime localTime, IEnumerable<RackView> racks, IEnumerable<ChillerView> chillers, IEnumerable<CduView> cdus,
        double facilitySupplyC, double facilityReturnC, FacilityView facility)
    {
        TimeS = timeS;
        LocalTime = localTime;
        Racks = [.. racks];
        Chillers = [.. chillers];
        Cdus = [.. cdus];
        FacilitySupplyC = facilitySupplyC;
        FacilityReturnC = facilityReturnC;
        Facility = facility;
    }

    /// <summary>Simulated seconds since the start of the run.</summary>
    public double TimeS { get; }

    /// <summary>Site local time.</summary>
    public DateTime LocalTime { get; }

    /// <summary>Racks in topology order.</summary>
    public IReadOnlyList<RackView> Racks { get; }

    /// <summary>Chillers in topology order.</summary>
    public IReadOnlyList<ChillerView> Chillers { get; }

    /// <summary>CDUs in topology order.</summary>
    public IReadOnlyList<CduView> Cdus { get; }

    /// <summary>Facility water leaving the chillers, °C.</summary>
    public double FacilitySupplyC { get; }

    /// <summary>Facility water back to the chillers, °C.</summary>
    public double FacilityReturnC { get; }

    /// <summary>The overlay's figures.</summary>
    public FacilityView Facility { get; }
}
