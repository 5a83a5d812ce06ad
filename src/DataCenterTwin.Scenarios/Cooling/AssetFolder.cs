namespace DataCenterTwin.Scenarios.Cooling;

/// <summary>Finds the repository's <c>assets/</c> folder from the running program's location.</summary>
public static class AssetFolder
{
    /// <summary>The path of <paramref name="relative"/> under the nearest <c>assets/</c> folder above the program.</summary>
    /// <exception cref="FileNotFoundException">No such asset above the program's folder.</exception>
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "assets", relative);
            if (File.Exists(candidate) || Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"No assets/{relative} above {AppContext.BaseDirectory}", relative);
    }
}
