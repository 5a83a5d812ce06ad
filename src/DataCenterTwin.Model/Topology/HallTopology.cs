using System.Globalization;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Topology;

/// <summary>
/// Where everything of the site stands, with stable names, in metres: the hall with its rows,
/// aisles, racks, CRAHs and CDUs, the pipes from the racks through the CDUs to the chiller yard, the
/// chillers and the cooling tower. x runs along the rows (west to east), y across them, z up. Built
/// once from the layout and the specs; it never changes during a run.
/// </summary>
public sealed class HallTopology
{
    // Sizes of equipment that the specs do not give, m. Assumptions, stated in assets/layout/README.md:
    // perimeter clearance for CRAHs and service, a CDU in a rack enclosure, a perimeter CRAH, a
    // water-cooled chiller package per MW, a tower cell, the pipe height above the racks.
    private const double PerimeterM = 3.0;
    private const double CduWidthM = 0.6, CduDepthM = 1.2, CduHeightM = 2.0;
    private const double CrahAlongWallM = 2.5, CrahDepthM = 0.9, CrahHeightM = 2.0;
    private const double YardGapM = 8.0, ChillerWidthM = 2.0, ChillerHeightM = 2.4, ChillerSpacingM = 2.0, EngineLengthM = 2.2;
    private const double TowerCellM = 4.0, TowerHeightM = 4.5, TowerCellRejectionW = 1.5e6;
    private const double PipeAboveRacksM = 0.4;

    private HallTopology(LayoutSpec layout, List<RoomLayout> rooms, List<RowLayout> rows, List<AisleLayout> aisles, List<RackLayout> racks,
        List<UnitLayout> crahs, List<UnitLayout> cdus, List<ChillerLayout> chillers, TowerLayout tower, List<PipeLayout> pipes)
    {
        Layout = layout;
        Rooms = rooms;
        Rows = rows;
        Aisles = aisles;
        Racks = racks;
        Crahs = crahs;
        Cdus = cdus;
        Chillers = chillers;
        Tower = tower;
        Pipes = pipes;
    }

    /// <summary>The layout it was built from.</summary>
    public LayoutSpec Layout { get; }

    /// <summary>The hall and the chiller yard.</summary>
    public IReadOnlyList<RoomLayout> Rooms { get; }

    /// <summary>Rows, south to north.</summary>
    public IReadOnlyList<RowLayout> Rows { get; }

    /// <summary>Aisles, south to north: cold before the first row, then hot and cold in turn.</summary>
    public IReadOnlyList<AisleLayout> Aisles { get; }

    /// <summary>Racks in index order.</summary>
    public IReadOnlyList<RackLayout> Racks { get; }

    /// <summary>CRAHs in spec order, along the west and east walls.</summary>
    public IReadOnlyList<UnitLayout> Crahs { get; }

    /// <summary>CDUs in spec order, at the east ends of the rows they serve.</summary>
    public IReadOnlyList<UnitLayout> Cdus { get; }

    /// <summary>Chillers in plant order, in the yard.</summary>
    public IReadOnlyList<ChillerLayout> Chillers { get; }

    /// <summary>The cooling tower.</summary>
    public TowerLayout Tower { get; }

    /// <summary>Every straight pipe run.</summary>
    public IReadOnlyList<PipeLayout> Pipes { get; }

    /// <summary>The hall room.</summary>
    public RoomLayout Hall => Rooms[0];

    /// <summary>The chiller yard.</summary>
    public RoomLayout Yard => Rooms[1];

    /// <summary>The rack named <paramref name="name"/>, or null.</summary>
    public RackLayout? Rack(string name) => Racks.FirstOrDefault(r => r.Name == name);

    /// <summary>
    /// Lays out the site. <paramref name="racks"/> and <paramref name="cooling"/> list the same racks
    /// in the same order.
    /// </summary>
    /// <exception cref="ArgumentException">The layout does not fit the racks (more rows than racks, a pitch narrower than a rack).</exception>
    public static HallTopology Create(LayoutSpec layout, IReadOnlyList<TopologyRack> racks, CoolingSystemSpec cooling)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(racks);
        ArgumentNullException.ThrowIfNull(cooling);
        int n = racks.Count;
        if (n == 0 || n != cooling.Racks.Count)
        {
            throw new ArgumentException($"the topology needs the same racks as the cooling spec, at least one ({n} and {cooling.Racks.Count} given)", nameof(racks));
        }

