using DataCenterTwin.Cli;
using DataCenterTwin.Cli.Run;
using DataCenterTwin.Runs.Folder;

namespace DataCenterTwin.IntegrationTests.Traces;

/// <summary>A killed run, resumed from its last checkpoint, ends with the same files as a run that was never killed.</summary>
public class ResumeTests
{
    [Fact]
    public void KilledAndResumed_WritesEveryRowOnceAndTheSameFiles()
    {
        string scenario = Repository.Path("scenarios/quick.yaml");
        string whole = Directory.CreateTempSubdirectory("dctwin-whole").FullName;
        string killed = Directory.CreateTempSubdirectory("dctwin-killed").FullName;
        var error = new StringWriter();
        Assert.Equal(Program.ExitOk, RunCommand.Run(scenario, whole, "70 d", null, false, true, TextWriter.Null, error));

        // Killed 45 days in: the checkpoint at 30 days is the last one; files after it are unfinished.
        Assert.Equal(Program.ExitFailure, RunCommand.Run(scenario, killed, "70 d", null, false, true, TextWriter.Null, error, killAtS: 45 * 86400.0));
        Assert.True(File.Exists(Path.Combine(killed, RunCheckpoint.FileName)));

        // What a process killed mid-write leaves: an unfinished file, and a part completed after the checkpoint.
        string month = Directory.EnumerateDirectories(Path.Combine(killed, "facility")).Order(StringComparer.Ordinal).Last();
        File.WriteAllText(Path.Combine(month, "part-7.parquet.tmp"), "half a file");
        File.WriteAllText(Path.Combine(killed, "racks", "part-after-checkpoint.parquet"), "not in the checkpoint");

        Assert.Equal(Program.ExitOk, RunCommand.Run(scenario, killed, "70 d", null, false, true, TextWriter.Null, error, resume: true));
        Assert.Empty(Directory.EnumerateFiles(killed, "*.tmp", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(killed, RunCheckpoint.FileName)));

        var expected = ParquetFiles(whole);
        Assert.Equal(string.Join("\n", expected.Keys.Order()), string.Join("\n", ParquetFiles(killed).Keys.Order()));
        foreach (var (file, bytes) in expected)
        {
            Assert.True(bytes.SequenceEqual(File.ReadAllBytes(Path.Combine(killed, file))), $"{file} differs");
        }

        Assert.Equal(70 * 96, DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{killed}/facility/**/*.parquet')"));
    }

    [Fact]
    public void Resume_OfAnotherScenario_IsRefused()
    {
        string folder = Directory.CreateTempSubdirectory("dctwin-killed").FullName;
        var error = new StringWriter();
        RunCommand.Run(Repository.Path("scenarios/quick.yaml"), folder, "40 d", null, false, true, TextWriter.Null, error, killAtS: 35 * 86400.0);
        Assert.Equal(Program.ExitInvalidInput, RunCommand.Run(Repository.Path("scenarios/quick.yaml"), folder, "41 d", null, false, true, TextWriter.Null, error, resume: true));
        Assert.Contains("another scenario", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RunAgain_IntoTheSameFolder_ReplacesTheEarlierRunsRows()
    {
        // What the resume error tells a user to do for a run killed before its first checkpoint (or
        // killed after writing its last part), and what anyone does rerunning into --out: the folder
        // then holds this run's rows once, not the earlier run's beside them.
        string scenario = Repository.Path("scenarios/quick.yaml");
        string once = Directory.CreateTempSubdirectory("dctwin-once").FullName;
        string twice = Directory.CreateTempSubdirectory("dctwin-twice").FullName;
        var error = new StringWriter();
        Assert.Equal(Program.ExitOk, RunCommand.Run(scenario, once, "2 d", null, false, true, TextWriter.Null, error));
        Assert.Equal(Program.ExitOk, RunCommand.Run(scenario, twice, "3 d", null, false, true, TextWriter.Null, error));
        File.WriteAllText(Path.Combine(twice, "notes.txt"), "the user's own file");
        Assert.Equal(Program.ExitOk, RunCommand.Run(scenario, twice, "2 d", null, false, true, TextWriter.Null, error));

        var expected = ParquetFiles(once);
        Assert.Equal(string.Join("\n", expected.Keys.Order()), string.Join("\n", ParquetFiles(twice).Keys.Order()));
        Assert.Equal(2 * 96, DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{twice}/facility/**/*.parquet')"));
        Assert.True(File.Exists(Path.Combine(twice, "notes.txt")));
    }

    [Fact]
    public void RunAgain_KilledBeforeItsFirstCheckpoint_LeavesNoEarlierCheckpointToResume()
    {
        // A stale checkpoint from the earlier run would let --resume keep files the new run deleted.
        string scenario = Repository.Path("scenarios/quick.yaml");
        string folder = Directory.CreateTempSubdirectory("dctwin-stale").FullName;
        var error = new StringWriter();
        Assert.Equal(Program.ExitFailure, RunCommand.Run(scenario, folder, "40 d", null, false, true, TextWriter.Null, error, killAtS: 35 * 86400.0));
        Assert.True(File.Exists(Path.Combine(folder, RunCheckpoint.FileName)));
        Assert.Equal(Program.ExitFailure, RunCommand.Run(scenario, folder, "40 d", null, false, true, TextWriter.Null, error, killAtS: 10 * 86400.0));
        Assert.False(File.Exists(Path.Combine(folder, RunCheckpoint.FileName)));
        Assert.Equal(Program.ExitInvalidInput, RunCommand.Run(scenario, folder, "40 d", null, false, true, TextWriter.Null, error, resume: true));
    }

    private static Dictionary<string, byte[]> ParquetFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);
}
