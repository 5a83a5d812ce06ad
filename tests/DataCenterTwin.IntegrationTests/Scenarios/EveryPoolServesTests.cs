using System.Globalization;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.IntegrationTests.Scenarios;

/// <summary>
/// Every pool of every reference hall serves requests over a day: read back from the run's racks
/// dataset, no pool's racks may sit at idle power throughout (a class that never reaches a pool
/// leaves it there), and the summary's per-pool figures show each pool served and was busy.
/// </summary>
public sealed class EveryPoolServesTests
{
    public static TheoryData<string> ReferenceScenarios()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Repository.Path("scenarios"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceScenarios))]
    public void EveryPool_DrawsAboveIdle_AndServes(string file)
    {
        var (spec, errors) = ScenarioLoader.Load(Repository.Path("scenarios/" + file), AssetPaths.FindAssetsDirectory());
        Assert.True(spec is not null, string.Join("\n", errors));
        var (folder, summary) = Repository.Run("scenarios/" + file, "1 d", "fluid");
        try
        {
            string racks = Path.Combine(folder, "racks", "racks.parquet");
            foreach (var pool in spec.Hall.Pools)
            {
                int last = pool.FirstRack + pool.RackCount - 1;
                double idleW = spec.Hall.Racks[pool.FirstRack].IdlePowerW;

                // The highest interval mean of the pool's busiest rack, and the pool's mean over the day.
                double peakW = DuckDb.Scalar(FormattableString.Invariant($"SELECT max(power_w) FROM '{racks}' WHERE rack BETWEEN {pool.FirstRack} AND {last}"));
                double meanW = DuckDb.Scalar(FormattableString.Invariant($"SELECT avg(power_w) FROM '{racks}' WHERE rack BETWEEN {pool.FirstRack} AND {last}"));
                Assert.True(peakW > 1.05 * idleW, $"{file}: pool '{pool.Name}' (racks {pool.FirstRack}–{last}) peaks at {peakW:F0} W against {idleW:F0} W idle");
                Assert.True(meanW > 1.02 * idleW, $"{file}: pool '{pool.Name}' averages {meanW:F0} W against {idleW:F0} W idle");

                var figures = summary["pools"]![pool.Name]!;
                Assert.True((double)figures["requests"]! > 0, $"{file}: pool '{pool.Name}' served no requests");
                Assert.True((double)figures["utilisation"]! > 0.05, $"{file}: pool '{pool.Name}' utilisation {figures["utilisation"]}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Summary_ReportsTheDailyTroughAndPeak()
    {
        var (folder, summary) = Repository.Run("scenarios/quick.yaml");
        try
        {
            double trough = (double)summary["it_power_daily_trough_kw"]!, peak = (double)summary["it_power_daily_peak_kw"]!;
            Assert.True(trough > 0 && trough < peak, string.Create(CultureInfo.InvariantCulture, $"trough {trough} kW, peak {peak} kW"));
            Assert.Equal(trough / peak, (double)summary["it_power_trough_to_peak"]!, 6);
            Assert.Equal("h", (string)summary["units"]!["it_hours_below_30pct_of_peak"]!);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
