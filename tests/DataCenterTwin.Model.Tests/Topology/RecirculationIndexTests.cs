using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Tests.Cooling;
using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Model.Topology;

namespace DataCenterTwin.Model.Tests.Topology;

/// <summary>Rack inlets differ by place: the hall's recirculation shared out by the layout.</summary>
public class RecirculationIndexTests
{
    private const double RhoCp = 1.2 * 1006; // J/(m³·K)

    private static readonly WeatherConditions s_mild = new(20, 10, 50, 101_325, 14);

    // Six air-cooled racks of 100 kW design, one CRAH with air and coil to spare, 10 % design
    // recirculation (AirPathSpec's default), 20 °C supply air.
    private static CoolingSystemSpec SixRacks() => new(
        [.. Enumerable.Range(0, 6).Select(_ => RackThermalSpec.Air(100_000, 32))],
        new AirPathSpec(20, AirPathCapacityPerRackW: 100_000) { RoomAirHeatCapacityJPerK = 1e6 },
        [new CrahSpec("crah", 2_000_000, 40, 4_000, 12, 35, MinAirflowFraction: 0.2)], new AcceleratorThermalSpec(), [],
        new CoolantLoopSpec("facility", Coolant.Water, 5_000, 6, 12), new PumpGroupSpec("facility", 1, 6, 3_000), 12,
        TestPlants.Plant([TestPlants.Carrier19Xr]));

    private static HallTopology Layout(CoolingSystemSpec spec, int rows, Containment containment) =>
        HallTopology.Create(new LayoutSpec(rows, 0.6, 1.2, containment),
            [.. Enumerable.Range(0, 6).Select(_ => new TopologyRack("pool", RackBody.Standard("standard-42U"), 1_000))], spec);

    [Fact]
    public void OpenAisles_RowEndsTakeTwiceTheInteriorsShare_KnownAnswer()
    {
        // Two rows of three, no containment: in each row the two end racks have the top and one open
        // end (2 paths), the middle rack the top alone (1). Sum 2 × (2 + 1 + 2) = 10 over 6 racks,
        // mean 5/3: ends 2/(5/3) = 1.2, middles 0.6.
        var weights = RecirculationIndex.Weights(Layout(SixRacks(), 2, Containment.None));
        Assert.Equal([1.2, 0.6, 1.2, 1.2, 0.6, 1.2], weights.Select(w => Math.Round(w, 12)));
        Assert.Equal(1, weights.Average(), 12);
    }

    [Fact]
    public void ContainedAisles_CloseTheRowEnds_EveryRackTheSame()
    {
        // Two rows either side of one contained hot aisle: doors on its ends close both rows' ends.
        Assert.All(RecirculationIndex.Weights(Layout(SixRacks(), 2, Containment.HotAisle)), w => Assert.Equal(1, w, 12));

        // Three rows of two under hot-aisle containment: rows 1 and 2 share the contained hot aisle;
        // row 3's hot aisle is the hall's outer one, open, so both its racks stand at an open end.
        // Paths 1,1,1,1,2,2: mean 4/3, weights 0.75 and 1.5.
        var three = RecirculationIndex.Weights(Layout(SixRacks(), 3, Containment.HotAisle));
        Assert.Equal([0.75, 0.75, 0.75, 0.75, 1.5, 1.5], three.Select(w => Math.Round(w, 12)));
    }

    [Fact]
    public void RackInlets_DifferByPlace_KnownAnswer()
    {
        // 30 kW of air heat in every rack: 3.0 m³/s each at 0.0001 m³/s per W, an exhaust rise of
        // 30,000/(1,207.2 × 3.0) = 8.28363 K. The CRAH supplies 18 × 0.9 = 16.2 m³/s of its 40 (no
        // shortfall), so the hall recirculates its design 10 %. End racks (weight 1.2) take 12 % of
        // their rise: 20 + 0.12 × 8.28363 = 20.99404 °C; middle racks (0.6) 6 %: 20.49702 °C.
        var spec = SixRacks();
        var sys = new CoolingSystem(spec);
        sys.SetRecirculationWeights(RecirculationIndex.Weights(Layout(spec, 2, Containment.None)));
        double[] power = [30_000, 30_000, 30_000, 30_000, 30_000, 30_000];
        sys.Step(10, power, s_mild);
        Assert.Equal(0.1, sys.RecirculationFraction, 9);
        Assert.Equal(20 + (0.12 * 30_000 / (RhoCp * 3.0)), sys.RackInletTempC[0], 9);
        Assert.Equal(20.99404, sys.RackInletTempC[0], 5);
        Assert.Equal(20.49702, sys.RackInletTempC[1], 5);
        Assert.Equal(sys.RackInletTempC[0], sys.RackInletTempC[5], 12);

        // The same hall without weights: every inlet at the hall's 10 %, 20.82836 °C.
        var uniform = new CoolingSystem(spec);
        uniform.Step(10, power, s_mild);
        Assert.All(uniform.RackInletTempC.ToArray(), t => Assert.Equal(20.82836, t, 5));
    }

    [Fact]
    public void Weights_OnePerRackAndNonNegative()
    {
        var sys = new CoolingSystem(SixRacks());
        Assert.Throws<ArgumentException>(() => sys.SetRecirculationWeights([1, 1]));
        Assert.Throws<ArgumentException>(() => sys.SetRecirculationWeights([1, 1, 1, 1, 1, -1]));
        Assert.Throws<ArgumentException>(() => sys.SetRecirculationWeights([1, 1, 1, 1, 1, double.NaN]));
    }
}
