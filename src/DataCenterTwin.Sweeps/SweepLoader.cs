using System.Globalization;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Sweeps;

/// <summary>
/// Reads a sweep file and checks it the way scenarios are checked: every problem at once, each with
/// its file, line, column and path; every grid value and range end is tried on the base scenario, so
/// an unknown path or a value in the wrong unit is found before anything runs.
/// </summary>
public static class SweepLoader
{
    private static readonly string[] Keys = ["name", "base", "fixed", "grid", "hypercube", "seeds"];

    /// <summary>Loads <paramref name="path"/>; the spec is null unless there are no errors.</summary>
    public static (SweepSpec? Spec, IReadOnlyList<ScenarioError> Errors) Load(string path, string? assetsDirectory)
    {
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.Load(path, errors);
        if (root is null)
        {
            return (null, errors);
        }

        void Error(YamlNode at, string where, string message) => errors.Add(new ScenarioError(at.Source, where, message));
        foreach (var (key, _) in root.Entries)
        {
            if (!Keys.Contains(key.Value))
            {
                Error(key, key.Value, $"unknown key \"{key.Value}\" (known: {string.Join(", ", Keys)})");
            }
        }

        string name = root["name"] is YamlScalar n && !n.IsNull ? n.Value : Path.GetFileNameWithoutExtension(path);
        string basePath = "";
        if (root["base"] is YamlScalar b && !b.IsNull)
        {
            basePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", b.Value));
            if (!File.Exists(basePath))
            {
                Error(b, "base", $"the base scenario {basePath} does not exist");
                basePath = "";
            }
        }
        else
        {
            Error(root, "base", "expected the base scenario file (\"base: quick.yaml\", relative to the sweep file)");
        }

        var fixedOverrides = new Dictionary<string, string>(StringComparer.Ordinal);
        var tries = new List<(YamlNode At, string Where, string Path, string Value)>();
        if (root["fixed"] is YamlMap f)
        {
            foreach (var (k, v) in f.Entries)
            {
                if (v is YamlScalar s && !s.IsNull)
                {
                    fixedOverrides[k.Value] = s.Value;
                }
                else
                {
                    Error(v, $"fixed.{k.Value}", $"expected a value, got {v.Describe()}");
                }
            }
        }
        else if (root["fixed"] is { } other)
        {
            Error(other, "fixed", $"expected a mapping of scenario paths to values, got {other.Describe()}");
        }

        var grid = new List<GridAxis>();
        if (root["grid"] is YamlMap g)
        {
            foreach (var (k, v) in g.Entries)
            {
                string where = $"grid.{k.Value}";
                if (v is not YamlList list || list.Items.Count == 0 || list.Items.Any(i => i is not YamlScalar { IsNull: false }))
                {
                    Error(v, where, "expected a non-empty list of values such as [electric, hybrid]");
                    continue;
                }

                var values = list.Items.Cast<YamlScalar>().ToList();
                grid.Add(new GridAxis(k.Value, [.. values.Select(s => s.Value)]));
                tries.AddRange(values.Select(s => ((YamlNode)s, where, k.Value, s.Value)));
            }
        }
        else if (root["grid"] is { } other)
        {
            Error(other, "grid", $"expected a mapping of scenario paths to lists of values, got {other.Describe()}");
        }

        var ranges = new List<HypercubeRange>();
        int samples = 0;
        ulong cubeSeed = 1;
        if (root["hypercube"] is YamlMap h)
        {
            samples = (int)(Whole(h["samples"], "hypercube.samples", 1, 100_000, errors) ?? 0);
            cubeSeed = (ulong)(Whole(h["seed"], "hypercube.seed", 0, long.MaxValue, errors, 1) ?? 1);
            if (h["ranges"] is YamlMap r && r.Entries.Count > 0)
            {
                foreach (var (k, v) in r.Entries)
                {
                    string where = $"hypercube.ranges.{k.Value}";
                    if (Range(v, k.Value) is { } range)
                    {
                        ranges.Add(range);
                        var ends = (YamlList)v;
                        tries.Add((ends.Items[0], where, k.Value, ((YamlScalar)ends.Items[0]).Value));
                        tries.Add((ends.Items[1], where, k.Value, ((YamlScalar)ends.Items[1]).Value));
                    }
                    else
                    {
                        Error(v, where, "expected two ends in one unit, the lower first, such as [150 kW, 250 kW] or [2, 8]");
                    }
                }
            }
            else
            {
                Error(h, "hypercube.ranges", "expected a mapping of scenario paths to [min, max]");
            }
        }

        var seeds = new List<long>();
        switch (root["seeds"])
        {
            case null:
                seeds.Add(42);
                break;
            case YamlScalar s when long.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long count) && count is >= 1 and <= 100_000:
                for (long i = 1; i <= count; i++)
                {
                    seeds.Add(i);
                }

                break;
            case YamlList list when list.Items.Count > 0:
                foreach (var item in list.Items)
                {
                    if (item is YamlScalar si && long.TryParse(si.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long seed))
                    {
                        seeds.Add(seed);
                    }
                    else
                    {
                        Error(item, "seeds", $"expected a seed (a whole number of at least 0), got {item.Describe()}");
                    }
                }

                break;
            case var other:
                Error(other, "seeds", $"expected a count of seeds (1…100,000) or a list of seeds, got {other.Describe()}");
                break;
        }

