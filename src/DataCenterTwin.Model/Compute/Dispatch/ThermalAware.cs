using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Compute.Dispatch;

/// <summary>
/// Avoids hot racks: the least-loaded available replica among racks below
/// <see cref="HotThresholdC"/>; when every rack is hot, the least-loaded replica of the coolest rack.
/// </summary>
public sealed class ThermalAware : IDispatchPolicy
{
    /// <summary>Creates the policy; a rack at or above <paramref name="hotThresholdC"/> is avoided.</summary>
    public ThermalAware(double hotThresholdC = 80) => HotThresholdC = hotThresholdC;

    /// <summary>The temperature from which a rack counts as hot, °C.</summary>
    public double HotThresholdC { get; }

    /// <inheritdoc/>
    public int Select(IReplicaSet replicas, int promptTokens, int outputTokens, RandomStream rng)
    {
        int best = -1, coolest = -1;
        long bestWork = long.MaxValue, coolestWork = long.MaxValue;
        double coolestC = double.PositiveInfinity;
        for (int r = 0; r < replicas.Count; r++)
        {
            if (!replicas.IsAvailable(r))
            {
                continue;
            }

            long work = replicas.OutstandingTokens(r);
            double c = replicas.RackTemperatureC(r);
            if (c < HotThresholdC && work < bestWork)
            {
                best = r;
                bestWork = work;
            }

            if (c < coolestC || (c == coolestC && work < coolestWork))
            {
                coolest = r;
                coolestC = c;
                coolestWork = work;
            }
        }

        return best >= 0 ? best : coolest;
    }
}
