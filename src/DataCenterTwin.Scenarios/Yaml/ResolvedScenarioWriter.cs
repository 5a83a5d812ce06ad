using System.Text;

namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>
/// Writes the resolved scenario: every value the loader read, defaults filled in, as YAML in the
/// order it was read, so a run folder says exactly what ran.
/// </summary>
public static class ResolvedScenarioWriter
{
    private sealed class Node
    {
        public string? Value;
        public readonly List<(string Key, Node Child)> Keys = [];
        public readonly List<Node> Items = [];

        public Node Key(string key)
        {
            foreach (var (k, c) in Keys)
            {
                if (k == key)
                {
                    return c;
                }
            }

            var n = new Node();
            Keys.Add((key, n));
            return n;
        }

        public Node Item(int index)
        {
            while (Items.Count <= index)
            {
                Items.Add(new Node());
            }

            return Items[index];
        }
    }

    /// <summary>The YAML text for the values read, with a header comment.</summary>
    public static string Write(IEnumerable<(string Path, string Value)> values, string header)
    {
        var root = new Node();
        foreach (var (path, value) in values)
        {
            var node = root;
            foreach (string segment in path.Split('.'))
            {
                int bracket = segment.IndexOf('[', StringComparison.Ordinal);
                if (bracket < 0)
                {
                    node = node.Key(segment);
                    continue;
                }

                node = node.Key(segment[..bracket]);
                foreach (string index in segment[(bracket + 1)..].TrimEnd(']').Split("]["))
                {
                    node = node.Item(int.Parse(index, System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            node.Value = value;
        }

        var sb = new StringBuilder();
        foreach (string line in header.Split('\n'))
        {
            sb.Append("# ").Append(line).Append('\n');
        }

        WriteMap(sb, root, 0);
        return sb.ToString();
    }

    private static void WriteMap(StringBuilder sb, Node map, int indent)
    {
        foreach (var (key, child) in map.Keys)
        {
            sb.Append(' ', indent).Append(key).Append(':');
            WriteValue(sb, child, indent);
        }
    }

    private static void WriteValue(StringBuilder sb, Node node, int indent)
    {
        if (node.Value is not null)
        {
            sb.Append(' ').Append(node.Value).Append('\n');
        }
        else if (node.Items.Count > 0)
        {
            sb.Append('\n');
            foreach (var item in node.Items)
            {
                sb.Append(' ', indent + 2).Append('-');
                if (item.Keys.Count == 0)
                {
                    sb.Append(item.Value is null ? " {}\n" : $" {item.Value}\n");
                    continue;
                }

                // The first key of a list item sits on the dash's line.
                var (firstKey, firstChild) = item.Keys[0];
                sb.Append(' ').Append(firstKey).Append(':');
                WriteValue(sb, firstChild, indent + 4);
                for (int k = 1; k < item.Keys.Count; k++)
                {
                    var (key, child) = item.Keys[k];
                    sb.Append(' ', indent + 4).Append(key).Append(':');
                    WriteValue(sb, child, indent + 4);
                }
            }
        }
        else if (node.Keys.Count > 0)
        {
            sb.Append('\n');
            WriteMap(sb, node, indent + 2);
        }
        else
        {
            sb.Append(" {}\n");
        }
    }
}
