using System.Diagnostics;
using System.Globalization;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// The minimal hand-written event loop of ../shared/bench/lean, built into a scratch folder and run
/// as a child process so that the kernel is measured against it in the same run, on the same machine.
/// </summary>
internal sealed class LeanBaseline
{
    private readonly string _executable;

    private LeanBaseline(string executable) => _executable = executable;

    /// <summary>Finds the lean sources (next to the repository by default) and builds them once.</summary>
    public static LeanBaseline? TryBuild(string? sourceDir, TextWriter log)
    {
        sourceDir ??= FindDefaultSource();
        if (sourceDir is null || !File.Exists(Path.Combine(sourceDir, "Program.cs")))
        {
            log.WriteLine("lean baseline: not found (pass --baseline DIR); measuring the kernel alone");
            return null;
        }

        string work = Path.Combine(Path.GetTempPath(), "dctwin-lean-baseline");
        Directory.CreateDirectory(work);
        foreach (string file in new[] { "Program.cs", "LeanKernel.csproj" })
        {
            File.Copy(Path.Combine(sourceDir, file), Path.Combine(work, file), overwrite: true);
        }

        string output = Path.Combine(work, "out");
        var (code, text) = RunProcess("dotnet", ["build", Path.Combine(work, "LeanKernel.csproj"), "-c", "Release", "-o", output, "-nologo", "-v", "q"]);
        string exe = Path.Combine(output, "LeanKernel");
        if (code != 0 || !File.Exists(exe))
        {
            log.WriteLine($"lean baseline: build failed ({code}); measuring the kernel alone\n{text}");
            return null;
        }

        return new LeanBaseline(exe);
    }

    /// <summary>Runs the lean loop once and returns its RESULT line as key/value pairs.</summary>
    public Dictionary<string, string> Run(params string[] args)
    {
        var (code, text) = RunProcess(_executable, args);
        string? line = text.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (code != 0 || line is null)
        {
            throw new InvalidOperationException($"lean baseline failed ({code}): {text}");
        }

        return line["RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "", StringComparer.Ordinal);
    }

    public static double Number(Dictionary<string, string> result, string key) =>
        double.Parse(result[key].TrimEnd('%'), CultureInfo.InvariantCulture);

    private static string? FindDefaultSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared", "bench", "lean");
            if (File.Exists(Path.Combine(dir.FullName, "DataCenterTwin.sln")) && Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    private static (int Code, string Output) RunProcess(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
