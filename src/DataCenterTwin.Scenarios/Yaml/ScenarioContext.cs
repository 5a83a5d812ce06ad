using System.Security.Cryptography;

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

    /// <summary>Every file the scenario reads, in reading order, with where it was found and its contents' digest.</summary>
    public List<ScenarioFile> Files { get; } = [];

    /// <summary>
    /// Resolves a path from the file: absolute as is; relative to the file's folder; a path starting
    /// with <c>assets/</c> that is not there is looked up in the project's assets folder.
    /// </summary>
    public string Resolve(string path) => Locate(path).FullPath;

    /// <summary>Resolves a path as <see cref="Resolve"/> does and says which rule found it.</summary>
    public (string FullPath, FileOrigin Origin) Locate(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return (path, FileOrigin.Absolute);
        }

        string local = Path.GetFullPath(Path.Combine(BaseDirectory, path));
        if (File.Exists(local) || Directory.Exists(local) || AssetsDirectory is null || !path.StartsWith("assets/", StringComparison.Ordinal))
        {
            return (local, FileOrigin.ScenarioFolder);
        }

        return (Path.GetFullPath(Path.Combine(AssetsDirectory, path["assets/".Length..])), FileOrigin.ProgramAssets);
    }

    /// <summary>
    /// Notes a file the run reads (<paramref name="key"/> is its place in the scenario, or what reads
    /// it), and returns the text the resolved scenario holds for it: the path as written when it came
    /// from the program's assets (any installation finds it there again), else the full path, so the
    /// resolved file finds the same file from wherever it is run.
    /// </summary>
    public string NoteFile(string key, string written, string fullPath, FileOrigin origin)
    {
        string digest;
        try
        {
            digest = FileMemo.Get("sha256", fullPath, p => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            digest = "unreadable";
        }

        string recorded = origin == FileOrigin.ProgramAssets ? written : fullPath;
        Files.Add(new ScenarioFile(key, recorded, origin, digest));
        return recorded;
    }
}

/// <summary>Which rule found a file a scenario names.</summary>
public enum FileOrigin
{
    /// <summary>The scenario gave an absolute path.</summary>
    Absolute,

    /// <summary>Relative to the scenario file's folder.</summary>
    ScenarioFolder,

    /// <summary>An <c>assets/…</c> path not beside the scenario, found in the program's own assets.</summary>
    ProgramAssets,
}

/// <summary>A file a scenario reads: its place, the path the resolved scenario holds, where it was found, SHA-256 of its contents.</summary>
public sealed record ScenarioFile(string Key, string RecordedPath, FileOrigin Origin, string Sha256)
{
    /// <summary>The words for <see cref="Origin"/> in the resolved scenario.</summary>
    public string OriginText => Origin switch
    {
        FileOrigin.ProgramAssets => "the program's assets",
        FileOrigin.ScenarioFolder => "relative to the scenario file",
        _ => "absolute path",
    };
}