        if (layout.Rows < 1 || layout.Rows > n)
        {
            throw new ArgumentException($"{layout.Rows} rows for {n} racks: every row needs at least one rack", nameof(layout));
        }

        double widest = racks.Max(r => r.Body.WidthM);
        if (layout.RackPitchM < widest - 1e-9)
        {
            throw new ArgumentException($"a rack pitch of {layout.RackPitchM:G4} m is narrower than the widest rack ({widest:G4} m)", nameof(layout));
        }

        double pitch = layout.RackPitchM, aisle = layout.AisleWidthM, depth = racks.Max(r => r.Body.DepthM);
        double tallest = racks.Max(r => r.Body.HeightM);
        int perRow = (n + layout.Rows - 1) / layout.Rows;
        int rowCount = (n + perRow - 1) / perRow;

        // CDUs stand at the east end of the row holding their first rack.
        var cduRow = new int[cooling.Cdus.Count];
        Array.Fill(cduRow, -1);
        for (int i = 0; i < n; i++)
        {
            int c = cooling.Racks[i].Cdu;
            if (c >= 0 && c < cduRow.Length && cduRow[c] < 0)
            {
                cduRow[c] = i / perRow;
            }
        }

        var rows = new List<RowLayout>(rowCount);
        var rackLayouts = new List<RackLayout>(n);
        double longest = 0;
        for (int r = 0; r < rowCount; r++)
        {
            int first = r * perRow, count = Math.Min(perRow, n - first);
            int cdusHere = cduRow.Count(x => x == r);
            double length = (count * pitch) + (cdusHere * CduWidthM);
            longest = Math.Max(longest, length);
            double centreY = PerimeterM + aisle + (depth / 2) + (r * (aisle + depth));
            int front = r % 2 == 0 ? -1 : 1; // row 0 faces the first (cold) aisle to its south
            rows.Add(new RowLayout($"row-{r + 1}", r, first, count, centreY, PerimeterM, length, depth, front));
            for (int s = 0; s < count; s++)
            {
                int i = first + s;
                var body = racks[i].Body;
                var thermal = cooling.Racks[i];

                // Racks of different depths line up at their fronts, on the cold aisle.
                double y = centreY + (front * (depth - body.DepthM) / 2);
                var box = new BoxM(new PointM(PerimeterM + ((s + 0.5) * pitch), y, 0), body.WidthM, body.DepthM, body.HeightM);
                string location = string.Create(CultureInfo.InvariantCulture, $"R{r + 1}.{s + 1:D2}");
                rackLayouts.Add(new RackLayout($"rack-{i}", i, location, racks[i].Pool, r, s, box, body.Template, front, thermal.Cooling,
                    thermal.Cooling == RackCoolingType.DirectToChip ? thermal.Cdu : -1, thermal.DesignPowerW, racks[i].IdlePowerW));
            }
        }

        double hallMaxX = PerimeterM + longest + PerimeterM;
        double hallMaxY = PerimeterM + (rowCount * (aisle + depth)) + aisle + PerimeterM;
        var aisles = new List<AisleLayout>(rowCount + 1);
        for (int k = 0; k <= rowCount; k++)
        {
            double minY = PerimeterM + (k * (aisle + depth));
            var kind = k % 2 == 0 ? AisleKind.Cold : AisleKind.Hot;
            bool between = k > 0 && k < rowCount;
            bool contained = between && ((kind == AisleKind.Cold && layout.Containment == Containment.ColdAisle)
                || (kind == AisleKind.Hot && layout.Containment == Containment.HotAisle));
            double lengthM = Math.Max(k > 0 ? rows[k - 1].LengthM : 0, k < rowCount ? rows[k].LengthM : 0);
            aisles.Add(new AisleLayout($"aisle-{k + 1}", kind, PerimeterM, minY, PerimeterM + lengthM, minY + aisle, contained, tallest));
        }

