using DataCenterTwin.Cli.Bench.Fuzz;
using DataCenterTwin.IntegrationTests.Cli;

namespace DataCenterTwin.IntegrationTests.Fuzz;

/// <summary>
/// Every input that once crashed a reader, a run or the gRPC service (kept in fuzz-corpus/, one
/// folder per target, as <c>dctwin bench fuzz</c> writes them) is fed to the same checks again and
/// must now give a run or a clear error; and a short seeded round of each target runs here, so the
/// fuzzing itself is exercised. The work is bounded by the inputs (a fixed number, each a small
/// mutation of a reference file, child runs of two simulated hours); no clock decides a verdict but
/// the hang limit, which only a hang reaches.
/// </summary>
public class FuzzCorpusTests
{
    private static readonly string Corpus = Repository.Path("tests/DataCenterTwin.IntegrationTests/fuzz-corpus");

    private static readonly Dictionary<string, FuzzTarget> Targets = new(StringComparer.Ordinal)
    {
        ["scenario"] = FuzzTarget.Scenario,
        ["requests-csv"] = FuzzTarget.RequestsCsv,
        ["requests-parquet"] = FuzzTarget.RequestsParquet,
        ["epw"] = FuzzTarget.Epw,
    };

    public static TheoryData<string> FileCases()
    {
        var data = new TheoryData<string>();
        foreach (string folder in Targets.Keys)
        {
            string dir = Path.Combine(Corpus, folder);
            if (Directory.Exists(dir))
            {
                foreach (string f in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
                {
                    data.Add(folder + "/" + Path.GetFileName(f));
                }
            }
        }

        return data;
    }

    private static FuzzChecks Checks() =>
        new(Repository.Path("assets"), Directory.CreateTempSubdirectory("dctwin-fuzz-test").FullName, [Dctwin.Program], TimeSpan.FromMinutes(10));

    [Theory]
    [MemberData(nameof(FileCases))]
    public void EveryFileThatOnceFailed_NowRunsOrGivesAClearError(string file)
    {
        var target = Targets[file.Split('/')[0]];
        var outcome = Checks().Check(target, File.ReadAllBytes(Path.Combine(Corpus, file)), run: true);
        Assert.True(outcome.Verdict != FuzzVerdict.Crashed, $"{file}: {outcome.Detail}");
    }

    [Fact]
    public async Task EveryGrpcMessageThatOnceFailed_IsAnsweredOrRefusedWithAStatus()
    {
        string[] files = Directory.GetFiles(Path.Combine(Corpus, "grpc")).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        await using var grpc = await GrpcFuzz.StartAsync(await File.ReadAllTextAsync(Repository.Path("scenarios/quick.yaml")));
        foreach (string f in files)
        {
            // Service.Method.<case>.bin
            string[] parts = Path.GetFileName(f).Split('.');
            var outcome = await grpc.CallAsync(parts[0], parts[1], await File.ReadAllBytesAsync(f));
            Assert.True(outcome.Verdict != FuzzVerdict.Crashed, $"{Path.GetFileName(f)}: {outcome.Detail}");
        }

        // A message cut short names its type; the old answer was Unknown, "Exception was thrown by handler".
        var cut = await grpc.CallAsync("RunControl", "Step", [0x0a, 0x20, 0x61]);
        Assert.Equal(FuzzVerdict.Refused, cut.Verdict);
        Assert.Contains("InvalidArgument", cut.Detail, StringComparison.Ordinal);
        Assert.Contains("not a valid StepRequest message", cut.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASeededRoundOfEveryTarget_CrashesNothing()
    {
        var checks = Checks();
        string assets = Repository.Path("assets");
        var verdicts = new List<FuzzOutcome>();
        foreach (var target in Targets.Values)
        {
            var seeds = FuzzBench.Seeds(target, assets);
            var mutator = new Mutator(20261130 + (int)target);
            for (int i = 0; i < 12; i++)
            {
                byte[] source = seeds[i % seeds.Count];
                byte[] input = target == FuzzTarget.RequestsParquet ? mutator.Bytes(source) : System.Text.Encoding.UTF8.GetBytes(mutator.Text(System.Text.Encoding.UTF8.GetString(source)));
                var outcome = checks.Check(target, input, run: false);
                Assert.True(outcome.Verdict != FuzzVerdict.Crashed, $"{target} case {i}: {outcome.Detail}");
                verdicts.Add(outcome);
            }
        }

        await using var grpc = await GrpcFuzz.StartAsync(await File.ReadAllTextAsync(Repository.Path("scenarios/quick.yaml")));
        var grpcMutator = new Mutator(20261130);
        for (int i = 0; i < 3 * grpc.Seeds.Count; i++)
        {
            var (service, method, source) = grpc.Seeds[i % grpc.Seeds.Count];
            var outcome = await grpc.CallAsync(service, method, grpcMutator.Bytes(source));
            Assert.True(outcome.Verdict != FuzzVerdict.Crashed, $"{service}.{method} case {i}: {outcome.Detail}");
            verdicts.Add(outcome);
        }

        // The mutations are near enough to valid that both verdicts occur: the round tests something.
        Assert.Contains(verdicts, v => v.Verdict == FuzzVerdict.Accepted);
        Assert.Contains(verdicts, v => v.Verdict == FuzzVerdict.Refused);
    }
}
