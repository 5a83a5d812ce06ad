using DataCenterTwin.Model.Economics;
using DataCenterTwin.Scenarios.Economics;

namespace DataCenterTwin.Scenarios.Tests.Economics;

/// <summary>The quick hall priced from the cost catalog, worked by hand.</summary>
public class CapitalCostEstimatorTests
{
    // quick.yaml: 4 DGX-H100 racks (4 servers of 8 × 700 W + 2,300 W host = 7,900 W), two 100 kW
    // water-cooled chillers on the York YS curve (rated COP 5.84), the first hybrid, a 60 kW economiser,
    // direct-to-chip at the default 80 % capture. Catalog: building 9.0675 USD/W IT, chillers 0.08530 USD/W,
    // gas engine 0.475 USD/W of shaft power, tower 0.02559 USD/W, controls 0.01280 USD/W, plate heat
    // exchangers 0.03128 USD/W, DGX H100 199,000 USD.
    //   facility   126,400 W × 9.0675                               = 1,146,132.00
    //   chillers   200,000 W × 0.08530                              =    17,060.00
    //   engine     100,000 / 5.84 = 17,123.29 W × 0.475             =     8,133.56
    //   tower      200,000 × 0.02559                                =     5,118.00
    //   controls   200,000 × 0.01280                                =     2,560.00
    //   economiser min(60,000, 200,000) × 0.03128                   =     1,876.80
    //   CDUs       126,400 × 0.8 = 101,120 W × 0.03128              =     3,163.03
    //   cooling                                                     =    37,911.39
    //   servers    16 × 199,000                                     = 3,184,000.00
    [Fact]
    public void QuickHall_PricedAsWorkedByHand()
    {
        var spec = TwinBuilderTests.Load("quick.yaml");
        var estimate = CapitalCostEstimator.Estimate(spec, spec.Economics.Catalog);
        Assert.Equal(1_146_132.00, estimate.CostUsd(CostCategory.Facility), 2);
        Assert.Equal(37_911.39, estimate.CostUsd(CostCategory.Cooling), 1);
        Assert.Equal(8_133.56, estimate.Items.Single(i => i.Name == "hybrid-1 gas engine").CostUsd, 2);
        Assert.Equal(3_184_000, estimate.CostUsd(CostCategory.It), 6);
        Assert.Contains(estimate.Unpriced, u => u.Contains("CRAH", StringComparison.Ordinal));
    }

    [Fact]
    public void RacksAddedLater_BoughtInTheYearTheyComeIn()
    {
        // Two of quick.yaml's four racks added on day 400 (year 2): 8 servers at the start, 8 in year 2
        // (FirstYear 1), 3,184,000 USD of servers in all.
        string path = DataCenterTwin.Scenarios.Tests.Schema.ScenarioSchemaTests.WriteTemp(
            $"extends: {Path.GetFullPath(TwinBuilderTests.Scenario("quick.yaml"))}\nrun:\n  horizon: 800 d\n  growth:\n    steps:\n      - {{ at: 400 d, pool: chat, racks: 2 }}\n");
        var (spec, errors) = ScenarioLoader.Load(path, DataCenterTwin.Scenarios.Catalog.AssetPaths.FindAssetsDirectory());
        Assert.True(spec is not null, string.Join("\n", errors));
        var estimate = CapitalCostEstimator.Estimate(spec, spec.Economics.Catalog);
        var servers = estimate.Items.Where(i => i.Category == CostCategory.It).OrderBy(i => i.FirstYear).ToList();
        Assert.Equal([(0, 8 * 199_000.0), (1, 8 * 199_000.0)], servers.Select(i => (i.FirstYear, i.CostUsd)));
        Assert.Equal(3_184_000, estimate.CostUsd(CostCategory.It), 6);
    }

    [Fact]
    public void EveryCatalogEntry_NamesItsSource()
    {
        var spec = TwinBuilderTests.Load("quick.yaml");
        Assert.All(spec.Economics.Catalog.Entries.Values, e => Assert.True(e.Source.Length > 20, e.Name));
    }

    [Fact]
    public void BrokenCatalog_IsAnErrorNamingTheEntry()
    {
        string path = Path.Combine(Path.GetTempPath(), $"costs-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "items": [ { "name": "x", "per": "W", "costUsd": -1, "lifeYears": 10, "maintenanceFractionPerYear": 0, "source": "s" } ] }""");
        var ex = Assert.Throws<InvalidDataException>(() => CostCatalog.Load(path));
        Assert.Contains("items[0] (x)", ex.Message, StringComparison.Ordinal);
    }
}
