using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataCenterTwin.Scenarios.Tests.Schema;

/// <summary>
/// scenario.schema.json checked with JsonSchema.Net (draft 2020-12 in full), as an editor's YAML
/// language server checks a file: the YAML becomes JSON by the YAML 1.2 core schema (a plain
/// 42 is an integer, 0.8 a number, true a boolean, ~ null; anything quoted, and anything else, a
/// string), then the schema evaluates it.
/// </summary>
internal sealed partial class ScenarioSchema
{
    private readonly JsonSchema _schema;

    private ScenarioSchema(string text)
    {
        _schema = JsonSchema.FromText(text);
        Root = JsonDocument.Parse(text).RootElement;
    }

    public JsonElement Root { get; }

    // JsonSchema.Net registers a schema under its $id once per process: one instance per file.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<ScenarioSchema>> s_loaded = new(StringComparer.Ordinal);

    public static ScenarioSchema Load(string path) =>
        s_loaded.GetOrAdd(Path.GetFullPath(path), p => new Lazy<ScenarioSchema>(() => new ScenarioSchema(File.ReadAllText(p)))).Value;

    /// <summary>Every problem with a YAML document, each as "path: what", the path dotted (<c>hall.pools[0].cooling</c>).</summary>
    public List<string> Validate(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var json = stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode);
        using var doc = JsonDocument.Parse(json?.ToJsonString() ?? "null");
        var results = _schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var problems = new List<string>();
        if (results.IsValid)
        {
            return problems;
        }

        foreach (var r in (IEnumerable<EvaluationResults>?)results.Details ?? [])
        {
            foreach (var (keyword, message) in (IEnumerable<KeyValuePair<string, string>>?)r.Errors ?? [])
            {
                problems.Add($"{Dotted(r.InstanceLocation.ToString())}: {keyword}: {message}");
            }
        }

        if (problems.Count == 0)
        {
            problems.Add(": invalid");
        }

        return problems;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } s => Plain(s.Value ?? ""),
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => null,
    };

    // The YAML 1.2 core schema's plain scalars.
    private static JsonValue? Plain(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text[0] is 't' or 'T');
        }

        if (CoreInteger().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
        {
            return JsonValue.Create(whole);
        }

        if (CoreFloat().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    // "/hall/pools/0/cooling" → "hall.pools[0].cooling".
    private static string Dotted(string pointer)
    {
        var sb = new System.Text.StringBuilder();
        foreach (string part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string token = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            sb.Append(token.All(char.IsAsciiDigit) ? $"[{token}]" : (sb.Length == 0 ? token : "." + token));
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex CoreInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex CoreFloat();
}
