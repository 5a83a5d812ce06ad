using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;
using Xunit.Abstractions;

namespace DataCenterTwin.Scenarios.Tests.Sections;

/// <summary>
/// A rack's thermal parameters have one home, <see cref="DataCenterTwin.Scenarios.Sections.HallSpec.Racks"/>:
/// an override of one rack (<c>hall.racks.rack-1.liquid_fraction</c>, the path a calibration fits) and
/// an edit of the spec both change what the cooling model sees, for that rack and no other.
/// </summary>
public class RackThermalTests(ITestOutputHelper output)
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();
    private static readonly string Quick = TwinBuilderTests.Scenario("quick.yaml");

    private static ScenarioSpec Load(params (string Path, string Value)[] overrides)
    {
        var (spec, errors) = ScenarioLoader.Load(Quick, Assets, overrides.ToDictionary(o => o.Path, o => o.Value));
        Assert.True(spec is not null, string.Join("\n", errors));
        return spec;
    }

    // Each rack's coolant outlet over its CDU's supply at 10:00 (the morning ramp), K.
    private static double[] RiseOverSupplyK(ScenarioSpec spec)
    {
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        built.Twin.RunUntil(SimTime.FromHours(10));
        var cooling = built.Twin.Parts.Cooling;
        var racks = spec.Cooling.Racks;
        var rise = new double[racks.Count];
        for (int k = 0; k < rise.Length; k++)
        {
            rise[k] = cooling.RackCoolantOutletTempC[k] - cooling.Cdus[racks[k].Cdu].SupplyTempC;
        }

        return rise;
    }

    [Fact]
    public void OneRacksOverride_ChangesThatRackOnly_InWhatTheCoolingModelSees()
    {
        var low = Load(("hall.racks.rack-1.liquid_fraction", "60 %"));
        var high = Load(("hall.racks.rack-1.liquid_fraction", "95 %"));
        Assert.NotEqual(low.Hash, high.Hash);
        Assert.Equal([0.8, 0.6, 0.8, 0.8], low.Cooling.Racks.Select(r => Math.Round(r.LiquidFraction, 12)));
        Assert.Equal([0.8, 0.95, 0.8, 0.8], high.Cooling.Racks.Select(r => Math.Round(r.LiquidFraction, 12)));
        Assert.Equal(0.95, high.Hall.Racks[1].LiquidFraction, 12);

        // The four racks draw the same power on equal shares of the CDU's flow, so each one's rise
        // over the CDU supply goes as its capture fraction: rack-1's is 0.6/0.8 and 0.95/0.8 of the
        // others', which stay equal. (The others' outlets move too, less: the CDU pumps follow the
        // loop's total heat at a fixed temperature difference, so the flow all four share changes.)
        double[] a = RiseOverSupplyK(low), b = RiseOverSupplyK(high);
        output.WriteLine($"rise over the CDU supply at 60 %: {string.Join(", ", a.Select(x => x.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))} K; "
            + $"at 95 %: {string.Join(", ", b.Select(x => x.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))} K");
        Assert.True(a[0] > 1, $"rack-0 rises {a[0]:F3} K over its supply");
        Assert.Equal(0.6 / 0.8, a[1] / a[0], 9);
        Assert.Equal(0.95 / 0.8, b[1] / b[0], 9);
        foreach (int k in new[] { 2, 3 })
        {
            Assert.Equal(a[0], a[k], 9);
            Assert.Equal(b[0], b[k], 9);
        }
    }

    [Fact]
    public void EditingTheHallsRack_ChangesWhatTheCoolingSpecHolds()
    {
        var spec = Load();
        var racks = spec.Hall.Racks.ToArray();
        racks[2] = racks[2] with { Thermal = racks[2].Thermal with { LiquidFraction = 0.5, DesignAirflowM3PerS = 3 } };
        var edited = spec with { Hall = spec.Hall with { Racks = racks } };
        Assert.Equal(0.5, edited.Cooling.Racks[2].LiquidFraction);
        Assert.Equal(3, edited.Cooling.Racks[2].DesignAirflowM3PerS);
        Assert.Equal(0.8, spec.Cooling.Racks[2].LiquidFraction);
        Assert.Equal(0.8, edited.Cooling.Racks[1].LiquidFraction);

        // and the built twin's cooling model is built on the edited rack.
        var built = TwinBuilder.Build(edited, Fidelity.Fluid);
        Assert.Equal(0.5, built.Twin.Parts.Cooling.Spec.Racks[2].LiquidFraction);
    }

    [Fact]
    public void ARacksOwnCooling_MovesItOffItsCdu_AndTheRestKeepTheirs()
    {
        var spec = Load(("hall.racks.rack-1.cooling", "air"), ("hall.racks.rack-2.airflow", "2.5 m3/s"));
        var r = spec.Cooling.Racks;
        Assert.Equal([RackCoolingType.DirectToChip, RackCoolingType.Air, RackCoolingType.DirectToChip, RackCoolingType.DirectToChip], r.Select(x => x.Cooling));
        Assert.Equal([0, -1, 0, 0], r.Select(x => x.Cdu));
        // An air rack's liquid fraction is its type's default (0), not the pool's 80 %.
        Assert.Equal(0, r[1].LiquidFraction);
        Assert.Equal(2.5, r[2].DesignAirflowM3PerS, 9);
        Assert.True(double.IsNaN(r[0].DesignAirflowM3PerS));
        Assert.Contains("  racks:\n    rack-1:\n      cooling: \"air\"\n      liquid_fraction: 0\n", spec.ResolvedYaml, StringComparison.Ordinal);

        // The resolved scenario holds the rack and loads back to itself.
        var (again, errors) = ScenarioLoader.LoadText(spec.ResolvedYaml, Quick, Assets);
        Assert.True(again is not null, string.Join("\n", errors));
        Assert.Equal(spec.Hash, again.Hash);
    }

    [Theory]
    [InlineData("hall.racks.rack-4.liquid_fraction", "50 %", "hall.racks.rack-4", "no rack named \"rack-4\": the hall's racks are rack-0 to rack-3")]
    [InlineData("hall.racks.rack-01.liquid_fraction", "50 %", "hall.racks.rack-01", "no rack named \"rack-01\"")]
    [InlineData("hall.racks.chat.liquid_fraction", "50 %", "hall.racks.chat", "no rack named \"chat\"")]
    [InlineData("hall.racks.rack-1.liquid_fraction", "150 %", "hall.racks.rack-1.liquid_fraction", "")]
    [InlineData("hall.racks.rack-1.cooling", "immersion", "hall.racks.rack-1.cooling", "immersion")]
    [InlineData("hall.racks.rack-1.airflow", "2 kW", "hall.racks.rack-1.airflow", "")]
    [InlineData("hall.racks.rack-1.liquid_fracton", "50 %", "hall.racks.rack-1.liquid_fracton", "did you mean \"liquid_fraction\"?")]
    public void ABadRackOverride_IsAnErrorAtItsPath(string path, string value, string errorPath, string says)
    {
        var (spec, errors) = ScenarioLoader.Load(Quick, Assets, new Dictionary<string, string> { [path] = value });
        Assert.Null(spec);
        var error = Assert.Single(errors, e => e.Path == errorPath);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }
}
