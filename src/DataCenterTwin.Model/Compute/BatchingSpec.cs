namespace DataCenterTwin.Model.Compute;

/// <summary>
/// Continuous batching limits of one replica (Orca/vLLM style: requests join and leave the running
/// batch at iteration boundaries; a prefill iteration for newly admitted requests runs alone).
/// </summary>
/// <param name="MaxBatch">Most requests in the running batch.</param>
/// <param name="MaxPrefillTokens">Token budget of one prefill iteration (a single larger prompt still runs alone).</param>
/// <param name="KvCacheTokens">KV-cache capacity of the replica, tokens (memory left after weights over bytes per token; see <see cref="KvTokens"/>).</param>
/// <param name="OnKvFull">Queue new requests (reserving prompt + output) or admit on prompt size and preempt when the cache fills.</param>
public sealed record BatchingSpec(int MaxBatch = 64, int MaxPrefillTokens = 16_384, long KvCacheTokens = long.MaxValue, KvFullPolicy OnKvFull = KvFullPolicy.Queue)
{
    /// <summary>KV-cache tokens that fit in <paramref name="memoryBytes"/> after <paramref name="weightBytes"/>, at <paramref name="bytesPerToken"/>.</summary>
    public static long KvTokens(double memoryBytes, double weightBytes, double bytesPerToken) =>
        (long)Math.Max(0, Math.Floor((memoryBytes - weightBytes) / bytesPerToken));
}

/// <summary>What a replica does when its KV cache cannot hold another request.</summary>
public enum KvFullPolicy
{
    /// <summary>Reserve prompt + output tokens on admission; requests wait until they fit. Never preempts.</summary>
    Queue = 0,

    /// <summary>Admit on the current context; when a decode step would overflow, evict the youngest request and recompute it later (vLLM).</summary>
    Preempt = 1,
}
