namespace DataCenterTwin.Scenarios.Catalog;

/// <summary>Finds the repository's assets folder from a running program or test.</summary>
public static class AssetPaths
{
    /// <summary>
    /// The nearest <c>assets</c> folder holding <c>hardware/catalog.json</c>, searching from
    /// <paramref name="start"/> (default: the program's folder) upwards; null if there is none.
    /// </summary>
    public static string? FindAssetsDirectory(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "assets");
            if (File.Exists(Path.Combine(candidate, "hardware", "catalog.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The path of a file under the assets folder.</summary>
    /// <exception cref="DirectoryNotFoundException">No assets folder was found.</exception>
    public static string Asset(string relative) =>
        Path.Combine(FindAssetsDirectory() ?? throw new DirectoryNotFoundException("No assets/ folder with hardware/catalog.json above " + AppContext.BaseDirectory), relative);
}
