using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>
/// Loads one YAML document into <see cref="YamlNode"/>s with their positions, from the parser's
/// event stream and without recursion, so that deeply nested junk gives an error rather than a
/// stack overflow. Anchors and aliases are resolved; duplicate keys are errors.
/// </summary>
public static class YamlLoader
{
    /// <summary>Nesting deeper than this is refused: no scenario needs it.</summary>
    public const int MaxDepth = 64;

    /// <summary>Files larger than this are refused before parsing.</summary>
    public const int MaxChars = 16 * 1024 * 1024;

    /// <summary>Parses <paramref name="text"/>; returns the root or null with errors added.</summary>
    public static YamlNode? Load(string text, string file, List<ScenarioError> errors)
    {
        if (text.Length > MaxChars)
        {
            errors.Add(new ScenarioError(new SourceSpan(file, 1, 1), "", $"the file is larger than {MaxChars / (1024 * 1024)} MB"));
            return null;
        }

        var parser = new Parser(new StringReader(text));
        var stack = new Stack<(YamlNode Node, YamlScalar? PendingKey)>();
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        YamlNode? root = null;
        int documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                var ev = parser.Current!;
                var at = new SourceSpan(file, (int)ev.Start.Line, (int)ev.Start.Column);
                switch (ev)
                {
                    case DocumentStart:
                        if (++documents > 1)
                        {
                            errors.Add(new ScenarioError(at, "", "expected one YAML document, found another"));
                            return null;
                        }

                        break;
                    case Scalar s:
                        var scalar = new YamlScalar(s.Value, s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted, at);
                        Remember(anchors, s.Anchor, scalar);
                        if (!Add(stack, scalar, ref root, errors))
                        {
                            return null;
                        }

                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            errors.Add(new ScenarioError(at, "", $"unknown alias *{alias.Value.Value}"));
                            return null;
                        }

                        if (!Add(stack, target, ref root, errors))
                        {
                            return null;
                        }

                        break;
                    case MappingStart m:
                    case SequenceStart:
                        if (stack.Count >= MaxDepth)
                        {
                            errors.Add(new ScenarioError(at, "", $"nested deeper than {MaxDepth} levels"));
                            return null;
                        }

                        YamlNode container = ev is MappingStart ? new YamlMap(at) : new YamlList(at);
                        Remember(anchors, ev is MappingStart ms ? ms.Anchor : ((SequenceStart)ev).Anchor, container);
                        if (!Add(stack, container, ref root, errors))
                        {
                            return null;
                        }

                        stack.Push((container, null));
                        break;
                    case MappingEnd:
                    case SequenceEnd:
                        stack.Pop();
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            errors.Add(new ScenarioError(new SourceSpan(file, (int)ex.Start.Line, (int)ex.Start.Column), "", $"not valid YAML: {Clean(ex.Message)}"));
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this on some malformed plain scalars instead of a YamlException.
            var at = parser.Current?.Start;
            errors.Add(new ScenarioError(new SourceSpan(file, (int)(at?.Line ?? 1), (int)(at?.Column ?? 1)), "", $"not valid YAML near here: {ex.Message}"));
            return null;
        }

        if (root is null)
        {
            errors.Add(new ScenarioError(new SourceSpan(file, 1, 1), "", "the file is empty"));
        }

        return root;
    }

    private static void Remember(Dictionary<string, YamlNode> anchors, AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    // Adds a finished node to the container on top of the stack (as a key, a value or an item).
    private static bool Add(Stack<(YamlNode Node, YamlScalar? PendingKey)> stack, YamlNode node, ref YamlNode? root, List<ScenarioError> errors)
    {
        if (stack.Count == 0)
        {
            root = node;
            return true;
        }

        var (top, pendingKey) = stack.Pop();
        if (top is YamlList list)
        {
            list.Items.Add(node);
            stack.Push((top, null));
            return true;
        }

        var map = (YamlMap)top;
        if (pendingKey is null)
        {
            if (node is not YamlScalar key)
            {
                errors.Add(new ScenarioError(node.Source, "", "a mapping key must be a plain value"));
                return false;
            }

            if (map[key.Value] is not null)
            {
                errors.Add(new ScenarioError(key.Source, key.Value, $"duplicate key \"{key.Value}\""));
                return false;
            }

            stack.Push((map, key));
            return true;
        }

        map.Entries.Add(new(pendingKey, node));
        stack.Push((map, null));
        return true;
    }

    private static string Clean(string message)
    {
        int close = message.IndexOf("): ", StringComparison.Ordinal);
        return close >= 0 && message.StartsWith('(') ? message[(close + 3)..] : message;
    }
}
