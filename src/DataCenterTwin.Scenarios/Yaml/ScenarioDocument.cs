namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>
/// Loads a scenario file with the files it extends: <c>extends: base.yaml</c> (relative to the
/// file) names a scenario this one changes; mappings merge key by key, and any other value —
/// a number, a list — replaces the base's. Chains are followed, cycles refused.
/// </summary>
public static class ScenarioDocument
{
    private const int MaxChain = 16;

    /// <summary>The merged root mapping, or null with the errors found.</summary>
    public static YamlMap? Load(string path, List<ScenarioError> errors) => Load(path, errors, [], null);

    /// <summary>Parses text as if it were the file <paramref name="file"/> (for tests and embedded defaults).</summary>
    public static YamlMap? LoadText(string text, string file, List<ScenarioError> errors) => Resolve(text, file, errors, [], null);

    private static YamlMap? Load(string path, List<ScenarioError> errors, List<string> chain, SourceSpan? from)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            errors.Add(new ScenarioError(from ?? new SourceSpan(path, 1, 1), from is null ? "" : "extends", $"file not found: {path}"));
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ScenarioError(from ?? new SourceSpan(path, 1, 1), "", $"cannot read {path}: {ex.Message}"));
            return null;
        }

        return Resolve(text, full, errors, chain, from);
    }

    private static YamlMap? Resolve(string text, string file, List<ScenarioError> errors, List<string> chain, SourceSpan? from)
    {
        if (chain.Contains(file, StringComparer.Ordinal) || chain.Count >= MaxChain)
        {
            errors.Add(new ScenarioError(from!.Value, "extends", $"extends itself through {string.Join(" -> ", chain.Select(Path.GetFileName))}"));
            return null;
        }

        var root = YamlLoader.Load(text, DisplayName(file), errors);
        if (root is null)
        {
            return null;
        }

        if (root is not YamlMap map)
        {
            errors.Add(new ScenarioError(root.Source, "", $"expected a mapping of sections (site, hall, cooling, ...), got {root.Describe()}"));
            return null;
        }

        if (map["extends"] is not { } extends)
        {
            return map;
        }

        map.Remove("extends");
        if (extends is not YamlScalar { IsNull: false } baseName)
        {
            errors.Add(new ScenarioError(extends.Source, "extends", $"expected the path of a scenario file, got {extends.Describe()}"));
            return null;
        }

        string basePath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", baseName.Value);
        var baseMap = Load(basePath, errors, [.. chain, file], baseName.Source);
        return baseMap is null ? null : Merge(baseMap, map);
    }

    /// <summary>Overlays <paramref name="variant"/> on <paramref name="baseMap"/>: mappings merge, anything else replaces.</summary>
    public static YamlMap Merge(YamlMap baseMap, YamlMap variant)
    {
        foreach (var (key, value) in variant.Entries)
        {
            if (baseMap[key.Value] is YamlMap baseChild && value is YamlMap variantChild)
            {
                baseMap.Set(key, Merge(baseChild, variantChild));
            }
            else
            {
                baseMap.Set(key, value);
            }
        }

        return baseMap;
    }

    // Errors name files relative to the working folder when they are inside it, as people typed them.
    private static string DisplayName(string file)
    {
        string cwd = Directory.GetCurrentDirectory();
        string relative = Path.GetRelativePath(cwd, file);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative;
    }
}
