using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Compute.Dispatch;

/// <summary>The available replica with the fewest outstanding tokens (lowest index on ties).</summary>
public sealed class LeastOutstandingWork : IDispatchPolicy
{
    /// <inheritdoc/>
    public int Select(IReplicaSet replicas, int promptTokens, int outputTokens, RandomStream rng)
    {
        int best = -1;
        long bestWork = long.MaxValue;
        for (int r = 0; r < replicas.Count; r++)
        {
            long work = replicas.OutstandingTokens(r);
            if (work < bestWork && replicas.IsAvailable(r))
            {
                best = r;
                bestWork = work;
            }
        }

        return best;
    }
}
