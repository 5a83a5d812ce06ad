namespace DataCenterTwin.Render;

/// <summary>Where the renderer's shaders and fonts are: assets/ beside the program (copied at build) or above it in a checkout.</summary>
public static class RenderAssets
{
    /// <summary>The folder holding <c>shaders/</c> and <c>fonts/</c>.</summary>
    /// <exception cref="RenderException">None found.</exception>
    public static string Directory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "assets");
            if (File.Exists(Path.Combine(candidate, "shaders", "box.vert")))
            {
                return candidate;
            }
        }

        throw new RenderException("no assets/shaders/box.vert beside or above " + AppContext.BaseDirectory);
    }
}
