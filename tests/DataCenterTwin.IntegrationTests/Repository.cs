using System.Text.Json.Nodes;
using DataCenterTwin.Cli;
using DataCenterTwin.Cli.Run;

namespace DataCenterTwin.IntegrationTests;

/// <summary>Finds the repository's files from the test's output folder, and runs scenarios from it.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Runs <c>dctwin run</c> in-process into a fresh folder and returns the folder and its summary.</summary>
    public static (string Folder, JsonNode Summary) Run(string scenario, string? horizon = null, string? fidelity = null)
    {
        string folder = Directory.CreateTempSubdirectory("dctwin-run").FullName;
        var error = new StringWriter();
        int code = RunCommand.Run(Path(scenario), folder, horizon, fidelity, noTraces: false, quiet: true, TextWriter.Null, error);
        Assert.True(code == Program.ExitOk, error.ToString());
        var summary = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(folder, "summary.json")))!;
        return (folder, summary);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DataCenterTwin.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("No DataCenterTwin.sln above " + AppContext.BaseDirectory);
    }
}
