using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Compute.Dispatch;

/// <summary>
/// Two replicas drawn at random, the one with fewer outstanding tokens wins (Mitzenmacher 2001):
/// nearly the balance of least-outstanding-work at constant cost per request.
/// </summary>
public sealed class PowerOfTwoChoices : IDispatchPolicy
{
    /// <inheritdoc/>
    public int Select(IReplicaSet replicas, int promptTokens, int outputTokens, RandomStream rng)
    {
        int n = replicas.Count;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            int a = rng.NextInt(n), b = rng.NextInt(n);
            bool okA = replicas.IsAvailable(a), okB = replicas.IsAvailable(b);
            if (okA && okB)
            {
                return replicas.OutstandingTokens(b) < replicas.OutstandingTokens(a) ? b : a;
            }

            if (okA || okB)
            {
                return okA ? a : b;
            }
        }

        // Most replicas stopped: fall back to a scan.
        for (int r = 0; r < n; r++)
        {
            if (replicas.IsAvailable(r))
            {
                return r;
            }
        }

        return -1;
    }
}
