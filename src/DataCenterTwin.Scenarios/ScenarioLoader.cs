using System.Security.Cryptography;
using System.Text;
using DataCenterTwin.Scenarios.Sections;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios;

/// <summary>
/// Loads and validates a scenario file: every error found (file, line, column, path, what was
/// expected) is reported together, and no spec is returned unless there are none.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>Loads a scenario file; <paramref name="assetsDirectory"/> is where <c>assets/…</c> paths fall back to.</summary>
    public static (ScenarioSpec? Spec, IReadOnlyList<ScenarioError> Errors) Load(string path, string? assetsDirectory)
    {
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.Load(path, errors);
        string full = Path.GetFullPath(path);
        return Build(root, errors, full, Path.GetDirectoryName(full) ?? ".", assetsDirectory);
    }

    /// <summary>Loads scenario text as if it were the file <paramref name="file"/>.</summary>
    public static (ScenarioSpec? Spec, IReadOnlyList<ScenarioError> Errors) LoadText(string text, string file, string? assetsDirectory)
    {
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.LoadText(text, file, errors);
        return Build(root, errors, file, Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", assetsDirectory);
    }

    private static (ScenarioSpec?, IReadOnlyList<ScenarioError>) Build(YamlMap? root, List<ScenarioError> errors, string file, string baseDirectory, string? assetsDirectory)
    {
        if (root is null)
        {
            return (null, errors);
        }

        var context = new ScenarioContext(baseDirectory, assetsDirectory);
        context.Errors.AddRange(errors);
        var r = new MapReader(root, "", context);
        string name = r.Text("name", Path.GetFileNameWithoutExtension(file));
        string description = r.Text("description", "");

        var run = RunSection.Read(r.Child("run"));
        var site = r.Child("site", required: true) is { } siteMap ? SiteSection.Read(siteMap, 1e6) : null;
        var control = ControlSection.Read(r.Child("control"));
        r.Accept("hall", "cooling", "workload");
        var events = site is null ? [] : EventsSection.Read(r, site.Start, new HashSet<string>(StringComparer.Ordinal));
        r.Done();

        if (context.Errors.Count > 0 || site is null)
        {
            return (null, context.Errors);
        }

        string resolved = ResolvedScenarioWriter.Write(context.Resolved, $"{name}: resolved scenario (every default filled in, SI values in readable units)");
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolved)));
        return (new ScenarioSpec(name, description, file, resolved, hash, site, run, control, events), context.Errors);
    }
}
