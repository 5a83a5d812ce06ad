using System.Text.Json.Nodes;
using DataCenterTwin.Runs.Folder;

namespace DataCenterTwin.Runs.Tests;

/// <summary>A run folder killed after a checkpoint and resumed from the state saved there ends as the unbroken run does.</summary>
public class ResumeFromStateTests
{
    [Fact]
    public void A_killed_run_resumed_from_its_saved_state_writes_the_same_files_and_summary()
    {
        var overrides = new Dictionary<string, string> { ["run.horizon"] = "3 d", ["run.checkpoint_interval"] = "1 d" };
        TwinSession Make() => TwinSession.FromFile(Repo.Path("scenarios/quick.yaml"), overrides);
        string whole = Directory.CreateTempSubdirectory("dctwin-whole").FullName;
        string killed = Directory.CreateTempSubdirectory("dctwin-killed").FullName;
        Assert.Equal(RunOutcome.Completed, RunFolder.Run(Make(), whole, true, false, null, TextWriter.Null, out _));

        // Killed half a day after the day-2 checkpoint: the state saved there is what resume starts from.
        Assert.Equal(RunOutcome.Failed, RunFolder.Run(Make(), killed, true, false, null, TextWriter.Null, out _, killAtS: 2.5 * 86400));
        byte[] state = File.ReadAllBytes(Path.Combine(killed, RunFolder.StateFileName));
        Assert.Equal(2 * 86400e6, TwinSession.ReadHeader(state).SimTimeUs);

        var resumedSession = Make();
        var seen = new CheckpointTests.Recorder();
        resumedSession.Subscribe((Model.Twin.ITwinObserver)seen);
        Assert.Equal(RunOutcome.Completed, RunFolder.Run(resumedSession, killed, true, true, null, TextWriter.Null, out var summary));
        Assert.Equal(2 * 86400.0, summary!.ResumedFromS);
        Assert.False(File.Exists(Path.Combine(killed, RunFolder.StateFileName)));

        // Restored, not replayed: the resumed session itself produced only the last day's output intervals.
        Assert.Equal(96, seen.Lines.Count(l => l.StartsWith("f ", StringComparison.Ordinal)));

        var expected = Directory.EnumerateFiles(whole, "*.parquet", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(whole, f)).Order().ToList();
        Assert.Equal(expected, Directory.EnumerateFiles(killed, "*.parquet", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(killed, f)).Order().ToList());
        foreach (string file in expected)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(whole, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(killed, file))), $"{file} differs");
        }

        Assert.Equal(Comparable(whole), Comparable(killed));
    }

    [Fact]
    public void A_killed_request_level_run_with_lanes_resumes_to_the_same_bytes()
    {
        // Metro's chat and code pools share no class: two lanes (ComputeHall.Lanes.cs), each with
        // its own queue and request slots, saved with the twin and restored into a hall built anew.
        AssertResumesToTheSameBytes(new() { ["run.horizon"] = "150 min", ["run.fidelity"] = "request" }, lanes: 2);
    }

    [Fact]
    public void A_killed_request_level_run_with_dispatch_groups_resumes_to_the_same_bytes()
    {
        // Chat in four dispatch groups: five lanes, and the chat class's counts gathered from four.
        AssertResumesToTheSameBytes(new() { ["run.horizon"] = "150 min", ["run.fidelity"] = "request", ["hall.pools[0].dispatch_groups"] = "4" }, lanes: 5);
    }

    [Fact]
    public void A_killed_request_level_run_dispatching_from_thermal_and_packing_indexes_resumes_to_the_same_bytes()
    {
        // Chat thermal-aware and code packed: both answered from the pools' indexes (ComputeHall.IndexedDispatch.cs).
        AssertResumesToTheSameBytes(new()
        {
            ["run.horizon"] = "150 min", ["run.fidelity"] = "request",
            ["hall.pools[0].dispatch"] = "thermal-aware", ["hall.pools[1].dispatch"] = "power-aware",
        }, lanes: 2);
    }

    [Fact]
    public void A_killed_fluid_run_killed_in_a_request_window_with_dispatch_groups_resumes_to_the_same_bytes()
    {
        // A request-level window from 30 min to 2 h whose hall splits chat into four groups, saved at
        // 1 h with the window's sources open and restored into a twin built anew.
        AssertResumesToTheSameBytes(new()
        {
            ["run.horizon"] = "150 min", ["hall.pools[0].dispatch_groups"] = "4",
            ["run.windows[0].start"] = "30 min", ["run.windows[0].duration"] = "90 min",
        }, lanes: 5);
    }

    // Metro with the overrides, checkpointed hourly and killed at 90 min, against the unbroken run.
    private static void AssertResumesToTheSameBytes(Dictionary<string, string> overrides, int lanes)
    {
        overrides["run.checkpoint_interval"] = "1 h";
        TwinSession Make() => TwinSession.FromFile(Repo.Path("scenarios/metro-inference.yaml"), overrides);
        Assert.Equal(lanes, Make().Built.RequestHall!.LaneCount);
        string whole = Directory.CreateTempSubdirectory("dctwin-whole").FullName;
        string killed = Directory.CreateTempSubdirectory("dctwin-killed").FullName;
        Assert.Equal(RunOutcome.Completed, RunFolder.Run(Make(), whole, true, false, null, TextWriter.Null, out _));
        Assert.Equal(RunOutcome.Failed, RunFolder.Run(Make(), killed, true, false, null, TextWriter.Null, out _, killAtS: 90 * 60));
        Assert.Equal(3600e6, TwinSession.ReadHeader(File.ReadAllBytes(Path.Combine(killed, RunFolder.StateFileName))).SimTimeUs);
        Assert.Equal(RunOutcome.Completed, RunFolder.Run(Make(), killed, true, true, null, TextWriter.Null, out _));

        var expected = Directory.EnumerateFiles(whole, "*.parquet", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(whole, f)).Order().ToList();
        Assert.Contains(expected, f => f.StartsWith("requests", StringComparison.Ordinal));
        Assert.Equal(expected, Directory.EnumerateFiles(killed, "*.parquet", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(killed, f)).Order().ToList());
        foreach (string file in expected)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(whole, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(killed, file))), $"{file} differs");
        }

        Assert.Equal(Comparable(whole), Comparable(killed));
    }

    // summary.json less what differs by design: the wall time and where a resumed run went on from.
    private static string Comparable(string folder)
    {
        var o = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();
        o.Remove("wall_s");
        o.Remove("resumed_from_s");
        return o.ToJsonString();
    }
}
