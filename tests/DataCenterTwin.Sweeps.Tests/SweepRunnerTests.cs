namespace DataCenterTwin.Sweeps.Tests;

/// <summary>A sweep killed part-way and run again gives the rows of one that never stopped.</summary>
public class SweepRunnerTests
{
    [Fact]
    public void KilledAndRerun_SameRowsAsUninterrupted()
    {
        string file = SweepTestFiles.Write("""
            name: resume
            base: BASE
            fixed:
              run.horizon: 2 h
            grid:
              control.policy: [electric-first, capacity-unlock]
            seeds: [1, 2]
            """);
        var (spec, errors) = SweepLoader.Load(file, SweepTestFiles.Assets);
        Assert.True(spec is not null, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Message}")));
        var variants = SweepExpansion.Expand(spec);
        string whole = Directory.CreateTempSubdirectory("dctwin-sweep-whole").FullName;
        string killed = Directory.CreateTempSubdirectory("dctwin-sweep-killed").FullName;

        var first = SweepRunner.Run(spec, variants, whole, 2, SweepTestFiles.Assets);
        Assert.Equal(4, first.Ran);
        Assert.Empty(first.Failed);

        // The killed sweep finished two variants; a variant in flight left only its temporary file.
        var partial = SweepRunner.Run(spec, variants.Take(2).ToList(), killed, 1, SweepTestFiles.Assets);
        File.WriteAllText(Path.Combine(partial.ResultsFolder, "deadbeefdeadbeef-2.parquet.tmp"), "half a row");
        var resumed = SweepRunner.Run(spec, variants, killed, 2, SweepTestFiles.Assets);
        Assert.Equal(2, resumed.Skipped);
        Assert.Equal(2, resumed.Ran);

        var a = Directory.GetFiles(first.ResultsFolder, "*.parquet").Select(Path.GetFileName).Order().ToArray();
        var b = Directory.GetFiles(resumed.ResultsFolder, "*.parquet").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(4, a.Length);
        Assert.Equal(a, b);
        foreach (string? name in a)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.ResultsFolder, name!)), File.ReadAllBytes(Path.Combine(resumed.ResultsFolder, name!)));
        }
    }
}
