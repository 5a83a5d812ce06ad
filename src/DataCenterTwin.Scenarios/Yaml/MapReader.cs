using System.Globalization;
using DataCenterTwin.Scenarios.Units;

namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>
/// Reads typed values out of one mapping of a scenario, collecting every error with its place and
/// path instead of stopping at the first. Keys that are read are remembered, so that
/// <see cref="Done"/> can name the ones nobody expected (typos).
/// </summary>
public sealed class MapReader
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Creates a reader of <paramref name="map"/> found at <paramref name="path"/>.</summary>
    public MapReader(YamlMap map, string path, ScenarioContext context)
    {
        Map = map;
        Path = path;
        Context = context;
    }

    /// <summary>The mapping read.</summary>
    public YamlMap Map { get; }

    /// <summary>Its path in the scenario (<c>cooling.chillers[1]</c>).</summary>
    public string Path { get; }

    /// <summary>Where errors go and relative files are resolved.</summary>
    public ScenarioContext Context { get; }

    /// <summary>Whether the mapping has a value (not null) under <paramref name="key"/>.</summary>
    public bool Has(string key) => Map[key] is { } n && n is not YamlScalar { IsNull: true };

    /// <summary>The path of a key below this mapping.</summary>
    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>Adds an error about a key of this mapping (or the mapping itself).</summary>
    public void Error(string key, string message) =>
        Context.Errors.Add(new ScenarioError((Map[key] ?? Map).Source, key.Length == 0 ? Path : PathOf(key), message));

    /// <summary>A quantity with a unit, converted to SI; NaN (and an error) when required and absent or wrong.</summary>
    public double Quantity(string key, Dimension dimension, double? defaultValue = null, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var scalar = Scalar(key, defaultValue is null);
        if (scalar is null)
        {
            if (defaultValue is { } d)
            {
                Record(key, Units.Quantity.Format(d, dimension));
            }

            return defaultValue ?? double.NaN;
        }

        if (!Units.Quantity.TryParse(scalar.Value, dimension, out double si, out string error))
        {
            Error(key, error);
            return double.NaN;
        }

        if (si < min || si > max)
        {
            Error(key, $"{scalar.Value} is out of range: {RangeText(min, max)} (in SI units)");
            return double.NaN;
        }

        Record(key, Units.Quantity.Format(si, dimension));
        return si;
    }

    /// <summary>A plain number (no unit).</summary>
    public double Number(string key, double? defaultValue = null, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var scalar = Scalar(key, defaultValue is null);
        if (scalar is null)
        {
            Record(key, defaultValue);
            return defaultValue ?? double.NaN;
        }

        if (!double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            Error(key, $"expected a number, got {scalar.Describe()}");
            return double.NaN;
        }

        if (value < min || value > max)
        {
            Error(key, $"{scalar.Value} is out of range: {RangeText(min, max)}");
            return double.NaN;
        }

        Record(key, value);
        return value;
    }

    /// <summary>A whole number within a range.</summary>
    public long WholeNumber(string key, long? defaultValue = null, long min = long.MinValue, long max = long.MaxValue)
    {
        var scalar = Scalar(key, defaultValue is null);
        if (scalar is null)
        {
            Record(key, defaultValue);
            return defaultValue ?? 0;
        }

        if (!long.TryParse(scalar.Value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
        {
            Error(key, $"expected a whole number, got {scalar.Describe()}");
            return defaultValue ?? 0;
        }

        if (value < min || value > max)
        {
            Error(key, $"{value} is out of range: expected {min} to {max}");
            return defaultValue ?? 0;
        }

        Record(key, value);
        return value;
    }

    /// <summary>true or false.</summary>
    public bool Boolean(string key, bool? defaultValue = null)
    {
        var scalar = Scalar(key, defaultValue is null);
        if (scalar is null)
        {
            Record(key, defaultValue);
            return defaultValue ?? false;
        }

        switch (scalar.Value)
        {
            case "true" or "True" or "yes":
                Record(key, true);
                return true;
            case "false" or "False" or "no":
                Record(key, false);
                return false;
            default:
                Error(key, $"expected true or false, got {scalar.Describe()}");
                return defaultValue ?? false;
        }
    }

    /// <summary>A text value; with <paramref name="allowed"/>, one of them.</summary>
    public string Text(string key, string? defaultValue = null, params string[] allowed)
    {
        var scalar = Scalar(key, defaultValue is null);
        if (scalar is null)
        {
            if (defaultValue is not null)
            {
                Record(key, Quote(defaultValue));
            }

            return defaultValue ?? "";
        }

        if (allowed.Length > 0 && !allowed.Contains(scalar.Value, StringComparer.Ordinal))
        {
            Error(key, $"expected one of {string.Join(", ", allowed)}, got {scalar.Describe()}");
            return defaultValue ?? allowed[0];
        }

        Record(key, Quote(scalar.Value));
        return scalar.Value;
    }

    /// <summary>A path to an existing file, relative to the scenario file (or absolute); null if absent and optional.</summary>
    public string? FilePath(string key, bool required = true)
    {
        var scalar = Scalar(key, required);
        if (scalar is null)
        {
            return null;
        }

        var (resolved, origin) = Context.Locate(scalar.Value);
        if (!File.Exists(resolved))
        {
            Error(key, $"file not found: {scalar.Value} (looked for {resolved})");
            return null;
        }

        Record(key, Quote(Context.NoteFile(PathOf(key), scalar.Value, resolved, origin)));
        return resolved;
    }

    /// <summary>
    /// One path to an existing file or a list of them (<c>weather: [a.epw, b.epw]</c>), each resolved
    /// as <see cref="FilePath"/> does; empty (and an error) if absent, and without the missing ones.
    /// </summary>
    public List<string> FilePaths(string key)
    {
        if (Map[key] is not YamlList)
        {
            return FilePath(key) is { } one ? [one] : [];
        }

        var result = new List<string>();
        var recorded = new List<string>();
        var scalars = Scalars(key, required: true);
        Context.Resolved.RemoveAt(Context.Resolved.Count - 1);  // recorded below with the paths as resolved
        for (int i = 0; i < scalars.Count; i++)
        {
            string place = $"{PathOf(key)}[{i}]";
            var (resolved, origin) = Context.Locate(scalars[i].Value);
            if (!File.Exists(resolved))
            {
                Context.Errors.Add(new ScenarioError(scalars[i].Source, place, $"file not found: {scalars[i].Value} (looked for {resolved})"));
                continue;
            }

            recorded.Add(Quote(Context.NoteFile(place, scalars[i].Value, resolved, origin)));
            result.Add(resolved);
        }

        if (scalars.Count == 0)
        {
            Error(key, "expected a file or a non-empty list of files");
        }

        Record(key, "[" + string.Join(", ", recorded) + "]");
        return result;
    }

    /// <summary>The mapping under <paramref name="key"/>; null if absent (an error if required) or not a mapping.</summary>
    public MapReader? Child(string key, bool required = false)
    {
        _read.Add(key);
        var node = Map[key];
        if (node is null || node is YamlScalar { IsNull: true })
        {
            if (required)
            {
                Error(key, "is required: expected a mapping");
            }

            return null;
        }

        if (node is not YamlMap map)
        {
            Error(key, $"expected a mapping, got {node.Describe()}");
            return null;
        }

        return new MapReader(map, PathOf(key), Context);
    }

    /// <summary>The mappings of the list under <paramref name="key"/>; empty if absent (an error if required).</summary>
    public List<MapReader> Children(string key, bool required = false)
    {
        _read.Add(key);
        var result = new List<MapReader>();
        var node = Map[key];
        if (node is null || node is YamlScalar { IsNull: true })
        {
            if (required)
            {
                Error(key, "is required: expected a list");
            }

            return result;
        }

        if (node is not YamlList list)
        {
            Error(key, $"expected a list, got {node.Describe()}");
            return result;
        }

        for (int i = 0; i < list.Items.Count; i++)
        {
            string itemPath = $"{PathOf(key)}[{i}]";
            if (list.Items[i] is YamlMap map)
            {
                result.Add(new MapReader(map, itemPath, Context));
            }
            else
            {
                Context.Errors.Add(new ScenarioError(list.Items[i].Source, itemPath, $"expected a mapping, got {list.Items[i].Describe()}"));
            }
        }

        return result;
    }

    /// <summary>The scalar values of the list under <paramref name="key"/>.</summary>
    public List<YamlScalar> Scalars(string key, bool required = false)
    {
        _read.Add(key);
        var result = new List<YamlScalar>();
        var node = Map[key];
        if (node is null || node is YamlScalar { IsNull: true })
        {
            if (required)
            {
                Error(key, "is required: expected a list of values");
            }

            return result;
        }

        if (node is not YamlList list)
        {
            Error(key, $"expected a list of values, got {node.Describe()}");
            return result;
        }

        for (int i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i] is YamlScalar { IsNull: false } s)
            {
                result.Add(s);
            }
            else
            {
                Context.Errors.Add(new ScenarioError(list.Items[i].Source, $"{PathOf(key)}[{i}]", $"expected a value, got {list.Items[i].Describe()}"));
            }
        }

        // The values as written, as a flow list: the run uses them (tariff months, hourly
        // multipliers), so they belong in the resolved scenario and its hash.
        Record(key, "[" + string.Join(", ", result.Select(s => double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? s.Value : Quote(s.Value))) + "]");
        return result;
    }

    /// <summary>Marks keys as known without reading them (read by someone else).</summary>
    public void Accept(params string[] keys)
    {
        foreach (string k in keys)
        {
            _read.Add(k);
        }
    }

    /// <summary>Reports every key that was never read: it is unknown here (a typo, or in the wrong place).</summary>
    public void Done()
    {
        foreach (var (key, _) in Map.Entries)
        {
            if (!_read.Contains(key.Value))
            {
                string? hint = Closest(key.Value, _read);
                Context.Errors.Add(new ScenarioError(key.Source, PathOf(key.Value),
                    $"unknown key \"{key.Value}\"" + (hint is null ? $"; expected one of {string.Join(", ", _read.Order(StringComparer.Ordinal))}" : $"; did you mean \"{hint}\"?")));
            }
        }
    }

    private void Record(string key, string value) => Context.Resolved.Add((PathOf(key), value));

    private void Record(string key, double? value)
    {
        if (value is { } v)
        {
            Record(key, v.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private void Record(string key, long? value)
    {
        if (value is { } v)
        {
            Record(key, v.ToString(CultureInfo.InvariantCulture));
        }
    }

    private void Record(string key, bool? value)
    {
        if (value is { } v)
        {
            Record(key, v ? "true" : "false");
        }
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private YamlScalar? Scalar(string key, bool required)
    {
        _read.Add(key);
        var node = Map[key];
        if (node is null || node is YamlScalar { IsNull: true })
        {
            if (required)
            {
                Error(key, "is required");
            }

            return null;
        }

        if (node is not YamlScalar scalar)
        {
            Error(key, $"expected a value, got {node.Describe()}");
            return null;
        }

        return scalar;
    }

    private static string RangeText(double min, double max) =>
        (double.IsNegativeInfinity(min), double.IsPositiveInfinity(max)) switch
        {
            (true, false) => string.Create(CultureInfo.InvariantCulture, $"expected at most {max:G6}"),
            (false, true) => string.Create(CultureInfo.InvariantCulture, $"expected at least {min:G6}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"expected {min:G6} to {max:G6}"),
        };

    private static string? Closest(string key, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string k in known)
        {
            int d = Levenshtein(key, k);
            if (d < bestDistance)
            {
                (best, bestDistance) = (k, d);
            }
        }

        return bestDistance <= Math.Max(1, key.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
