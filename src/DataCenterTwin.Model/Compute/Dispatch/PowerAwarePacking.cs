using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Compute.Dispatch;

/// <summary>
/// Packs work onto as few replicas as possible so the others sit at idle power: the available
/// replica with the most outstanding requests that still has room in its batch (lowest index on
/// ties, so the same replicas fill first); when all are full, the one with the fewest outstanding tokens.
/// </summary>
public sealed class PowerAwarePacking : IDispatchPolicy
{
    /// <inheritdoc/>
    public int Select(IReplicaSet replicas, int promptTokens, int outputTokens, RandomStream rng)
    {
        int packed = -1, packedCount = -1, least = -1;
        long leastWork = long.MaxValue;
        for (int r = 0; r < replicas.Count; r++)
        {
            if (!replicas.IsAvailable(r))
            {
                continue;
            }

            int n = replicas.OutstandingRequests(r);
            if (n < replicas.MaxBatch && n > packedCount)
            {
                packed = r;
                packedCount = n;
            }

            long work = replicas.OutstandingTokens(r);
            if (work < leastWork)
            {
                least = r;
                leastWork = work;
            }
        }

        return packed >= 0 ? packed : least;
    }
}
