using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using DataCenterTwin.Scenarios.Catalog;
using Parquet;
using Parquet.Schema;

namespace DataCenterTwin.Cli.Bench.Fuzz;

/// <summary>
/// <c>dctwin bench fuzz</c>: a longer seeded fuzz run than the test suite's, over scenario files,
/// request traces (CSV and Parquet), EPW weather files and the gRPC service's request messages.
/// Prints, per target, the inputs tried and how they ended; every crash is written to the corpus
/// folder (the test suite reruns that folder) and makes the exit code 1.
/// </summary>
internal static class FuzzBench
{
    public static Command CreateCommand()
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the mutations (default 20261130).", DefaultValueFactory = _ => 20261130 };
        var cases = new Option<int>("--cases") { Description = "Inputs per target (default 400).", DefaultValueFactory = _ => 400 };
        var runEvery = new Option<int>("--run-every") { Description = "Run one in N inputs that read cleanly for a short horizon in a child dctwin (default 8; 0: never).", DefaultValueFactory = _ => 8 };
        var corpus = new Option<string?>("--corpus") { Description = "Folder to write crashing inputs to (default: a temporary folder)." };
        var command = new Command("fuzz", "Seeded fuzzing of scenario files, request traces, EPW files and gRPC messages.") { seed, cases, runEvery, corpus };
        command.SetAction(parse => Run(parse.GetValue(seed), parse.GetValue(cases), parse.GetValue(runEvery), parse.GetValue(corpus), Console.Out).GetAwaiter().GetResult());
        return command;
    }

    /// <summary>The valid inputs each target's mutations start from.</summary>
    public static IReadOnlyList<byte[]> Seeds(FuzzTarget target, string assets)
    {
        string root = Path.GetDirectoryName(assets)!;
        return target switch
        {
            FuzzTarget.Scenario => [.. Directory.GetFiles(Path.Combine(root, "scenarios"), "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)],
            FuzzTarget.RequestsCsv => [.. TraceFiles(assets).Select(f => System.Text.Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(f).Take(300)) + "\n"))],
            FuzzTarget.RequestsParquet => [.. TraceFiles(assets).SelectMany(f => new[] { TraceParquet(f, asText: true), TraceParquet(f, asText: false) })],
            FuzzTarget.Epw => [File.ReadAllBytes(Path.Combine(assets, "weather", "USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw"))],
            _ => throw new ArgumentOutOfRangeException(nameof(target)),
        };
    }

    private static string[] TraceFiles(string assets) => [.. Directory.GetFiles(Path.Combine(assets, "traces"), "*.csv").Order(StringComparer.Ordinal)];

    // The first 300 rows of an Azure trace as Parquet: token counts as 64-bit integers, the time as
    // the CSV's text or as 32-bit integers of text digits (both layouts the reader takes).
    private static byte[] TraceParquet(string csv, bool asText)
    {
        var rows = File.ReadLines(csv).Skip(1).Take(300).Select(l => l.Split(',')).ToArray();
        var time = new DataField<string>("TIMESTAMP");
        var context = new DataField<long>("ContextTokens");
        DataField generated = asText ? new DataField<string>("GeneratedTokens") : new DataField<long>("GeneratedTokens");
        using var stream = new MemoryStream();
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(time, context, generated), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            group.WriteAsync(time, new ArraySegment<string>([.. rows.Select(r => r[0])]), null).GetAwaiter().GetResult();
            group.WriteAsync<long>(context, rows.Select(r => long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray().AsMemory(), null, null).GetAwaiter().GetResult();
            (asText
                ? group.WriteAsync(generated, new ArraySegment<string>([.. rows.Select(r => r[2])]), null)
                : group.WriteAsync<long>(generated, rows.Select(r => long.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray().AsMemory(), null, null)).GetAwaiter().GetResult();
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return stream.ToArray();
    }

    /// <summary>File extension of a target's corpus files.</summary>
    public static string Extension(FuzzTarget target) => target switch
    {
        FuzzTarget.Scenario => ".yaml",
        FuzzTarget.RequestsCsv => ".csv",
        FuzzTarget.RequestsParquet => ".parquet",
        FuzzTarget.Epw => ".epw",
        _ => ".bin",
    };

    /// <summary>Corpus folder name of a target.</summary>
    public static string Folder(FuzzTarget target) => target switch
    {
        FuzzTarget.Scenario => "scenario",
        FuzzTarget.RequestsCsv => "requests-csv",
        FuzzTarget.RequestsParquet => "requests-parquet",
        FuzzTarget.Epw => "epw",
        _ => "grpc",
    };

    private static async Task<int> Run(int seed, int cases, int runEvery, string? corpus, TextWriter output)
    {
        string assets = AssetPaths.FindAssetsDirectory() ?? throw new DirectoryNotFoundException("the program's assets folder (assets/ beside dctwin) was not found");
        string scratch = Directory.CreateTempSubdirectory("dctwin-fuzz").FullName;
        corpus ??= Path.Combine(scratch, "corpus");
        var checks = new FuzzChecks(assets, scratch, FuzzChecks.ThisProgram(), TimeSpan.FromSeconds(300));
        var clock = Stopwatch.StartNew();
        int crashes = 0;
        output.WriteLine($"dctwin bench fuzz: seed {seed}, {cases} inputs per target, a child run for one in {runEvery} inputs read cleanly ({FuzzChecks.RunHorizon} simulated)");

        void Record(FuzzTarget target, string name, byte[] input, FuzzOutcome outcome)
        {
            if (outcome.Verdict != FuzzVerdict.Crashed)
            {
                return;
            }

            crashes++;
            string folder = Path.Combine(corpus, Folder(target));
            Directory.CreateDirectory(folder);
            string file = Path.Combine(folder, name + "-" + Convert.ToHexStringLower(SHA256.HashData(input))[..12] + Extension(target));
            File.WriteAllBytes(file, input);
            output.WriteLine($"  CRASH {target} → {file}: {outcome.Detail}");
        }

        foreach (var target in new[] { FuzzTarget.Scenario, FuzzTarget.RequestsCsv, FuzzTarget.RequestsParquet, FuzzTarget.Epw })
        {
            var seeds = Seeds(target, assets);
            var mutator = new Mutator(HashCode.Combine(seed, (int)target));
            var counts = new int[3];
            int readCleanly = 0;
            int runsBefore = checks.Runs;
            var started = clock.Elapsed;
            for (int i = 0; i < cases; i++)
            {
                byte[] source = seeds[i % seeds.Count];
                byte[] input = target == FuzzTarget.RequestsParquet || mutator.Random.Next(8) == 0
                    ? mutator.Bytes(source)
                    : System.Text.Encoding.UTF8.GetBytes(mutator.Text(System.Text.Encoding.UTF8.GetString(source)));
                // Every N-th input that reads cleanly is checked again with a child run.
                var outcome = checks.Check(target, input, run: false);
                if (outcome.Verdict == FuzzVerdict.Accepted && runEvery > 0 && ++readCleanly % runEvery == 1 % runEvery)
                {
                    outcome = checks.Check(target, input, run: true);
                }

                counts[(int)outcome.Verdict]++;
                Record(target, $"seed{seed}-case{i}", input, outcome);
            }

            output.WriteLine($"{Folder(target),-17} {cases,6} inputs: {counts[0],5} read, {counts[1],5} refused with a named place, {counts[2]} crashes; " +
                $"{checks.Runs - runsBefore} child runs; {(clock.Elapsed - started).TotalSeconds:F1} s");
        }

        await using (var grpc = await GrpcFuzz.StartAsync(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(assets)!, "scenarios", "quick.yaml"))))
        {
            var mutator = new Mutator(HashCode.Combine(seed, (int)FuzzTarget.Grpc));
            var counts = new int[3];
            var started = clock.Elapsed;
            for (int i = 0; i < cases; i++)
            {
                if (i % 25 == 0 && !await grpc.SessionAliveAsync())
                {
                    await grpc.RenewSessionAsync();
                }

                var (service, method, source) = grpc.Seeds[i % grpc.Seeds.Count];
                byte[] input = mutator.Random.Next(10) == 0 ? source : mutator.Bytes(source);
                var outcome = await grpc.CallAsync(service, method, input);
                counts[(int)outcome.Verdict]++;
                Record(FuzzTarget.Grpc, $"{service}.{method}.seed{seed}-case{i}", input, outcome);
            }

            output.WriteLine($"{"grpc",-17} {cases,6} inputs: {counts[0],5} answered, {counts[1],5} refused with a status and message, {counts[2]} crashes; " +
                $"{grpc.Seeds.Count} request kinds over {grpc.Seeds.Select(s => s.Method).Distinct().Count()} methods; {(clock.Elapsed - started).TotalSeconds:F1} s");
        }

        output.WriteLine($"total: {5 * cases} inputs, {crashes} crashes, {checks.Runs} child runs, {clock.Elapsed.TotalSeconds:F1} s; corpus {(crashes > 0 ? corpus : "(nothing new)")}");
        if (crashes == 0 || !corpus.StartsWith(scratch, StringComparison.Ordinal))
        {
            Directory.Delete(scratch, recursive: true);
        }

        return crashes == 0 ? Program.ExitOk : Program.ExitFailure;
    }
}
