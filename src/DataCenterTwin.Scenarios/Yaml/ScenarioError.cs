namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>One problem in a scenario file: where, at which path, and what was expected.</summary>
/// <param name="Source">File, line and column.</param>
/// <param name="Path">The path in the scenario, such as <c>cooling.chillers[1].capacity</c>.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record ScenarioError(SourceSpan Source, string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Path.Length == 0 ? $"{Source}: {Message}" : $"{Source}: {Path}: {Message}";
}
