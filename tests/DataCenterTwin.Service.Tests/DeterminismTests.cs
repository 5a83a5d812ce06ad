using System.Text;
using DataCenterTwin.Cli;
using DataCenterTwin.Cli.Run;
using DataCenterTwin.Service.V1;

namespace DataCenterTwin.Service.Tests;

public sealed class DeterminismTests
{
    // The calls the session takes over gRPC, written as the scenario's controls list for dctwin run.
    private const string Controls = """

        controls:
          - { at: 6 h, kind: it-cap, target: hall, value: 100 kW, source: operator }
          - { at: 12 h, kind: chiller-mode, target: hybrid-1, mode: gas, source: operator }
          - { at: 20 h, kind: arrival-scale, target: chat, value: 0.5, source: operator }
        """;

    [Fact]
    public async Task SessionDrivenOverGrpc_WritesTheParquetBytesOfDctwinRunWithThoseControls()
    {
        string root = Directory.CreateTempSubdirectory("dctwin-det").FullName;
        string yaml = File.ReadAllText(Repo.Path("scenarios/quick.yaml"));
        string withControls = Path.Combine(root, "quick.yaml");
        File.WriteAllText(withControls, yaml + Controls);
        string runFolder = Path.Combine(root, "run");
        var error = new StringWriter();
        Assert.True(RunCommand.Run(withControls, runFolder, null, null, noTraces: false, quiet: true, TextWriter.Null, error) == Program.ExitOk, error.ToString());

        string grpcFolder = Path.Combine(root, "grpc");
        await using var server = await TestServerHost.StartAsync();
        var s = await server.Sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioYaml = yaml, OutputFolder = grpcFolder });
        string id = s.SessionId;
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = id, SimTimeS = 6 * 3600 });
        await server.Controls.ApplyControlAsync(new ControlRequest { SessionId = id, Kind = ControlKind.ItCap, Target = "hall", Value = 100e3, AtNow = true });
        await server.Run.StepAsync(new StepRequest { SessionId = id, DurationS = 3 * 3600 });
        await server.Controls.ApplyControlAsync(new ControlRequest { SessionId = id, Kind = ControlKind.ChillerMode, Target = "hybrid-1", Mode = ChillerMode.Gas, AtS = 12 * 3600 });
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = id, SimTimeS = 18 * 3600 });
        await server.Controls.ApplyControlAsync(new ControlRequest { SessionId = id, Kind = ControlKind.ArrivalScale, Target = "chat", Value = 0.5, AtS = 20 * 3600 });
        var done = await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = id, SimTimeS = 86_400 });
        Assert.Equal(SessionState.Finished, done.State);

        // The files' metadata carries the scenario's hash, and the scenario with a controls list is another
        // text than the one without: that key is the only difference allowed, byte for byte.
        string runHash = Hash(runFolder), grpcHash = Hash(grpcFolder);
        Assert.NotEqual(runHash, grpcHash);
        var runFiles = Files(runFolder);
        var grpcFiles = Files(grpcFolder);
        Assert.Equal(runFiles, grpcFiles);
        Assert.Contains(runFiles, f => f.StartsWith("facility", StringComparison.Ordinal));
        Assert.Contains(runFiles, f => f.StartsWith("events", StringComparison.Ordinal));
        foreach (string f in runFiles)
        {
            byte[] a = File.ReadAllBytes(Path.Combine(runFolder, f));
            byte[] b = Replace(File.ReadAllBytes(Path.Combine(grpcFolder, f)), grpcHash, runHash);
            Assert.True(a.AsSpan().SequenceEqual(b), $"{f} differs ({a.Length} vs {b.Length} bytes)");
        }

        // And the controls took effect: a run without them differs.
        await using var plainServer = await TestServerHost.StartAsync();
        string plainFolder = Path.Combine(root, "plain");
        var p = await plainServer.Sessions.CreateSessionAsync(new CreateSessionRequest { ScenarioYaml = yaml, OutputFolder = plainFolder });
        await plainServer.Run.RunUntilAsync(new RunUntilRequest { SessionId = p.SessionId, SimTimeS = 86_400 });
        string facility = runFiles.First(f => f.StartsWith("facility", StringComparison.Ordinal));
        Assert.False(File.ReadAllBytes(Path.Combine(plainFolder, facility)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(grpcFolder, facility))));
    }

    private static List<string> Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];

    private static string Hash(string folder)
    {
        string resolved = File.ReadAllText(Path.Combine(folder, "summary.json"));
        int at = resolved.IndexOf("\"scenario_hash\": \"", StringComparison.Ordinal);
        Assert.True(at >= 0, "summary.json has no scenario_hash");
        return resolved.Substring(at + 18, 64);
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        byte[] f = Encoding.ASCII.GetBytes(from), t = Encoding.ASCII.GetBytes(to);
        var span = bytes.AsSpan();
        for (int i = span.IndexOf(f); i >= 0; i = span.IndexOf(f))
        {
            t.CopyTo(span[i..]);
        }

        return bytes;
    }
}
