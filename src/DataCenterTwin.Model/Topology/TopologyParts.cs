using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Topology;

/// <summary>A room or yard of the site, a rectangle on the ground.</summary>
/// <param name="Name"><c>hall</c> or <c>chiller-yard</c>.</param>
/// <param name="MinX">West edge, m.</param>
/// <param name="MinY">South edge, m.</param>
/// <param name="MaxX">East edge, m.</param>
/// <param name="MaxY">North edge, m.</param>
/// <param name="Outdoor">Whether it is open to the weather.</param>
public sealed record RoomLayout(string Name, double MinX, double MinY, double MaxX, double MaxY, bool Outdoor);

/// <summary>A row of racks along x.</summary>
/// <param name="Name"><c>row-1</c>, …</param>
/// <param name="Index">Row index, 0 at the south.</param>
/// <param name="FirstRack">Index of its first rack.</param>
/// <param name="RackCount">Racks in the row.</param>
/// <param name="CentreY">Centre line of the row, m.</param>
/// <param name="StartX">West end of the row, m.</param>
/// <param name="LengthM">Length of the row including its CDUs, m.</param>
/// <param name="DepthM">Depth of the row (its deepest rack), m.</param>
/// <param name="FrontY">+1 when the rack fronts face north, −1 when south.</param>
public sealed record RowLayout(string Name, int Index, int FirstRack, int RackCount, double CentreY, double StartX, double LengthM, double DepthM, int FrontY);

/// <summary>Whether an aisle takes cold supply air (rack fronts) or hot exhaust (rack backs).</summary>
public enum AisleKind
{
    /// <summary>Rack fronts face it.</summary>
    Cold,

    /// <summary>Rack backs face it.</summary>
    Hot,
}

/// <summary>An aisle beside or between rows.</summary>
/// <param name="Name"><c>aisle-1</c>, …</param>
/// <param name="Kind">Hot or cold.</param>
/// <param name="MinX">West end, m.</param>
/// <param name="MinY">South edge, m.</param>
/// <param name="MaxX">East end, m.</param>
/// <param name="MaxY">North edge, m.</param>
/// <param name="Contained">Whether doors and a roof close it.</param>
/// <param name="HeightM">Height of its containment (the tallest rack beside it), m.</param>
public sealed record AisleLayout(string Name, AisleKind Kind, double MinX, double MinY, double MaxX, double MaxY, bool Contained, double HeightM);

/// <summary>A rack where it stands.</summary>
/// <param name="Name">The twin's name for it (<c>rack-0</c>, as failure events target it).</param>
/// <param name="Index">Rack index in the hall.</param>
/// <param name="Location">Row and slot (<c>R2.05</c>), as a technician would find it.</param>
/// <param name="Pool">The pool or training block it belongs to.</param>
/// <param name="Row">Row index.</param>
/// <param name="Slot">Position in the row from the west end, 0-based.</param>
/// <param name="Box">Where it stands and its enclosure, m.</param>
/// <param name="Template">Catalog rack template.</param>
/// <param name="FrontY">+1 when its front faces north, −1 when south.</param>
/// <param name="Cooling">How its heat leaves it.</param>
/// <param name="Cdu">Index of the CDU of its cold plates, −1 for none.</param>
/// <param name="DesignPowerW">Power at full load, W.</param>
/// <param name="IdlePowerW">Power with every accelerator idle, W.</param>
public sealed record RackLayout(string Name, int Index, string Location, string Pool, int Row, int Slot, BoxM Box, string Template, int FrontY,
    RackCoolingType Cooling, int Cdu, double DesignPowerW, double IdlePowerW);

/// <summary>A piece of equipment standing on the floor of the hall or the yard.</summary>
/// <param name="Name">The twin's name for it (<c>crah-1</c>, <c>cdu-2</c>).</param>
/// <param name="Index">Its index among its kind.</param>
/// <param name="Box">Where it stands, m.</param>
public sealed record UnitLayout(string Name, int Index, BoxM Box);

/// <summary>What a chiller burns: electricity only, gas only, or either (hybrid).</summary>
public enum ChillerDrive
{
    /// <summary>Electric compressor.</summary>
    Electric,

    /// <summary>Gas-engine-driven compressor.</summary>
    Engine,

    /// <summary>Electric compressor with a gas engine beside it that can take any share of the load.</summary>
    Hybrid,
}

/// <summary>A chiller in the yard.</summary>
/// <param name="Name">The twin's name for it.</param>
/// <param name="Index">Its index in the plant.</param>
/// <param name="Drive">Electric, engine or hybrid.</param>
/// <param name="Box">The chiller package, m.</param>
/// <param name="EngineBox">The engine skid beside it (engine and hybrid units), else null.</param>
/// <param name="CapacityW">Nominal cooling capacity, W.</param>
public sealed record ChillerLayout(string Name, int Index, ChillerDrive Drive, BoxM Box, BoxM? EngineBox, double CapacityW);

/// <summary>The cooling tower in the yard.</summary>
/// <param name="Name">The twin's name for it (<c>cooling-tower</c>).</param>
/// <param name="Box">All its cells together, m.</param>
/// <param name="Cells">Fan cells along x.</param>
public sealed record TowerLayout(string Name, BoxM Box, int Cells);

/// <summary>Which water a pipe carries.</summary>
public enum PipeKind
{
    /// <summary>CDU to cold plates.</summary>
    SecondarySupply,

    /// <summary>Cold plates back to the CDU.</summary>
    SecondaryReturn,

    /// <summary>Chillers to the CDUs and CRAHs.</summary>
    FacilitySupply,

    /// <summary>Back to the chillers.</summary>
    FacilityReturn,
}

/// <summary>A straight run of pipe.</summary>
/// <param name="Name">Stable name (<c>cdu-1/supply/row-2</c>).</param>
/// <param name="Kind">Which water it carries.</param>
/// <param name="Cdu">The CDU whose secondary loop it belongs to, −1 for facility water.</param>
/// <param name="From">One end, m.</param>
/// <param name="To">The other end, m.</param>
/// <param name="DiameterM">Outside diameter drawn, m.</param>
public sealed record PipeLayout(string Name, PipeKind Kind, int Cdu, PointM From, PointM To, double DiameterM);
