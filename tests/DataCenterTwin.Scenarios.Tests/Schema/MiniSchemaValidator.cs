using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DataCenterTwin.Scenarios.Tests.Schema;

/// <summary>
/// Checks a YAML document, as YamlDotNet's untyped deserializer gives it (dictionaries, lists and
/// string scalars), against the subset of JSON Schema 2020-12 that scenario.schema.json uses:
/// type, properties, additionalProperties, required, items, minItems/maxItems, enum, const,
/// pattern, minimum/maximum, anyOf and $ref into $defs. Scalars are YAML text, so "42" is taken
/// as an integer where the schema asks for one, as an editor's YAML language server does.
/// </summary>
internal sealed class MiniSchemaValidator(JsonElement root)
{
    public static MiniSchemaValidator Load(string path) => new(JsonDocument.Parse(File.ReadAllText(path)).RootElement);

    public List<string> Validate(object? value)
    {
        var problems = new List<string>();
        Check(value, root, "", problems);
        return problems;
    }

    /// <summary>The schema node for an object property or array item, following $ref; null if the schema has no such key.</summary>
    public JsonElement? Property(JsonElement schema, string key)
    {
        schema = Deref(schema);
        return schema.TryGetProperty("properties", out var props) && props.TryGetProperty(key, out var p) ? Deref(p) : null;
    }

    public JsonElement Root => root;

    public JsonElement Deref(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var r))
        {
            string name = r.GetString()!["#/$defs/".Length..];
            schema = root.GetProperty("$defs").GetProperty(name);
        }

        return schema;
    }

    private void Check(object? value, JsonElement schema, string path, List<string> problems)
    {
        schema = Deref(schema);
        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var firstProblems = new List<string>();
            bool any = false;
            foreach (var alternative in anyOf.EnumerateArray())
            {
                var p = new List<string>();
                Check(value, alternative, path, p);
                if (p.Count == 0)
                {
                    any = true;
                    break;
                }

                firstProblems.AddRange(p);
            }

            if (!any)
            {
                problems.Add($"{path}: matches none of anyOf ({string.Join("; ", firstProblems)})");
            }
        }

        if (schema.TryGetProperty("type", out var type))
        {
            CheckType(value, type.GetString()!, schema, path, problems);
        }
        else if (schema.TryGetProperty("properties", out _) && value is IDictionary<object, object>)
        {
            CheckType(value, "object", schema, path, problems);
        }
        else if (schema.TryGetProperty("const", out _) || schema.TryGetProperty("enum", out _))
        {
            CheckType(value, "string", schema, path, problems);
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                if (part.TryGetProperty("if", out var condition))
                {
                    if (Matches(value, condition))
                    {
                        Check(value, part.GetProperty("then"), path, problems);
                    }
                }
                else
                {
                    Check(value, part, path, problems);
                }
            }
        }

        if (schema.TryGetProperty("required", out var required) && value is IDictionary<object, object> map)
        {
            foreach (var r in required.EnumerateArray())
            {
                if (!map.ContainsKey(r.GetString()!))
                {
                    problems.Add($"{path}: required key {r.GetString()} is missing");
                }
            }
        }
    }

    private bool Matches(object? value, JsonElement schema)
    {
        var p = new List<string>();
        Check(value, schema, "", p);
        return p.Count == 0;
    }

    private void CheckType(object? value, string type, JsonElement schema, string path, List<string> problems)
    {
        switch (type)
        {
            case "object":
                if (value is not IDictionary<object, object> map)
                {
                    problems.Add($"{path}: expected a mapping");
                    return;
                }

                foreach (var (k, v) in map)
                {
                    string key = (string)k;
                    string childPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (schema.TryGetProperty("properties", out var props) && props.TryGetProperty(key, out var child))
                    {
                        Check(v, child, childPath, problems);
                    }
                    else if (!(schema.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.False))
                    {
                        continue;
                    }
                    else
                    {
                        problems.Add($"{childPath}: not in the schema");
                    }
                }

                return;
            case "array":
                if (value is not IList<object> list)
                {
                    problems.Add($"{path}: expected a list");
                    return;
                }

                if (schema.TryGetProperty("minItems", out var minItems) && list.Count < minItems.GetInt32()
                    || schema.TryGetProperty("maxItems", out var maxItems) && list.Count > maxItems.GetInt32())
                {
                    problems.Add($"{path}: {list.Count} items is outside minItems/maxItems");
                }

                for (int i = 0; i < list.Count; i++)
                {
                    Check(list[i], schema.GetProperty("items"), $"{path}[{i}]", problems);
                }

                return;
        }

        if (value is not string text)
        {
            problems.Add($"{path}: expected a {type} value, got a {(value is null ? "null" : "container")}");
            return;
        }

        switch (type)
        {
            case "string":
                if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    problems.Add($"{path}: \"{text}\" does not match {pattern.GetString()}");
                }

                break;
            case "integer":
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
                {
                    problems.Add($"{path}: \"{text}\" is not an integer");
                    return;
                }

                CheckRange(n, schema, path, problems);
                break;
            case "number":
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
                {
                    problems.Add($"{path}: \"{text}\" is not a number");
                    return;
                }

                CheckRange(x, schema, path, problems);
                break;
            case "boolean":
                if (text is not ("true" or "false"))
                {
                    problems.Add($"{path}: \"{text}\" is not true or false");
                }

                break;
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(e => e.GetString() == text))
        {
            problems.Add($"{path}: \"{text}\" is not one of {values}");
        }

        if (schema.TryGetProperty("const", out var constant) && constant.GetString() != text)
        {
            problems.Add($"{path}: \"{text}\" is not {constant}");
        }
    }

    private static void CheckRange(double x, JsonElement schema, string path, List<string> problems)
    {
        if (schema.TryGetProperty("minimum", out var min) && x < min.GetDouble() || schema.TryGetProperty("maximum", out var max) && x > max.GetDouble())
        {
            problems.Add($"{path}: {x} is out of the schema's range");
        }
    }
}
