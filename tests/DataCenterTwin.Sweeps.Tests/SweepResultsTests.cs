namespace DataCenterTwin.Sweeps.Tests;

/// <summary>Pareto fronts against fronts found by hand, and the results read back as written.</summary>
public class SweepResultsTests
{
    // Cost against CO2, both to be small: (1, 9) (2, 5) (4, 4) (6, 1) form the front; (3, 6) is beaten
    // by (2, 5), (5, 5) by (4, 4), (6, 2) by (6, 1); the NaN point takes no part.
    [Fact]
    public void ParetoFront_BothMinimised_WorkedByHand()
    {
        (double, double)[] points = [(3, 6), (1, 9), (5, 5), (2, 5), (6, 2), (4, 4), (6, 1), (double.NaN, 0)];
        Assert.Equal([1, 3, 5, 6], SweepResults.ParetoFront(points, minimizeX: true, minimizeY: true));
    }

    // PUE to be small against accelerators to be large: (1.10, 1000) (1.15, 1900) (1.20, 2000) are the
    // front; (1.15, 1800) is beaten by (1.15, 1900) and (1.30, 1950) by (1.20, 2000).
    [Fact]
    public void ParetoFront_OneMaximised_WorkedByHand()
    {
        (double, double)[] points = [(1.15, 1800), (1.10, 1000), (1.30, 1950), (1.20, 2000), (1.15, 1900)];
        Assert.Equal([1, 4, 3], SweepResults.ParetoFront(points, minimizeX: true, minimizeY: false));
    }

    [Fact]
    public void Read_GivesTheRowsTheRunnerWrote()
    {
        string file = SweepTestFiles.Write("""
            name: read
            base: BASE
            fixed:
              run.horizon: 1 h
            grid:
              control.policy: [electric-first, capacity-unlock]
            seeds: [5]
            """);
        var (spec, errors) = SweepLoader.Load(file, SweepTestFiles.Assets);
        Assert.True(spec is not null, string.Join("\n", errors.Select(e => e.Message)));
        var outcome = SweepRunner.Run(spec, SweepExpansion.Expand(spec), Directory.CreateTempSubdirectory("dctwin-read").FullName, 2, SweepTestFiles.Assets);
        var rows = SweepResults.Read(outcome.ResultsFolder);
        Assert.Equal([0, 1], rows.Select(r => r.Variant));
        Assert.All(rows, r => Assert.Equal(5, r.Seed));
        Assert.Equal(["electric-first", "capacity-unlock"], rows.Select(r => r.Parameters["control.policy"]));
        Assert.All(rows, r => Assert.InRange(r["pue"], 1.0, 2.0));
        Assert.All(rows, r => Assert.Equal(128, r["accelerators"])); // quick: 4 DGX-H100 racks of 32
    }
}
