namespace DataCenterTwin.Runs.Tests;

/// <summary>The repository's scenarios, and sessions on them with overrides.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static TwinSession Quick(string horizon = "6 h", string fidelity = "fluid") =>
        TwinSession.FromFile(Path("scenarios/quick.yaml"), new Dictionary<string, string> { ["run.horizon"] = horizon, ["run.fidelity"] = fidelity });

    /// <summary>quick.yaml's text with <paramref name="extra"/> appended (top-level sections such as controls or events).</summary>
    public static string QuickText(string extra) => File.ReadAllText(Path("scenarios/quick.yaml")) + "\n" + extra;

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
