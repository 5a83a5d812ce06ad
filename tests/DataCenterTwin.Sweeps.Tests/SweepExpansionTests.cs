namespace DataCenterTwin.Sweeps.Tests;

/// <summary>Grid × hypercube × seeds: counts, stable keys, stratification.</summary>
public class SweepExpansionTests
{
    private const string Sweep = """
        name: mix
        base: BASE
        fixed:
          run.horizon: 2 h
        grid:
          cooling.chillers[0].type: [electric, hybrid]
          control.policy: [electric-first, capacity-unlock, price-responsive]
        hypercube:
          samples: 4
          seed: 3
          ranges:
            site.grid.capacity: [150 kW, 250 kW]
            hall.pools[0].racks: [2, 6]
        seeds: [1, 2]
        """;

    [Fact]
    public void GridTimesHypercubeTimesSeeds()
    {
        var (spec, errors) = SweepLoader.Load(SweepTestFiles.Write(Sweep), SweepTestFiles.Assets);
        Assert.True(spec is not null, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Message}")));
        var variants = SweepExpansion.Expand(spec);
        Assert.Equal(2 * 3 * 4 * 2, variants.Count);
        Assert.Equal(variants.Count, variants.Select(v => string.Join(";", v.Overrides.OrderBy(o => o.Key, StringComparer.Ordinal))).Distinct().Count());
        Assert.All(variants, v => Assert.Equal("2 h", v.Overrides["run.horizon"]));
        var again = SweepExpansion.Expand(spec);
        Assert.Equal(variants.Select(v => string.Join(";", v.Overrides)), again.Select(v => string.Join(";", v.Overrides)));
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(37, 5)]
    public void Hypercube_EveryStratumOfEveryRangeHoldsOneSample(int samples, int dimensions)
    {
        var u = SweepExpansion.UnitHypercube(samples, dimensions, 9);
        for (int d = 0; d < dimensions; d++)
        {
            var strata = Enumerable.Range(0, samples).Select(i => (int)Math.Floor(u[i, d] * samples)).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, samples), strata);
        }
    }

    [Theory]
    [InlineData("grid:\n  hall.poolz[0].racks: [2, 3]\n", "grid.hall.poolz[0].racks")]
    [InlineData("grid:\n  cooling.chillers[0].capacity: [100 C]\n", "grid.cooling.chillers[0].capacity")]
    [InlineData("grid:\n  cooling.chillers[9].capacity: [100 kW]\n", "grid.cooling.chillers[9].capacity")]
    [InlineData("grid:\n  control.policy: []\n", "grid.control.policy")]
    [InlineData("hypercube:\n  samples: 0\n  ranges:\n    site.grid.capacity: [1 MW, 2 MW]\n", "hypercube.samples")]
    [InlineData("hypercube:\n  samples: 4\n  ranges:\n    site.grid.capacity: [1 MW, 2 kW]\n", "hypercube.ranges.site.grid.capacity")]
    [InlineData("hypercube:\n  samples: 4\n  ranges:\n    site.grid.capacity: [2 MW, 1 MW]\n", "hypercube.ranges.site.grid.capacity")]
    [InlineData("seeds: []\n", "seeds")]
    [InlineData("", "grid")]
    public void BadSweep_IsAnErrorAtItsPlace(string body, string path)
    {
        var (spec, errors) = SweepLoader.Load(SweepTestFiles.Write($"name: bad\nbase: BASE\n{body}"), SweepTestFiles.Assets);
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == path);
    }
}
