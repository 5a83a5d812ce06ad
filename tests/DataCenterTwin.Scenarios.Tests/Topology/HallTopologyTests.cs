using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Model.Topology;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Tests.Schema;

namespace DataCenterTwin.Scenarios.Tests.Topology;

/// <summary>
/// The hall's topology from a scenario's layout: default rows from the rack count, positions worked
/// by hand from the layout rules, stable names, and precise errors for a layout that cannot be built.
/// </summary>
public class HallTopologyTests
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();

    [Theory]
    [InlineData(1, 1)]      // rows of at least 8: one row
    [InlineData(4, 1)]
    [InlineData(48, 4)]     // 2·√48 = 13.9 → 14 per row → 4 rows
    [InlineData(64, 4)]     // 2·√64 = 16 per row
    [InlineData(100, 5)]    // 20 per row
    [InlineData(2000, 67)]  // capped at 30 per row: ⌈2000/30⌉
    public void DefaultRows_FollowTheRackCount(int racks, int rows) => Assert.Equal(rows, LayoutSpec.DefaultRows(racks));

    [Fact]
    public void MetroHall_DefaultLayout_PositionsWorkedByHand()
    {
        // metro-inference: 64 racks of 0.6 × 1.2 m (48 DGX-H100, 16 HGX-H200), 4 rows of 16,
        // 0.6 m pitch, 1.2 m aisles, 3 m perimeter.
        var topology = TwinBuilder.Topology(TwinBuilderTests.Load("metro-inference.yaml"));
        Assert.Equal(4, topology.Rows.Count);
        Assert.All(topology.Rows, r => Assert.Equal(16, r.RackCount));
        Assert.Equal(64, topology.Racks.Count);

        var first = topology.Racks[0];
        Assert.Equal(("rack-0", "R1.01", "chat", "DGX-H100-rack"), (first.Name, first.Location, first.Pool, first.Template));
        Assert.Equal(3.3, first.Box.Centre.X, 9);             // 3 + 0.3
        Assert.Equal(4.8, first.Box.Centre.Y, 9);             // 3 + 1.2 + 0.6
        Assert.Equal(-1, first.FrontY);                       // row 1 faces the cold aisle to its south
        Assert.Equal((0.6, 1.2, 2.0), (first.Box.SizeXM, first.Box.SizeYM, first.Box.HeightM));

        var r17 = topology.Racks[17];                          // row 2, slot 2
        Assert.Equal("R2.02", r17.Location);
        Assert.Equal(3 + (1.5 * 0.6), r17.Box.Centre.X, 9);
        Assert.Equal(4.8 + 2.4, r17.Box.Centre.Y, 9);
        Assert.Equal(1, r17.FrontY);
        Assert.Equal("code", topology.Racks[63].Pool);

        // Aisles: cold, hot, cold, hot, cold; hot-aisle containment closes the hot ones between rows.
        Assert.Equal([AisleKind.Cold, AisleKind.Hot, AisleKind.Cold, AisleKind.Hot, AisleKind.Cold], topology.Aisles.Select(a => a.Kind));
        Assert.Equal([false, true, false, true, false], topology.Aisles.Select(a => a.Contained));
        Assert.Equal(3 + 1.2 + 1.2, topology.Aisles[1].MinY, 9);

        // The hall: 16 racks and the row's CDUs, a perimeter on each side.
        int cdusInRow1 = topology.Cdus.Count(c => Math.Abs(c.Box.Centre.Y - 4.8) < 1e-9);
        Assert.Equal(3 + (16 * 0.6) + (cdusInRow1 * 0.6) + 3, topology.Hall.MaxX, 9);
        Assert.Equal(3 + (4 * 2.4) + 1.2 + 3, topology.Hall.MaxY, 9);
    }

    [Fact]
    public void EveryEquipmentName_MatchesTheTwinsNames_AndIsUnique()
    {
        var spec = TwinBuilderTests.Load("metro-inference.yaml");
        var topology = TwinBuilder.Topology(spec);
        Assert.Equal(spec.Cooling.Cdus.Select(c => c.Name), topology.Cdus.Select(c => c.Name));
        Assert.Equal(spec.Cooling.Crahs.Select(c => c.Name), topology.Crahs.Select(c => c.Name));
        Assert.Equal(spec.Cooling.Plant.Chillers.Select(c => c.Name), topology.Chillers.Select(c => c.Name));
        Assert.Equal(ChillerDrive.Hybrid, topology.Chillers[0].Drive);
        Assert.NotNull(topology.Chillers[0].EngineBox);
        Assert.Null(topology.Chillers[1].EngineBox);
        var names = topology.Racks.Select(r => r.Name).Concat(topology.Cdus.Select(c => c.Name)).Concat(topology.Crahs.Select(c => c.Name))
            .Concat(topology.Chillers.Select(c => c.Name)).Concat(topology.Pipes.Select(p => p.Name)).Concat(topology.Rows.Select(r => r.Name)).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(spec.Equipment.Where(e => e.StartsWith("cdu", StringComparison.Ordinal)), e => Assert.Contains(e, names));
    }

    [Fact]
    public void RacksOfACdu_AreReachedByItsSecondaryPipes()
    {
        var topology = TwinBuilder.Topology(TwinBuilderTests.Load("metro-inference.yaml"));
        foreach (var rack in topology.Racks.Where(r => r.Cooling == RackCoolingType.DirectToChip))
        {
            // A supply run of the rack's CDU lies over the rack's row and spans its x.
            Assert.Contains(topology.Pipes, p => p.Kind == PipeKind.SecondarySupply && p.Cdu == rack.Cdu
                && Math.Abs(p.From.Y - p.To.Y) < 1e-9 && Math.Abs(p.From.Y - rack.Box.Centre.Y) < 0.2
                && Math.Min(p.From.X, p.To.X) <= rack.Box.Centre.X && Math.Max(p.From.X, p.To.X) >= rack.Box.Centre.X);
        }

        // Facility water reaches every chiller in the yard, east of the hall.
        foreach (var ch in topology.Chillers)
        {
            Assert.True(ch.Box.Centre.X > topology.Hall.MaxX);
            Assert.Contains(topology.Pipes, p => p.Kind == PipeKind.FacilitySupply && p.Name == $"facility/supply/{ch.Name}");
        }
    }

    [Fact]
    public void TrainingRacks_TakeTheirSizeFromTheCatalog()
    {
        var topology = TwinBuilder.Topology(TwinBuilderTests.Load("training-nvl72.yaml"));
        var nvl = topology.Racks.First(r => r.Template == "GB200-NVL72");
        Assert.Equal((0.6, 1.068, 2.236), (nvl.Box.SizeXM, nvl.Box.SizeYM, nvl.Box.HeightM));
    }

    [Fact]
    public void GivenLayout_IsUsedAndResolved()
    {
        var spec = Load("layout:\n  rows: 2\n  rack_pitch: 800 mm\n  aisle_width: 4 ft\n  containment: cold-aisle\n");
        Assert.Equal(new LayoutSpec(2, 0.8, 1.2192, Containment.ColdAisle), spec.Layout! with { AisleWidthM = Math.Round(spec.Layout!.AisleWidthM, 6) });
        Assert.Contains("rack_pitch: 0.8 m", spec.ResolvedYaml, StringComparison.Ordinal);
        Assert.Contains("containment: \"cold-aisle\"", spec.ResolvedYaml, StringComparison.Ordinal);
        var topology = TwinBuilder.Topology(spec);
        Assert.Equal(2, topology.Rows.Count);
        Assert.Equal(3 + 0.4, topology.Racks[0].Box.Centre.X, 9);
        Assert.Equal(3 + 0.8 + 0.4, topology.Racks[1].Box.Centre.X, 9);

        // Two rows have three aisles (cold, hot, cold): the only one between two rows is hot, so
        // cold-aisle containment closes none.
        Assert.All(topology.Aisles, a => Assert.False(a.Contained));
    }

    [Fact]
    public void NoLayout_ResolvedScenarioShowsTheDefault()
    {
        var spec = TwinBuilderTests.Load("quick.yaml");
        Assert.Equal(new LayoutSpec(1, 0.6, 1.2, Containment.HotAisle), spec.Layout);
        Assert.Contains("layout:\n  rows: 1\n  rack_pitch: 0.6 m\n  aisle_width: 1.2 m\n  containment: hot-aisle", spec.ResolvedYaml.Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rows: 5", "layout.rows", "5 rows for 4 racks: every row needs at least one rack")]
    [InlineData("rows: 0", "layout.rows", "out of range")]
    [InlineData("rack_pitch: 0.5 m", "layout.rack_pitch", "a rack pitch of 0.5 m is narrower than the widest rack of the hall (0.6 m, from the hardware catalog)")]
    [InlineData("rack_pitch: 60 kW", "layout.rack_pitch", "expected a length such as \"1.2 m\"")]
    [InlineData("aisle_width: 0.2 m", "layout.aisle_width", "out of range")]
    [InlineData("containment: both", "layout.containment", "\"both\"")]
    [InlineData("row: 2", "layout.row", "unknown key \"row\"; did you mean \"rows\"?")]
    public void BadLayout_IsAPreciseError(string line, string path, string message)
    {
        var (spec, errors) = ScenarioLoader.Load(Quick($"layout:\n  {line}\n"), Assets);
        Assert.Null(spec);
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RejectsALayoutThatCannotHoldTheRacks()
    {
        var spec = TwinBuilderTests.Load("quick.yaml");
        var racks = spec.Hall.Racks.Select(r => new TopologyRack(r.Pool, r.Body!, r.IdlePowerW)).ToList();
        Assert.Throws<ArgumentException>(() => HallTopology.Create(new LayoutSpec(5, 0.6, 1.2, Containment.None), racks, spec.Cooling));
        Assert.Throws<ArgumentException>(() => HallTopology.Create(new LayoutSpec(1, 0.59, 1.2, Containment.None), racks, spec.Cooling));
    }

    private static string Quick(string extra) =>
        ScenarioSchemaTests.WriteTemp($"extends: {Path.GetFullPath(TwinBuilderTests.Scenario("quick.yaml"))}\n{extra}");

    private static ScenarioSpec Load(string extra)
    {
        var (spec, errors) = ScenarioLoader.Load(Quick(extra), Assets);
        Assert.True(spec is not null, string.Join("\n", errors));
        return spec;
    }
}
