namespace DataCenterTwin.Model.Workload;

/// <summary>
/// A kind of request: the model that serves it, its token distributions (used when the arrival
/// process does not carry tokens), its latency objectives and the pools that serve it.
/// </summary>
/// <param name="Name">The class's name (<c>chat</c>, <c>code</c>).</param>
/// <param name="Model">The served model's name; requests go to pools that host it.</param>
/// <param name="PromptTokens">Prompt token distribution.</param>
/// <param name="OutputTokens">Output token distribution.</param>
/// <param name="Slo">Latency objectives.</param>
/// <param name="Pools">
/// The pools that serve the class and each one's share of its requests. Null or empty: every pool
/// that serves <paramref name="Model"/>, in proportion to its capacity.
/// </param>
public sealed record RequestClass(string Name, string Model, TokenDistribution PromptTokens, TokenDistribution OutputTokens, SloSpec Slo,
    IReadOnlyList<PoolShare>? Pools = null);

/// <summary>A pool a class's requests go to, and the share of them it gets.</summary>
/// <param name="Pool">The pool's name.</param>
/// <param name="Share">Relative weight of this pool (normalised over the class's pools); null: in proportion to the pool's capacity.</param>
public sealed record PoolShare(string Pool, double? Share = null);
