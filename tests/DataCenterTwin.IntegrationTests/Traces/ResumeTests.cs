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

    private static Dictionary<string, byte[]> ParquetFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);
}
