namespace DataCenterTwin.Model.Topology;

/// <summary>Which aisle, if any, is closed off with doors and a roof so hot and cold air do not mix.</summary>
public enum Containment
{
    /// <summary>Open aisles.</summary>
    None,

    /// <summary>The cold aisles between two rows are closed.</summary>
    ColdAisle,

    /// <summary>The hot aisles between two rows are closed.</summary>
    HotAisle,
}

/// <summary>
/// How the racks stand in the hall: parallel rows along x, fronts facing each other across cold
/// aisles and backs across hot aisles (the hot-aisle/cold-aisle arrangement of ASHRAE TC 9.9).
/// </summary>
/// <param name="Rows">Rows of racks; racks fill them in index order, the same count in each but the last.</param>
/// <param name="RackPitchM">Centre-to-centre distance of neighbouring racks in a row, m.</param>
/// <param name="AisleWidthM">Clear width of every hot and cold aisle, m.</param>
/// <param name="Containment">Which aisles are contained.</param>
public sealed record LayoutSpec(int Rows, double RackPitchM, double AisleWidthM, Containment Containment)
{
    /// <summary>
    /// Cold-aisle width when the scenario gives none, m: 1.2 m (4 ft, two floor tiles), the
    /// cold-aisle width TIA-942 and ASHRAE's hot-aisle/cold-aisle guidance use.
    /// </summary>
    public const double DefaultAisleWidthM = 1.2;

    /// <summary>Fewest racks a default row holds (short halls still get one proper row).</summary>
    public const int MinRacksPerDefaultRow = 8;

    /// <summary>
    /// Most racks a default row holds: assumption, rows of more than about 30 racks (18 m) are
    /// split in practice for egress and for the length of a CDU's manifold.
    /// </summary>
    public const int MaxRacksPerDefaultRow = 30;

    /// <summary>
    /// Rows for <paramref name="racks"/> racks when the scenario gives none: rows of about
    /// 2·√racks racks (a near-square hall, since a row pitch of rack depth plus aisle is about four
    /// rack pitches), between <see cref="MinRacksPerDefaultRow"/> and <see cref="MaxRacksPerDefaultRow"/>.
    /// </summary>
    public static int DefaultRows(int racks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(racks, 1);
        int perRow = Math.Clamp((int)Math.Ceiling(2 * Math.Sqrt(racks)), MinRacksPerDefaultRow, MaxRacksPerDefaultRow);
        return (racks + perRow - 1) / perRow;
    }

    /// <summary>The default layout of <paramref name="racks"/> racks no wider than <paramref name="widestRackM"/>.</summary>
    public static LayoutSpec Default(int racks, double widestRackM) =>
        new(DefaultRows(racks), widestRackM, DefaultAisleWidthM, Containment.HotAisle);
}
