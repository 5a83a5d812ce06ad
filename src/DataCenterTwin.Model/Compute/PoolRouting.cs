using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// Which pools serve each request class, and in what shares. A class that names its pools gets
/// them in the shares it gives (normalised); one that names pools without shares, or none at all
/// (then every pool that serves its model), is spread over them in proportion to their capacity:
/// replicas times the request rate one replica sustains at the class's mean prompt and output at
/// full clocks. Equal load per unit of capacity is what keeps unequal pools at equal utilisation.
/// Both fidelities route with the same shares.
/// </summary>
public static class PoolRouting
{
    /// <summary>Shares per class (spec order) and pool (spec order); each class's row sums to 1.</summary>
    /// <exception cref="ArgumentException">A named pool does not exist or does not serve the class's model, a share is negative, or no pool serves the class.</exception>
    public static double[][] Shares(ComputeHallSpec spec)
    {
        var shares = new double[spec.Classes.Count][];
        for (int c = 0; c < spec.Classes.Count; c++)
        {
            var cls = spec.Classes[c];
            var row = new double[spec.Pools.Count];
            shares[c] = row;
            var named = cls.Pools ?? [];
            if (named.Count == 0)
            {
                for (int p = 0; p < spec.Pools.Count; p++)
                {
                    if (spec.Pools[p].ModelName == cls.Model)
                    {
                        row[p] = CapacityPerS(spec.Pools[p], cls);
                    }
                }
            }
            else
            {
                bool explicitShares = named.Any(s => s.Share is not null);
                foreach (var s in named)
                {
                    int p = IndexOf(spec.Pools, s.Pool);
                    if (p < 0)
                    {
                        throw new ArgumentException($"Class '{cls.Name}' names pool '{s.Pool}', which the hall does not have.", nameof(spec));
                    }

                    if (spec.Pools[p].ModelName != cls.Model)
                    {
                        throw new ArgumentException($"Class '{cls.Name}' serves model '{cls.Model}', but pool '{s.Pool}' serves '{spec.Pools[p].ModelName}'.", nameof(spec));
                    }

                    if (explicitShares && !(s.Share is >= 0 and < double.PositiveInfinity))
                    {
                        throw new ArgumentException($"Class '{cls.Name}': give every pool a non-negative share, or none (capacity-proportional).", nameof(spec));
                    }

                    row[p] += explicitShares ? s.Share!.Value : CapacityPerS(spec.Pools[p], cls);
                }
            }

            double sum = row.Sum();
            if (!(sum > 0))
            {
                throw new ArgumentException($"Class '{cls.Name}' serves model '{cls.Model}', which no pool it may use serves.", nameof(spec));
            }

            for (int p = 0; p < row.Length; p++)
            {
                row[p] /= sum;
            }
        }

        return shares;
    }

    /// <summary>The requests per second a pool sustains for a class at full clocks: replicas times one replica's capacity at the class's mean tokens.</summary>
    public static double CapacityPerS(PoolSpec pool, RequestClass cls)
    {
        double prompt = cls.PromptTokens.Mean, output = cls.OutputTokens.Mean;
        return pool.ReplicasPerRack * pool.RackCount * FluidHall.ReplicaCapacityPerS(pool, 1, prompt, output, pool.Serving.PrefillTimeS(prompt));
    }

    /// <summary>Pools no class reaches (share zero for every class), by name.</summary>
    public static IReadOnlyList<string> Unreached(ComputeHallSpec spec)
    {
        var shares = Shares(spec);
        return [.. spec.Pools.Where((p, i) => shares.All(row => row[i] <= 0)).Select(p => p.Name)];
    }

    private static int IndexOf(IReadOnlyList<PoolSpec> pools, string name)
    {
        for (int i = 0; i < pools.Count; i++)
        {
            if (pools[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
