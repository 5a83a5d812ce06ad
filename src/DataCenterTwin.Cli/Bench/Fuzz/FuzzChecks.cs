using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Traces.Requests;
using DataCenterTwin.Traces.Weather;

namespace DataCenterTwin.Cli.Bench.Fuzz;

/// <summary>
/// Feeds one input to the reader it is for and judges the result: read, or refused with an error
/// that names the place (the file and line, or the scenario key), and never an unhandled exception.
/// Inputs that are read are, when asked, also run for a short horizon in a child <c>dctwin run</c>
/// (so a hang can be stopped and counted), and the run folder is checked: a run, or a clear error,
/// and no half-written file under a final name. The work is bounded by the input and the horizon;
/// the wall-clock limit on a child run only turns a hang into a verdict.
/// </summary>
internal sealed class FuzzChecks
{
    /// <summary>Simulated horizon of a fuzzed run.</summary>
    public const string RunHorizon = "2 h";

    private readonly string _assets;
    private readonly string _scratch;
    private readonly string _quickYaml;
    private readonly string[] _dctwin;
    private readonly TimeSpan _runLimit;
    private int _runs;

    /// <param name="assets">The program's assets folder.</param>
    /// <param name="scratch">A folder this checker may fill.</param>
    /// <param name="dctwin">The command that starts dctwin (the program, or dotnet and the assembly).</param>
    /// <param name="runLimit">Wall time after which a child run counts as hung.</param>
    public FuzzChecks(string assets, string scratch, string[] dctwin, TimeSpan runLimit)
    {
        _assets = assets;
        _scratch = scratch;
        _dctwin = dctwin;
        _runLimit = runLimit;
        _quickYaml = File.ReadAllText(Path.Combine(Path.GetDirectoryName(assets)!, "scenarios", "quick.yaml"));
        Directory.CreateDirectory(scratch);
    }

    /// <summary>Child runs made so far.</summary>
    public int Runs => _runs;

    /// <summary>The command that starts the dctwin this process is.</summary>
    public static string[] ThisProgram()
    {
        string process = Environment.ProcessPath!;
        string name = Path.GetFileNameWithoutExtension(process);
        return name is "dotnet"
            ? [process, typeof(FuzzChecks).Assembly.Location]
            : [process];
    }