        var cdus = new List<UnitLayout>(cooling.Cdus.Count);
        var placedInRow = new int[rowCount];
        for (int c = 0; c < cooling.Cdus.Count; c++)
        {
            int r = cduRow[c] >= 0 ? cduRow[c] : rowCount - 1;
            var row = rows[r];
            double x = PerimeterM + (row.RackCount * pitch) + ((placedInRow[r]++ + 0.5) * CduWidthM);
            double y = row.CentreY + (row.FrontY * (depth - CduDepthM) / 2);
            cdus.Add(new UnitLayout(cooling.Cdus[c].Name, c, new BoxM(new PointM(x, y, 0), CduWidthM, CduDepthM, CduHeightM)));
        }

        var crahs = new List<UnitLayout>(cooling.Crahs.Count);
        int westCount = (cooling.Crahs.Count + 1) / 2, eastCount = cooling.Crahs.Count - westCount;
        for (int k = 0; k < cooling.Crahs.Count; k++)
        {
            bool west = k % 2 == 0;
            int along = k / 2, onWall = west ? westCount : eastCount;
            double x = west ? 0.3 + (CrahDepthM / 2) : hallMaxX - 0.3 - (CrahDepthM / 2);
            double y = hallMaxY * (along + 0.5) / onWall;
            crahs.Add(new UnitLayout(cooling.Crahs[k].Name, k, new BoxM(new PointM(x, y, 0), CrahDepthM, CrahAlongWallM, CrahHeightM)));
        }

        // The yard lies east of the hall: the chillers in a line along y, the tower east of them.
        var plant = cooling.Plant;
        double yardMinX = hallMaxX + YardGapM, chillerX0 = yardMinX + 2;
        var chillers = new List<ChillerLayout>(plant.Chillers.Count);
        double y0 = 2, maxLength = 0;
        for (int k = 0; k < plant.Chillers.Count; k++)
        {
            var spec = plant.Chillers[k];
            var drive = spec switch { HybridChillerSpec => ChillerDrive.Hybrid, EngineDrivenChillerSpec => ChillerDrive.Engine, _ => ChillerDrive.Electric };
            double length = ChillerLength(spec.NominalCapacityW);
            double y = y0 + (k * (ChillerWidthM + ChillerSpacingM)) + (ChillerWidthM / 2);
            var box = new BoxM(new PointM(chillerX0 + (length / 2), y, 0), length, ChillerWidthM, ChillerHeightM);
            BoxM? engine = drive == ChillerDrive.Electric ? null
                : new BoxM(new PointM(chillerX0 + length + 0.3 + (EngineLengthM / 2), y, 0), EngineLengthM, ChillerWidthM * 0.8, ChillerHeightM * 0.85);
            maxLength = Math.Max(maxLength, length + (engine is null ? 0 : EngineLengthM + 0.3));
            chillers.Add(new ChillerLayout(spec.Name, k, drive, box, engine, spec.NominalCapacityW));
        }

        int cells = Math.Max(1, (int)Math.Ceiling(plant.Tower.DesignHeatRejectionW / TowerCellRejectionW));
        double towerX = chillerX0 + maxLength + 4;
        var tower = new TowerLayout("cooling-tower",
            new BoxM(new PointM(towerX + (cells * TowerCellM / 2), y0 + (TowerCellM / 2), 0), cells * TowerCellM, TowerCellM, TowerHeightM), cells);
        double yardMaxY = Math.Max(y0 + (plant.Chillers.Count * (ChillerWidthM + ChillerSpacingM)), y0 + TowerCellM) + 2;
        var rooms = new List<RoomLayout>
        {
            new("hall", 0, 0, hallMaxX, hallMaxY, Outdoor: false),
            new("chiller-yard", yardMinX, 0, towerX + (cells * TowerCellM) + 2, yardMaxY, Outdoor: true),
        };

