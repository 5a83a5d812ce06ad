namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>A node of a loaded YAML document, with the place it was written.</summary>
public abstract class YamlNode
{
    private protected YamlNode(SourceSpan source) => Source = source;

    /// <summary>Where the node starts.</summary>
    public SourceSpan Source { get; }

    /// <summary>What the node is, for messages: "a mapping", "a list", "a value".</summary>
    public abstract string Describe();
}

/// <summary>A scalar value; <see cref="IsNull"/> for <c>~</c>, <c>null</c> or an empty value.</summary>
public sealed class YamlScalar : YamlNode
{
    /// <summary>Creates a scalar.</summary>
    public YamlScalar(string value, bool isQuoted, SourceSpan source) : base(source)
    {
        Value = value;
        IsQuoted = isQuoted;
    }

    /// <summary>The text as written (unquoted).</summary>
    public string Value { get; }

    /// <summary>Whether the value was quoted, so "null" is text rather than null.</summary>
    public bool IsQuoted { get; }

    /// <summary>Whether the value is YAML's null.</summary>
    public bool IsNull => !IsQuoted && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <inheritdoc/>
    public override string Describe() => IsNull ? "nothing (null)" : $"\"{Value}\"";
}

/// <summary>A list.</summary>
public sealed class YamlList : YamlNode
{
    /// <summary>Creates an empty list.</summary>
    public YamlList(SourceSpan source) : base(source)
    {
    }

    /// <summary>The items in order.</summary>
    public List<YamlNode> Items { get; } = [];

    /// <inheritdoc/>
    public override string Describe() => "a list";
}

/// <summary>A mapping from keys to nodes, in the order written.</summary>
public sealed class YamlMap : YamlNode
{
    /// <summary>Creates an empty mapping.</summary>
    public YamlMap(SourceSpan source) : base(source)
    {
    }

    /// <summary>The entries in the order written.</summary>
    public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = [];

    /// <summary>The value under <paramref name="key"/>, or null.</summary>
    public YamlNode? this[string key]
    {
        get
        {
            foreach (var e in Entries)
            {
                if (e.Key.Value == key)
                {
                    return e.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Sets or replaces the value under a key, keeping the entry's position.</summary>
    public void Set(YamlScalar key, YamlNode value)
    {
        for (int i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].Key.Value == key.Value)
            {
                Entries[i] = new(Entries[i].Key, value);
                return;
            }
        }

        Entries.Add(new(key, value));
    }

    /// <summary>Removes the entry under a key, if any.</summary>
    public void Remove(string key) => Entries.RemoveAll(e => e.Key.Value == key);

    /// <inheritdoc/>
    public override string Describe() => "a mapping";
}
