namespace DataCenterTwin.Model.Workload;

/// <summary>
/// A kind of request: the model that serves it, its token distributions (used when the arrival
/// process does not carry tokens) and its latency objectives.
/// </summary>
/// <param name="Name">The class's name (<c>chat</c>, <c>code</c>).</param>
/// <param name="Model">The served model's name; requests go to the pool that hosts it.</param>
/// <param name="PromptTokens">Prompt token distribution.</param>
/// <param name="OutputTokens">Output token distribution.</param>
/// <param name="Slo">Latency objectives.</param>
public sealed record RequestClass(string Name, string Model, TokenDistribution PromptTokens, TokenDistribution OutputTokens, SloSpec Slo);