        var pipes = LayPipes(rows, rackLayouts, cdus, chillers, tallest + PipeAboveRacksM, hallMaxX, chillerX0);
        return new HallTopology(layout, rooms, rows, aisles, rackLayouts, crahs, cdus, chillers, tower, pipes);
    }

    /// <summary>Length of a water-cooled chiller package of <paramref name="capacityW"/>, m (assumption: 3.5 m plus 1 m per MW, 3 to 8 m).</summary>
    private static double ChillerLength(double capacityW) => Math.Clamp(3.5 + (capacityW / 1e6), 3, 8);

    private static List<PipeLayout> LayPipes(List<RowLayout> rows, List<RackLayout> racks, List<UnitLayout> cdus, List<ChillerLayout> chillers,
        double z, double hallMaxX, double chillerX0)
    {
        const double Secondary = 0.10, Facility = 0.25, Offset = 0.15;
        var pipes = new List<PipeLayout>();

        // Secondary loops: a riser from each CDU, then a supply and a return header over every row
        // it serves, from the CDU's end of the row to its farthest rack, joined across the aisles.
        for (int c = 0; c < cdus.Count; c++)
        {
            var cdu = cdus[c].Box;
            var served = racks.Where(r => r.Cdu == c).GroupBy(r => r.Row).OrderBy(g => g.Key).ToList();
            if (served.Count == 0)
            {
                continue;
            }

            foreach (var (kind, dy, label) in new[] { (PipeKind.SecondarySupply, -Offset, "supply"), (PipeKind.SecondaryReturn, Offset, "return") })
            {
                double x = cdu.Centre.X + (dy * 0.5);
                pipes.Add(new PipeLayout($"{cdus[c].Name}/{label}/riser", kind, c, new PointM(x, cdu.Centre.Y + dy, cdu.HeightM), new PointM(x, cdu.Centre.Y + dy, z), Secondary));
                double fromY = cdu.Centre.Y + dy;
                foreach (var g in served)
                {
                    var row = rows[g.Key];
                    double y = row.CentreY + dy;
                    if (Math.Abs(y - fromY) > 1e-9)
                    {
                        pipes.Add(new PipeLayout($"{cdus[c].Name}/{label}/to-{row.Name}", kind, c, new PointM(x, fromY, z), new PointM(x, y, z), Secondary));
                    }

                    double west = g.Min(r => r.Box.Centre.X - (r.Box.SizeXM / 2));
                    pipes.Add(new PipeLayout($"{cdus[c].Name}/{label}/{row.Name}", kind, c, new PointM(x, y, z), new PointM(west, y, z), Secondary));
                }
            }
        }

        // Facility water: from each CDU east along its row to a header inside the east wall, the
        // header along y, out through the wall to the yard, and along the chillers.
        double headerX = hallMaxX - 1.5;
        double lowY = cdus.Count > 0 ? cdus.Min(c => c.Box.Centre.Y) : rows[0].CentreY;
        double highY = cdus.Count > 0 ? cdus.Max(c => c.Box.Centre.Y) : rows[^1].CentreY;
        double yardY = chillers.Count > 0 ? chillers[0].Box.Centre.Y : 2;
        double yardHighY = chillers.Count > 0 ? chillers[^1].Box.Centre.Y : yardY;
        double chillerInX = chillers.Count > 0 ? chillers.Min(c => c.Box.Centre.X - (c.Box.SizeXM / 2)) : chillerX0;
        foreach (var (kind, dz, label) in new[] { (PipeKind.FacilitySupply, 0.0, "supply"), (PipeKind.FacilityReturn, 0.35, "return") })
        {
            double zz = z + 0.3 + dz;
            foreach (var c in cdus)
            {
                pipes.Add(new PipeLayout($"facility/{label}/{c.Name}", kind, -1, new PointM(c.Box.Centre.X, c.Box.Centre.Y, zz), new PointM(headerX, c.Box.Centre.Y, zz), Facility * 0.6));
            }

            double bottom = Math.Min(lowY, yardY), top = Math.Max(highY, yardY);
            pipes.Add(new PipeLayout($"facility/{label}/header", kind, -1, new PointM(headerX, bottom, zz), new PointM(headerX, top, zz), Facility));
            pipes.Add(new PipeLayout($"facility/{label}/to-yard", kind, -1, new PointM(headerX, yardY, zz), new PointM(chillerX0 - 1, yardY, zz), Facility));
            pipes.Add(new PipeLayout($"facility/{label}/yard-header", kind, -1, new PointM(chillerX0 - 1, yardY, zz), new PointM(chillerX0 - 1, yardHighY, zz), Facility));
            foreach (var ch in chillers)
            {
                pipes.Add(new PipeLayout($"facility/{label}/{ch.Name}", kind, -1, new PointM(chillerX0 - 1, ch.Box.Centre.Y, zz),
                    new PointM(chillerInX, ch.Box.Centre.Y, zz), Facility * 0.8));
            }
        }

        return pipes;
    }
}
