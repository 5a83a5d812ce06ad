using System.Diagnostics;

namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary>Runs the real <c>dctwin</c> program (the one built beside the tests) as a process: real exit codes, real output.</summary>
internal static class Dctwin
{
    public static string Program { get; } = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "dctwin.exe" : "dctwin");

    public static (int Code, string Output, string Error) Run(string workingDirectory, params string[] args) =>
        Process(Program, workingDirectory, null, args);

    /// <summary>Runs any program; <paramref name="environment"/> adds variables.</summary>
    public static (int Code, string Output, string Error) Process(string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        using var p = System.Diagnostics.Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
