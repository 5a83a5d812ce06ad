using DataCenterTwin.Scenarios.Tests.Schema;

namespace DataCenterTwin.Sweeps.Tests;

/// <summary>
/// scenarios/schema/sweep.schema.json and the sweep loader agree: a file the loader takes, the schema
/// takes; a file it refuses (naming the place, line and column), the schema refuses too.
/// </summary>
public class SweepSchemaTests
{
    private static readonly ScenarioSchema s_schema = ScenarioSchema.Load(Path.Combine(SweepTestFiles.Assets!, "..", "scenarios", "schema", "sweep.schema.json"));

    [Theory]
    [InlineData("grid:\n  control.policy: [electric-first, capacity-unlock]\nseeds: [1, 2]\n")]
    [InlineData("fixed:\n  run.horizon: 2 h\ngrid:\n  hall.pools[0].racks: [2, 4]\nseeds: 3\n")]
    [InlineData("hypercube:\n  samples: 4\n  seed: 7\n  ranges:\n    hall.pools[0].racks: [2, 5]\n")]
    public void GoodFile_BothTakeIt(string body)
    {
        string text = $"name: good\nbase: BASE\n{body}";
        var (spec, errors) = SweepLoader.Load(SweepTestFiles.Write(text), SweepTestFiles.Assets);
        Assert.True(spec is not null, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Message}")));
        var problems = s_schema.Validate(text.Replace("BASE", SweepTestFiles.Quick, StringComparison.Ordinal));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("grid: {}\n", "grid", 0)]
    [InlineData("grid:\n  control.policy: []\n", "grid.control.policy", 4)]
    [InlineData("hypercube:\n  samples: 0\n  ranges:\n    hall.pools[0].racks: [2, 8]\n", "hypercube.samples", 4)]
    [InlineData("grid:\n  control.policy: [electric-first]\nseed: 3\n", "seed", 5)]
    [InlineData("grid:\n  control.policy: [electric-first]\nseeds: []\n", "seeds", 5)]
    [InlineData("hypercube:\n  samples: 3\n  ranges:\n    hall.pools[0].racks: [2]\n", "hypercube.ranges.hall.pools[0].racks", 6)]
    public void BadFile_BothRefuseIt_TheLoaderNamingThePlace(string body, string path, int line)
    {
        string text = $"name: bad\nbase: BASE\n{body}";
        var (spec, errors) = SweepLoader.Load(SweepTestFiles.Write(text), SweepTestFiles.Assets);
        Assert.Null(spec);
        // Line 0: the whole file is wrong (it varies nothing), so the place is its path alone.
        Assert.Contains(errors, e => e.Path == path && (line == 0 || e.Source.Line == line));
        Assert.NotEmpty(s_schema.Validate(text.Replace("BASE", SweepTestFiles.Quick, StringComparison.Ordinal)));
    }

    // The loader also tries each value on the base scenario, which no schema of the sweep file can do:
    // the schema takes these, the loader refuses them at the value.
    [Theory]
    [InlineData("grid:\n  hall.pools[0].no_such_key: [1, 2]\n", "grid.hall.pools[0].no_such_key")]
    [InlineData("grid:\n  site.grid.capacity: [2 MW, 3 kg]\n", "grid.site.grid.capacity")]
    public void ValueWrongOnTheBase_OnlyTheLoaderSeesIt(string body, string path)
    {
        string text = $"name: bad\nbase: BASE\n{body}";
        var (spec, errors) = SweepLoader.Load(SweepTestFiles.Write(text), SweepTestFiles.Assets);
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == path);
        Assert.Empty(s_schema.Validate(text.Replace("BASE", SweepTestFiles.Quick, StringComparison.Ordinal)));
    }
}
