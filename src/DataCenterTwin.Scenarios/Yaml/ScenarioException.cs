namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>A scenario that did not validate: every error found, all at once.</summary>
public sealed class ScenarioException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    public ScenarioException(IReadOnlyList<ScenarioError> errors)
        : base($"{errors.Count} error(s) in the scenario:\n" + string.Join("\n", errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with one message.</summary>
    public ScenarioException(string message) : base(message) => Errors = [];

    /// <summary>Creates the exception with one message and its cause.</summary>
    public ScenarioException(string message, Exception inner) : base(message, inner) => Errors = [];

    /// <summary>Creates an empty exception.</summary>
    public ScenarioException() => Errors = [];

    /// <summary>The errors, in file order.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }
}
