namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>Where a node came from: the file and its 1-based line and column.</summary>
public readonly record struct SourceSpan(string File, int Line, int Column)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
