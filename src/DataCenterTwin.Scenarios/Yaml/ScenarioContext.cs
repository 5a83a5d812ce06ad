namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>What every reader of one scenario shares: the errors found and where relative files are.</summary>
public sealed class ScenarioContext
{
    /// <summary>Creates a context for a scenario file (or embedded text) in <paramref name="baseDirectory"/>.</summary>
    public ScenarioContext(string baseDirectory, string? assetsDirectory = null)
    {
        BaseDirectory = baseDirectory;
        AssetsDirectory = assetsDirectory;
    }

    /// <summary>The folder relative paths in the file start from.</summary>
    public string BaseDirectory { get; }

    /// <summary>The project's assets folder: <c>assets/…</c> paths fall back to it.</summary>
    public string? AssetsDirectory { get; }

    /// <summary>Every error found so far.</summary>
    public List<ScenarioError> Errors { get; } = [];

    /// <summary>Every value read, with defaults filled in, by path, in reading order (for the resolved scenario).</summary>
    public List<(string Path, string Value)> Resolved { get; } = [];

    /// <summary>
    /// Resolves a path from the file: absolute as is; relative to the file's folder; a path starting
    /// with <c>assets/</c> that is not there is looked up in the project's assets folder.
    /// </summary>
    public string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        string local = Path.GetFullPath(Path.Combine(BaseDirectory, path));
        if (File.Exists(local) || AssetsDirectory is null || !path.StartsWith("assets/", StringComparison.Ordinal))
        {
            return local;
        }

        return Path.GetFullPath(Path.Combine(AssetsDirectory, path["assets/".Length..]));
    }
}
