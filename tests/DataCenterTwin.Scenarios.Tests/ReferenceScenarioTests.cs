using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Scenarios.Sections;
using Xunit.Abstractions;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>The reference scenarios run as they stand and give physically sensible books.</summary>
public class ReferenceScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("quick.yaml")]
    [InlineData("metro-inference.yaml")]
    [InlineData("training-nvl72.yaml")]
    [InlineData("aircooled-retrofit.yaml")]
    public void ReferenceScenario_RunsTwoDaysAtASensiblePue(string file)
    {
        var spec = TwinBuilderTests.Load(file, new Dictionary<string, string> { ["run.horizon"] = "2 d" });
        Assert.False(string.IsNullOrWhiteSpace(spec.Description));
        var built = TwinBuilder.Build(spec, spec.Run.Fidelity);
        built.Twin.RunUntil(spec.Run.Horizon);
        var l = built.Twin.Ledger;
        double pue = l.TotalJ / l.ItJ;
        output.WriteLine($"{file}: IT {l.ItJ / 3.6e6:F0} kWh, PUE {pue:F3}");

        // Modern liquid-cooled halls run near 1.1–1.2; an air-cooled hall on air-cooled chillers in
        // a Florida August near 1.4–1.5 (Uptime Institute's 2023 survey average is 1.58).
        Assert.InRange(pue, 1.1, 1.6);
        Assert.Equal(2 * 86_400, l.Seconds, 6);
    }

    /// <summary>Every scenario file in scenarios/, so a new reference scenario is checked without being listed.</summary>
    public static TheoryData<string> EveryReferenceScenario()
    {
        var data = new TheoryData<string>();
        foreach (string file in ScenarioFiles())
        {
            data.Add(file);
        }

        return data;
    }

    private static List<string> ScenarioFiles()
    {
        string folder = Path.GetDirectoryName(TwinBuilderTests.Scenario("quick.yaml"))!;
        return [.. Directory.GetFiles(folder, "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void AircooledRetrofit_RowEndRacks_RunHotterInletsThanTheirRow()
    {
        // 20 racks in the default layout: three rows of 7, 7 and 6 under hot-aisle containment. Rows 1
        // and 2 share the contained hot aisle; row 3 (racks 14–19, the AI 100 pool) backs onto the
        // hall's outer, open hot aisle, so its end racks 14 and 19 stand at open row ends: paths 1 × 18
        // and 2 × 2, mean 1.1, weights 1/1.1 = 0.90909 and 2/1.1 = 1.81818.
        var spec = TwinBuilderTests.Load("aircooled-retrofit.yaml", new Dictionary<string, string> { ["run.horizon"] = "2 h" });
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        var cooling = built.Twin.Parts.Cooling;
        Assert.Equal(0.90909, cooling.RecirculationWeight(0), 5);
        Assert.Equal(0.90909, cooling.RecirculationWeight(16), 5);
        Assert.Equal(1.81818, cooling.RecirculationWeight(14), 5);
        Assert.Equal(1.81818, cooling.RecirculationWeight(19), 5);

        // Same pool, same row, same load: the rack at the open row end has the warmer inlet.
        built.Twin.RunUntil(spec.Run.Horizon);
        double interior = cooling.RackInletTempC[16], end = cooling.RackInletTempC[19];
        output.WriteLine($"ai100 inlets: rack 16 {interior:F3} °C, rack 19 {end:F3} °C");
        Assert.True(end > interior + 0.1, $"row-end inlet {end} not above the interior rack's {interior}");
    }

    [Fact]
    public void EveryReferenceScenario_ListsTheScenarioFolder()
    {
        // The balance below runs on this list: it must hold the reference scenarios named in the
        // README, not an empty folder's worth.
        var files = ScenarioFiles();
        Assert.Contains("metro-inference.yaml", files);
        Assert.Contains("capacity-unlock-hybrid.yaml", files);
        Assert.Contains("metro-campus-1184.yaml", files);
        Assert.True(files.Count >= 10, string.Join(", ", files));
    }

    [Theory]
    [MemberData(nameof(EveryReferenceScenario))]
    public void ReferenceScenario_BooksCloseEveryInterval_OverTwoDaysWithAnOutage(string file)
    {
        // Two days with a 20-minute outage on the second (generators, UPS, recharge all run): in
        // every output interval grid + generator + UPS = total, and the building's heat (IT, fans,
        // pumps, electrical losses) over the interval = heat the plant removed in it + the change
        // in heat stored in the loops and the hall air. Every file in scenarios/, two days each.
        var spec = TwinBuilderTests.Load(file, new Dictionary<string, string> { ["run.horizon"] = "2 d" });
        var outageStart = SimTime.FromHours(30);
        spec = spec with { Events = [.. spec.Events, new GridEventSpec(GridEventKind.Outage, outageStart, SimTime.FromMinutes(20))] };
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        var books = new BookChecker(built.Twin);
        built.Twin.Observe(books);
        built.Twin.RunUntil(spec.Run.Horizon);
        built.Twin.Flush();

        output.WriteLine($"{file}: {books.Intervals} intervals, worst power residual {books.WorstPowerResidual:E2}, worst heat residual {books.WorstHeatResidual:E2}");
        Assert.True(books.Intervals >= 2 * 96);
        Assert.True(books.WorstPowerResidual < 1e-9, $"grid + generator + UPS vs total: {books.WorstPowerResidual}");
        Assert.True(books.WorstHeatResidual < 1e-9, $"heat in vs removed + stored: {books.WorstHeatResidual}");
        Assert.True(books.SawRecharge, "the UPS recharge is booked as (negative) UPS power");

        // The generators come online when their start delay runs out, as the UPS energy says.
        double online = Assert.Single(books.GeneratorOnlineS);
        Assert.Equal(outageStart.TotalSeconds + built.Twin.Parts.Generator.Spec.StartDelayS, online, 3);

        // Every watt of cooling electricity is in a plant row (chillers, CDUs, CRAHs, pumps, towers,
        // the warm loop's pumps and dry cooler), except the server fans' draw above their ramp,
        // which the summary books apart: a reader of the plant dataset sees the whole plant.
        double coolingJ = built.Twin.Ledger.CoolingJ;
        double unlistedJ = coolingJ - books.PlantElectricJ - built.Twin.Parts.Cooling.ServerFanExtraJ;
        output.WriteLine($"{file}: cooling electricity {coolingJ / 3.6e6:F1} kWh, not in a plant row {unlistedJ / 3.6e6:F4} kWh");
        Assert.True(Math.Abs(unlistedJ) < 1e-9 * coolingJ, $"cooling electricity not in a plant row: {unlistedJ / 3.6e6} kWh of {coolingJ / 3.6e6}");
    }

    private sealed class BookChecker(HallTwin twin) : ITwinObserver
    {
        private double _generatedJ, _removedJ, _storedJ;

        public int Intervals { get; private set; }

        public double WorstPowerResidual { get; private set; }

        public double WorstHeatResidual { get; private set; }

        public bool SawRecharge { get; private set; }

        public List<double> GeneratorOnlineS { get; } = [];

        public double PlantElectricJ { get; private set; }

        public void OnFacilityInterval(in FacilitySample interval)
        {
            Intervals++;
            double supply = interval.GridW + interval.GeneratorW + interval.UpsW;
            WorstPowerResidual = Math.Max(WorstPowerResidual, Math.Abs(supply - interval.TotalW) / Math.Max(interval.TotalW, 1));
            SawRecharge |= interval.UpsW < 0;
            // The interval's own heat, not the run's running totals: an error in one interval cannot
            // hide behind the heat of the days before it.
            var c = twin.Parts.Cooling;
            double generatedJ = c.HeatGeneratedJ - _generatedJ, removedJ = c.HeatRemovedJ - _removedJ, storedJ = c.StoredHeatJ - _storedJ;
            WorstHeatResidual = Math.Max(WorstHeatResidual, Math.Abs(generatedJ - removedJ - storedJ) / Math.Max(generatedJ, 1));
            (_generatedJ, _removedJ, _storedJ) = (c.HeatGeneratedJ, c.HeatRemovedJ, c.StoredHeatJ);
        }

        public void OnRackInterval(in RackSample interval)
        {
        }

        public void OnPlantInterval(in PlantSample interval) => PlantElectricJ += interval.ElectricW * interval.DurationS;

        public void OnEvent(in TwinEvent e)
        {
            if (e.Kind == TwinEventKind.GeneratorOnline)
            {
                GeneratorOnlineS.Add(e.TimeS);
            }
        }
    }
}
