using System.Text.Json.Nodes;
using DataCenterTwin.Cli;
using DataCenterTwin.Cli.Run;
using DataCenterTwin.Model.Parallel;

namespace DataCenterTwin.IntegrationTests.Traces;

/// <summary>
/// run.threads changes how fast a run goes, never what it writes: the 1,184-rack campus (large
/// enough that its per-rack work is cut into slices: the cooling and output accumulation over all
/// racks, the fluid hall's racks of its 888-rack chat pool; its 296-rack code pool runs inline) run
/// on 1, 2 and 4 threads gives the same bytes in every Parquet file, the same resolved scenario and
/// the same summary but for its wall time. The metro hall (64 racks, every range inline) checks
/// that explicit threads on a small hall change nothing either; at request level its two lanes
/// (chat and code share no class: ComputeHall.Lanes.cs) advance on the workers between the twin's
/// events, and the campus's too.
/// </summary>
public sealed class ThreadsDeterminismTests
{
    [Theory]
    [InlineData("metro-campus-1184", "fluid", "1 d", true)]
    [InlineData("metro-campus-1184", "request", "2 min", true)]
    [InlineData("metro-inference", "fluid", "6 h", false)]
    [InlineData("metro-inference", "request", "2 h", true)]
    public void OneTwoAndFourThreads_WriteTheSameBytes(string scenario, string fidelity, string horizon, bool sliced)
    {
        // The sets slice only where it pays on this machine (SliceGauge); here every call of the
        // two- and four-thread runs is sliced, so it is the sliced path whose bytes are compared.
        StepWorkers.Shared(2).AlwaysSlice = true;
        StepWorkers.Shared(4).AlwaysSlice = true;
        long slicedBefore = StepWorkers.Shared(4).SlicedRuns;
        List<string> folders;
        try
        {
            folders = [.. new[] { 1, 2, 4 }.Select(t => Run(scenario, fidelity, horizon, t))];
        }
        finally
        {
            StepWorkers.Shared(2).AlwaysSlice = false;
            StepWorkers.Shared(4).AlwaysSlice = false;
        }

        try
        {
            // The four-thread run did cut its racks over the workers (unless another run held them, which no other test does with four).
            if (sliced)
            {
                Assert.True(StepWorkers.Shared(4).SlicedRuns > slicedBefore, "the four-thread run never sliced its per-rack work");
            }

            var first = Outputs(folders[0]);
            Assert.Contains("summary.json", first.Keys);
            Assert.Contains(first.Keys, k => k.EndsWith(".parquet", StringComparison.Ordinal));
            foreach (string other in folders.Skip(1))
            {
                var outputs = Outputs(other);
                Assert.Equal(first.Keys.Order(StringComparer.Ordinal), outputs.Keys.Order(StringComparer.Ordinal));
                Assert.All(first, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(outputs[kv.Key]), $"{kv.Key} differs between 1 thread and {other}"));
            }
        }
        finally
        {
            foreach (string f in folders)
            {
                Directory.Delete(f, recursive: true);
            }
        }
    }

    [Fact]
    public void MetroWithFourDispatchGroupsOnChat_WritesTheSameBytes_OnOneTwoAndFourThreads()
    {
        // Chat's 48 racks in four dispatch groups (Model/Compute/DispatchGroups.cs): five lanes, the
        // chat class's arrivals, metrics and records gathered from four of them at once.
        string dir = Directory.CreateTempSubdirectory("dctwin-groups").FullName;
        string yaml = Path.Combine(dir, "metro-g4.yaml");
        string text = File.ReadAllText(Repository.Path("scenarios/metro-inference.yaml"));
        const string Chat = "      liquid_fraction: 80 %\n      dispatch: least-work\n    - name: code";
        Assert.Contains(Chat, text, StringComparison.Ordinal);
        File.WriteAllText(yaml, text.Replace(Chat, Chat.Replace("least-work\n", "least-work\n      dispatch_groups: 4\n", StringComparison.Ordinal), StringComparison.Ordinal));
        AssertTheSameBytesOnOneTwoAndFourThreads(dir, yaml, "request", "1 h",
            summary => Assert.Contains("\"chat\":{\"accelerators\":1536", summary, StringComparison.Ordinal));
    }

    [Fact]
    public void TheGroupedCampus_InARequestWindowOfAFluidRun_WritesTheSameBytes_OnOneTwoAndFourThreads()
    {
        // A minute at request level at 14:00 of a fluid run: the windows' hall in the campus's ten
        // dispatch groups (ten lanes) beside the fluid hall that keeps both pools whole.
        string dir = Directory.CreateTempSubdirectory("dctwin-groups").FullName;
        string yaml = Path.Combine(dir, "campus-window.yaml");
        File.WriteAllText(yaml, $"extends: {Repository.Path("scenarios/metro-campus-1184-grouped.yaml")}\nrun:\n  windows:\n    - {{ start: 14 h, duration: 1 min, fidelity: request }}\n");
        AssertTheSameBytesOnOneTwoAndFourThreads(dir, yaml, "fluid", "15 h",
            summary => Assert.Contains("\"code\":{\"accelerators\":9472", summary, StringComparison.Ordinal));
    }

    // The scenario in `dir` on 1, 2 and 4 threads, every call sliced: the same Parquet, resolved scenario and summary.
    private static void AssertTheSameBytesOnOneTwoAndFourThreads(string dir, string yaml, string fidelity, string horizon, Action<string> checkSummary)
    {
        List<string> folders = [];
        try
        {
            StepWorkers.Shared(2).AlwaysSlice = true;
            StepWorkers.Shared(4).AlwaysSlice = true;
            folders = [.. new[] { 1, 2, 4 }.Select(t => RunFile(yaml, fidelity, horizon, t))];
            var first = Outputs(folders[0]);
            Assert.Contains(first.Keys, k => k.EndsWith("requests.parquet", StringComparison.Ordinal));
            checkSummary(System.Text.Encoding.UTF8.GetString(first["summary.json"]));
            foreach (string other in folders.Skip(1))
            {
                var outputs = Outputs(other);
                Assert.Equal(first.Keys.Order(StringComparer.Ordinal), outputs.Keys.Order(StringComparer.Ordinal));
                Assert.All(first, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(outputs[kv.Key]), $"{kv.Key} differs between 1 thread and {other}"));
            }
        }
        finally
        {
            StepWorkers.Shared(2).AlwaysSlice = false;
            StepWorkers.Shared(4).AlwaysSlice = false;
            foreach (string f in folders.Append(dir))
            {
                Directory.Delete(f, recursive: true);
            }
        }
    }

    private static string Run(string scenario, string fidelity, string horizon, int threads) =>
        RunFile(Repository.Path($"scenarios/{scenario}.yaml"), fidelity, horizon, threads);

    private static string RunFile(string yaml, string fidelity, string horizon, int threads)
    {
        string folder = Directory.CreateTempSubdirectory($"dctwin-threads{threads}").FullName;
        var error = new StringWriter();
        int code = RunCommand.Run(yaml, folder, horizon, fidelity, noTraces: false, quiet: true,
            TextWriter.Null, error, threads: threads);
        Assert.True(code == Program.ExitOk, error.ToString());
        return folder;
    }

    // Every Parquet file, the resolved scenario, and the summary without its wall time (the one field that may differ).
    private static Dictionary<string, byte[]> Outputs(string folder)
    {
        var files = Directory.GetFiles(folder, "*.parquet", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes, StringComparer.Ordinal);
        files["scenario.resolved.yaml"] = File.ReadAllBytes(Path.Combine(folder, "scenario.resolved.yaml"));
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();
        Assert.True(summary.Remove("wall_s"), "summary.json has no wall_s");
        files["summary.json"] = System.Text.Encoding.UTF8.GetBytes(summary.ToJsonString());
        return files;
    }
}