        if (grid.Count == 0 && ranges.Count == 0 && errors.Count == 0)
        {
            Error(root, "grid", "the sweep varies nothing: give a grid or a hypercube");
        }

        if (errors.Count == 0 && basePath.Length > 0)
        {
            TryOnBase(basePath, assetsDirectory, fixedOverrides, tries, errors);
        }

        return errors.Count > 0
            ? (null, errors)
            : (new SweepSpec(name, basePath, fixedOverrides, grid, ranges, samples, cubeSeed, seeds), errors);
    }

    // Each value alone on the base (with the fixed overrides): its errors, placed at the value in the sweep file.
    private static void TryOnBase(string basePath, string? assets, Dictionary<string, string> fixedOverrides,
        List<(YamlNode At, string Where, string Path, string Value)> tries, List<ScenarioError> errors)
    {
        var (_, fixedErrors) = ScenarioLoader.Load(basePath, assets, fixedOverrides);
        foreach (var e in fixedErrors)
        {
            errors.Add(e with { Path = $"fixed: {e.Path}" });
        }

        if (fixedErrors.Count > 0)
        {
            return;
        }

        foreach (var (at, where, path, value) in tries)
        {
            var overrides = new Dictionary<string, string>(fixedOverrides, StringComparer.Ordinal) { [path] = value };
            var (_, valueErrors) = ScenarioLoader.Load(basePath, assets, overrides);
            foreach (var e in valueErrors)
            {
                errors.Add(new ScenarioError(at.Source, where, $"\"{value}\" on the base scenario: {e.Path}: {e.Message}"));
            }
        }
    }

    private static long? Whole(YamlNode? node, string where, long min, long max, List<ScenarioError> errors, long? defaultValue = null)
    {
        if (node is null)
        {
            if (defaultValue is null)
            {
                errors.Add(new ScenarioError(new SourceSpan("", 0, 0), where, $"expected a whole number from {min} to {max}"));
            }

            return defaultValue;
        }

        if (node is YamlScalar s && long.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max)
        {
            return v;
        }

        errors.Add(new ScenarioError(node.Source, where, $"expected a whole number from {min} to {max}, got {node.Describe()}"));
        return null;
    }

    private static HypercubeRange? Range(YamlNode node, string path)
    {
        if (node is not YamlList { Items.Count: 2 } list || list.Items[0] is not YamlScalar lo || list.Items[1] is not YamlScalar hi)
        {
            return null;
        }

        var (a, unitA) = Split(lo.Value);
        var (b, unitB) = Split(hi.Value);
        if (a is not { } min || b is not { } max || unitA != unitB || !(max > min))
        {
            return null;
        }

        bool whole = unitA.Length == 0 && min == Math.Floor(min) && max == Math.Floor(max);
        return new HypercubeRange(path, min, max, unitA, whole);
    }

    private static (double? Number, string Unit) Split(string text)
    {
        text = text.Trim();
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        string number = space < 0 ? text : text[..space];
        string unit = space < 0 ? "" : text[(space + 1)..].Trim();
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? (v, unit) : (null, unit);
    }
}
