using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Compute.Dispatch;

/// <summary>Each request to the next available replica in turn.</summary>
public sealed class RoundRobin : IDispatchPolicy
{
    private int _next;

    /// <inheritdoc/>
    public int Select(IReplicaSet replicas, int promptTokens, int outputTokens, RandomStream rng)
    {
        for (int k = 0; k < replicas.Count; k++)
        {
            int r = _next;
            _next = (_next + 1) % replicas.Count;
            if (replicas.IsAvailable(r))
            {
                return r;
            }
        }

        return -1;
    }
}