    /// <summary>Checks one input; <paramref name="run"/> also runs it when it is read.</summary>
    public FuzzOutcome Check(FuzzTarget target, byte[] input, bool run) => target switch
    {
        FuzzTarget.Scenario => Scenario(input, run),
        FuzzTarget.RequestsCsv => RequestsCsv(input, run),
        FuzzTarget.RequestsParquet => RequestsParquet(input, run),
        FuzzTarget.Epw => Epw(input, run),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "gRPC inputs go to GrpcFuzz"),
    };

    private FuzzOutcome Scenario(byte[] input, bool run)
    {
        string file = Path.Combine(_scratch, "fuzzed.yaml");
        string text = Encoding.UTF8.GetString(input);
        (ScenarioSpec? Spec, IReadOnlyList<Scenarios.Yaml.ScenarioError> Errors) loaded;
        try
        {
            loaded = ScenarioLoader.LoadText(text, file, _assets);
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Crashed($"the loader threw {ex.GetType().Name}: {ex.Message}");
        }

        if (loaded.Spec is null)
        {
            if (loaded.Errors.Count == 0)
            {
                return FuzzOutcome.Crashed("no scenario and no error");
            }

            var vague = loaded.Errors.FirstOrDefault(e => string.IsNullOrWhiteSpace(e.Message) || (e.Source.Line <= 0 && e.Path.Length == 0));
            return vague is null ? FuzzOutcome.Refused(loaded.Errors[0].ToString()) : FuzzOutcome.Crashed($"an error that names no place: {vague}");
        }

        if (!run)
        {
            return FuzzOutcome.Accepted("valid");
        }

        File.WriteAllText(file, text);
        return Run(file);
    }

    private FuzzOutcome RequestsCsv(byte[] input, bool run)
    {
        const string name = "fuzzed.csv";
        try
        {
            using var reader = new StringReader(Encoding.UTF8.GetString(input));
            AzureLlmTraceReader.Read(reader, name);
        }
        catch (InvalidDataException ex)
        {
            return Named(ex.Message, name);
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Crashed($"the CSV reader threw {ex.GetType().Name}: {ex.Message}");
        }

        return run ? RunWithTrace(input, name) : FuzzOutcome.Accepted();
    }

    private FuzzOutcome RequestsParquet(byte[] input, bool run)
    {
        const string name = "fuzzed.parquet";
        string path = Path.Combine(_scratch, name);
        File.WriteAllBytes(path, input);
        try
        {
            AzureLlmParquetTraceReader.Read(path);
        }
        catch (InvalidDataException ex)
        {
            return Named(ex.Message, name);
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Crashed($"the Parquet reader threw {ex.GetType().Name}: {ex.Message}");
        }

        return run ? RunWithTrace(input, name) : FuzzOutcome.Accepted();
    }

    private FuzzOutcome Epw(byte[] input, bool run)
    {
        const string name = "fuzzed.epw";
        try
        {
            using var reader = new StringReader(Encoding.UTF8.GetString(input));
            EpwReader.Read(reader, name);
        }
        catch (InvalidDataException ex)
        {
            return Named(ex.Message, name);
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Crashed($"the EPW reader threw {ex.GetType().Name}: {ex.Message}");
        }

        if (!run)
        {
            return FuzzOutcome.Accepted();
        }

        string folder = Fresh("epw-run");
        File.WriteAllBytes(Path.Combine(folder, name), input);
        string scenario = Path.Combine(folder, "scenario.yaml");
        File.WriteAllText(scenario, Replace(_quickYaml, "weather: assets/weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw", "weather: " + name));
        return Run(scenario);
    }

    // quick, with its arrivals and token counts replayed from the fuzzed trace, at request level.
    private FuzzOutcome RunWithTrace(byte[] input, string name)
    {
        string folder = Fresh("trace-run");
        File.WriteAllBytes(Path.Combine(folder, name), input);
        string yaml = Replace(_quickYaml, "prompt_tokens: { mean: 1024, cv: 0.8, max: 8192 }", $"tokens: {{ trace: {name} }}");
        yaml = Replace(yaml, "      output_tokens: { mean: 256, cv: 0.8, max: 2048 }\n", "");
        yaml = Replace(yaml, "process: diurnal", $"process: trace\n        trace: {name}");
        yaml = Replace(yaml, "fidelity: fluid", "fidelity: request");
        string scenario = Path.Combine(folder, "scenario.yaml");
        File.WriteAllText(scenario, yaml);
        return Run(scenario);
    }

    private static string Replace(string text, string what, string with) =>
        text.Contains(what, StringComparison.Ordinal) ? text.Replace(what, with, StringComparison.Ordinal) : throw new InvalidOperationException($"quick.yaml no longer holds '{what}'");

    private string Fresh(string name)
    {
        string folder = Path.Combine(_scratch, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    // A reader's refusal must say which file (and where in it) it refused.
    private static FuzzOutcome Named(string message, string file) =>
        message.Contains(file, StringComparison.Ordinal) ? FuzzOutcome.Refused(message) : FuzzOutcome.Crashed($"an error that does not name {file}: {message}");

    /// <summary>Runs a scenario for <see cref="RunHorizon"/> in a child dctwin and judges what it leaves.</summary>
    private FuzzOutcome Run(string scenario)
    {
        _runs++;
        string output = Fresh("out");
        var start = new ProcessStartInfo(_dctwin[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _scratch,
        };
        foreach (string a in _dctwin.Skip(1).Concat(["run", scenario, "--out", output, "--horizon", RunHorizon, "--quiet"]))
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(_runLimit))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return FuzzOutcome.Crashed($"hang: {RunHorizon} of the scenario did not finish within {_runLimit.TotalSeconds:F0} s");
        }

        string error = stderr.Result.Trim();
        _ = stdout.Result;
        string? broken = BrokenFile(output);
        if (broken is not null)
        {
            return FuzzOutcome.Crashed($"exit {p.ExitCode}, and {broken}");
        }

        switch (p.ExitCode)
        {
            case Program.ExitOk:
                return File.Exists(Path.Combine(output, "summary.json")) ? FuzzOutcome.Accepted("ran") : FuzzOutcome.Crashed("exit 0 without summary.json");
            case Program.ExitFailure or Program.ExitInvalidInput:
                string first = error.Split('\n')[0];
                if (error.Contains("internal error (", StringComparison.Ordinal) || error.Contains("   at ", StringComparison.Ordinal) || (!first.StartsWith("error:", StringComparison.Ordinal) && !first.Contains(':', StringComparison.Ordinal)))
                {
                    return FuzzOutcome.Crashed($"exit {p.ExitCode}: {Shorten(error)}");
                }

                return FuzzOutcome.Refused($"exit {p.ExitCode}: {Shorten(first)}");
            default:
                return FuzzOutcome.Crashed($"exit {p.ExitCode}: {Shorten(error)}");
        }
    }

    // Every file under a final name must be whole: Parquet with its magic at both ends, JSON that parses.
    private static string? BrokenFile(string folder)
    {
        foreach (string f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (f.EndsWith(".parquet", StringComparison.Ordinal))
            {
                byte[] bytes = File.ReadAllBytes(f);
                if (bytes.Length < 8 || !bytes.AsSpan(0, 4).SequenceEqual("PAR1"u8) || !bytes.AsSpan(bytes.Length - 4).SequenceEqual("PAR1"u8))
                {
                    return $"a half-written Parquet file under its final name: {Path.GetRelativePath(folder, f)}";
                }
            }
            else if (f.EndsWith(".json", StringComparison.Ordinal))
            {
                try
                {
                    using var _ = JsonDocument.Parse(File.ReadAllText(f));
                }
                catch (JsonException)
                {
                    return $"a half-written JSON file under its final name: {Path.GetRelativePath(folder, f)}";
                }
            }
        }

        return null;
    }

    private static string Shorten(string s) => s.Length <= 240 ? s.ReplaceLineEndings(" | ") : s[..240].ReplaceLineEndings(" | ") + "…";
}
