namespace DataCenterTwin.Model.Topology;

/// <summary>A point of the site in metres: x along the rows, y across them, z up from the hall floor.</summary>
public readonly record struct PointM(double X, double Y, double Z);

/// <summary>An upright box standing on the floor: its footprint centre and its size along each axis, m.</summary>
/// <param name="Centre">Centre of the footprint, on the floor (z is the bottom).</param>
/// <param name="SizeXM">Extent along x, m.</param>
/// <param name="SizeYM">Extent along y, m.</param>
/// <param name="HeightM">Height, m.</param>
public readonly record struct BoxM(PointM Centre, double SizeXM, double SizeYM, double HeightM)
{
    /// <summary>The top centre.</summary>
    public PointM Top => Centre with { Z = Centre.Z + HeightM };
}
