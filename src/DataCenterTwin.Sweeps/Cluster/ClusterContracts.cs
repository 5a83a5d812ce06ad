namespace DataCenterTwin.Sweeps.Cluster;

/// <summary>
/// A sweep as the cluster sees it: the base scenario as text (resolved, so a worker needs no file of
/// the submitter's, only its own assets/) and each variant's overrides. Sent once by the submitter,
/// again if the board's silo died and its activation came back empty.
/// </summary>
[GenerateSerializer]
public sealed class ClusterSweepJob
{
    /// <summary>The sweep's name (its results partition).</summary>
    [Id(0)] public string Sweep { get; init; } = "";

    /// <summary>The base scenario's name, for the file name the worker loads it as.</summary>
    [Id(1)] public string BaseName { get; init; } = "";

    /// <summary>The base scenario's resolved YAML.</summary>
    [Id(2)] public string BaseYaml { get; init; } = "";

    /// <summary>Every variant of the sweep.</summary>
    [Id(3)] public List<ClusterVariant> Variants { get; init; } = [];
}

/// <summary>One variant: its place in the expansion, its overrides (the seed included) and its seed.</summary>
[GenerateSerializer]
public sealed class ClusterVariant
{
    /// <summary>Its place in the expansion.</summary>
    [Id(0)] public int Index { get; init; }

    /// <summary>Every override of the base, <c>run.seed</c> included.</summary>
    [Id(1)] public Dictionary<string, string> Overrides { get; init; } = [];
}

/// <summary>A leased variant: what a worker runs.</summary>
[GenerateSerializer]
public sealed class ClusterWorkItem
{
    /// <summary>The sweep.</summary>
    [Id(0)] public string Sweep { get; init; } = "";

    /// <summary>The base scenario's name.</summary>
    [Id(1)] public string BaseName { get; init; } = "";

    /// <summary>The base scenario's resolved YAML.</summary>
    [Id(2)] public string BaseYaml { get; init; } = "";

    /// <summary>The variant.</summary>
    [Id(3)] public ClusterVariant Variant { get; init; } = new();
}

/// <summary>A finished variant's summary figures, as the worker computed them.</summary>
[GenerateSerializer]
public sealed class ClusterVariantResult
{
    /// <summary>The sweep.</summary>
    [Id(0)] public string Sweep { get; init; } = "";

    /// <summary>The variant's index.</summary>
    [Id(1)] public int Index { get; init; }

    /// <summary>The scenario's name.</summary>
    [Id(2)] public string Scenario { get; init; } = "";

    /// <summary>The resolved scenario's SHA-256 (half the result's key).</summary>
    [Id(3)] public string ScenarioHash { get; init; } = "";

    /// <summary>The run seed (the other half).</summary>
    [Id(4)] public ulong Seed { get; init; }

    /// <summary>"fluid" or "request".</summary>
    [Id(5)] public string Fidelity { get; init; } = "";

    /// <summary>Summary figure keys, in the summary's order.</summary>
    [Id(6)] public List<string> Keys { get; init; } = [];

    /// <summary>Their values (NaN where undefined).</summary>
    [Id(7)] public List<double> Values { get; init; } = [];

    /// <summary>Their units.</summary>
    [Id(8)] public List<string> Units { get; init; } = [];

    /// <summary>The silo that ran it.</summary>
    [Id(9)] public string Worker { get; init; } = "";

    /// <summary>Why it failed (null: it ran).</summary>
    [Id(10)] public string? Error { get; init; }
}

/// <summary>What the board says of a sweep when the submitter collects.</summary>
[GenerateSerializer]
public sealed class ClusterSweepProgress
{
    /// <summary>Whether the board knows the sweep (false: its silo died; submit it again).</summary>
    [Id(0)] public bool Known { get; init; }

    /// <summary>Results finished since the last collection.</summary>
    [Id(1)] public List<ClusterVariantResult> Results { get; init; } = [];

    /// <summary>Variants waiting for a worker.</summary>
    [Id(2)] public int Pending { get; init; }

    /// <summary>Variant index → the silo running it.</summary>
    [Id(3)] public Dictionary<int, string> Leases { get; init; } = [];

    /// <summary>Leases taken back from silos the membership declared dead.</summary>
    [Id(4)] public int Reassigned { get; init; }

    /// <summary>Completions of a variant already complete (a dead silo's late answer), ignored.</summary>
    [Id(5)] public int Duplicates { get; init; }
}

/// <summary>
/// The cluster's one work board (key "board"): a queue of variants that silos' workers lease, with
/// every lease on a silo that the membership declares dead handed out again.
/// </summary>
public interface ISweepBoardGrain : IGrainWithStringKey
{
    /// <summary>Posts <paramref name="job"/> with the variants in <paramref name="done"/> already complete; a known sweep is replaced.</summary>
    Task Submit(ClusterSweepJob job, int[] done);

    /// <summary>A variant for <paramref name="worker"/> (a silo address) to run, or null when there is none.</summary>
    Task<ClusterWorkItem?> Lease(string worker);

    /// <summary>A variant finished (or failed) on <paramref name="result"/>'s worker.</summary>
    Task Complete(ClusterVariantResult result);

    /// <summary>The results finished since the last call, and where the sweep stands.</summary>
    Task<ClusterSweepProgress> Collect(string sweep);

    /// <summary>Forgets a finished sweep.</summary>
    Task Forget(string sweep);
}
