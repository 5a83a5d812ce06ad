namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary>
/// dctwin as a user installs it: packed as a .NET tool, installed into a scratch folder, run from
/// another folder that holds nothing of the repository.
/// </summary>
public class ToolInstallTests
{
    [Fact]
    public void PackedTool_InstallsIntoAScratchFolder_AndRunsQuickFromAnother()
    {
        string scratch = Directory.CreateTempSubdirectory("dctwin-tool").FullName;
        string packages = Path.Combine(scratch, "packages"), tools = Path.Combine(scratch, "tools"), work = Path.Combine(scratch, "work");
        Directory.CreateDirectory(work);

        // Pack what the tests were built with (the same configuration, already built), and install
        // it with an empty package cache, so no earlier install of the same version stands in for it.
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch, "nuget"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        var pack = Dctwin.Process("dotnet", Repository.Root, env, "pack", "src/DataCenterTwin.Cli", "-c", configuration, "--no-build", "-o", packages, "-nologo");
        Assert.True(pack.Code == 0, pack.Output + pack.Error);
        var install = Dctwin.Process("dotnet", scratch, env, "tool", "install", "--tool-path", tools, "--add-source", packages, "DataCenterTwin.Cli");
        Assert.True(install.Code == 0, install.Output + install.Error);

        string dctwin = Path.Combine(tools, OperatingSystem.IsWindows() ? "dctwin.exe" : "dctwin");
        var created = Dctwin.Process(dctwin, work, null, "new", "first");
        Assert.True(created.Code == 0, created.Error);
        var run = Dctwin.Process(dctwin, work, null, "run", "first.yaml", "--horizon", "2 h", "--out", "r", "--quiet");
        Assert.True(run.Code == 0, run.Error);
        Assert.True(File.Exists(Path.Combine(work, "r", "summary.json")));

        // Its files came from the tool's own assets, and the resolved scenario says so.
        string resolved = File.ReadAllText(Path.Combine(work, "r", "scenario.resolved.yaml"));
        Assert.Contains("site.weather: assets/weather/", resolved, StringComparison.Ordinal);
        Assert.Contains("the program's assets", resolved, StringComparison.Ordinal);
        Directory.Delete(scratch, recursive: true);
    }
}
