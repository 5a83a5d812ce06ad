using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Sweeps.Tests;

internal static class SweepTestFiles
{
    public static string? Assets { get; } = AssetPaths.FindAssetsDirectory();

    public static string Quick { get; } = Path.GetFullPath(Path.Combine(Assets!, "..", "scenarios", "quick.yaml"));

    /// <summary>Writes a sweep file beside nothing else, its base given by absolute path.</summary>
    public static string Write(string text)
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-sweep").FullName;
        string path = Path.Combine(dir, "sweep.yaml");
        File.WriteAllText(path, text.Replace("BASE", Quick, StringComparison.Ordinal));
        return path;
    }
}
