using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// A pool split into dispatch groups (<see cref="PoolSpec.Groups"/>): at request level each group is
/// a pool of its own, <c>name/1</c> … <c>name/N</c>, over contiguous whole racks (as equal as
/// possible, the first ones one rack larger), with its own dispatcher. A class routed to such a pool
/// (and to no other) gets a request source per group at the class's rate times the group's share of
/// the pool's replicas: independent coin flips thin a Poisson process into independent Poisson
/// processes at those shares, so the arrivals are the same process, and only the dispatcher's choice
/// is narrowed to a group, a two-level router as large deployments run. No class then joins the
/// groups, so each runs on a lane of its own (ComputeHall.Lanes.cs).
/// </summary>
public static class DispatchGroups
{
    /// <summary>The hall with each grouped pool replaced by its groups, and each class routed to one routed to its groups by replicas; the spec itself when no pool is grouped.</summary>
    /// <exception cref="ArgumentException">A pool has more groups than racks, or a class routed to a grouped pool may also go to another.</exception>
    public static ComputeHallSpec Expand(ComputeHallSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Pools.All(p => p.Groups == 1))
        {
            return spec;
        }

        var pools = new List<PoolSpec>();
        var groups = new List<PoolSpec>[spec.Pools.Count];
        for (int p = 0; p < spec.Pools.Count; p++)
        {
            var pool = spec.Pools[p];
            int n = pool.Groups;
            if (n < 1 || n > pool.RackCount)
            {
                throw new ArgumentException($"Pool '{pool.Name}': dispatch_groups is {n}; give 1 to its {pool.RackCount} racks.", nameof(spec));
            }

            groups[p] = [];
            if (n == 1)
            {
                pools.Add(pool);
                continue;
            }

            int first = pool.FirstRack;
            for (int k = 0; k < n; k++)
            {
                int racks = (pool.RackCount / n) + (k < pool.RackCount % n ? 1 : 0);
                var g = pool with { Name = $"{pool.Name}/{k + 1}", FirstRack = first, RackCount = racks, Groups = 1, GroupOf = pool.Name };
                first += racks;
                groups[p].Add(g);
                pools.Add(g);
            }
        }

        var shares = PoolRouting.Shares(spec);
        var classes = new List<RequestClass>();
        for (int c = 0; c < spec.Classes.Count; c++)
        {
            var cls = spec.Classes[c];
            var routed = Enumerable.Range(0, spec.Pools.Count).Where(p => shares[c][p] > 0).ToList();
            int grouped = routed.FindIndex(p => spec.Pools[p].Groups > 1);
            if (grouped < 0)
            {
                classes.Add(cls);
                continue;
            }

            var pool = spec.Pools[routed[grouped]];
            if (routed.Count > 1)
            {
                throw new ArgumentException($"Class '{cls.Name}' goes to pool '{pool.Name}', which has dispatch groups, and to others: route it to that pool alone.", nameof(spec));
            }

            classes.Add(cls with { Pools = [.. groups[routed[0]].Select(g => new PoolShare(g.Name, g.Replicas))] });
        }

        return spec with { Pools = pools, Classes = classes };
    }

    /// <summary>
    /// The groups a class of an expanded hall (<see cref="Expand"/>) is split over, each with its share
    /// of the class's arrivals (its replicas over the pool's); empty when the class is not split.
    /// </summary>
    public static IReadOnlyList<(string Pool, double Share)> GroupsOf(ComputeHallSpec expanded, int classIndex)
    {
        ArgumentNullException.ThrowIfNull(expanded);
        var named = expanded.Classes[classIndex].Pools ?? [];
        var pools = named.Select(s => expanded.Pools.FirstOrDefault(p => p.Name == s.Pool)).ToList();
        if (pools.Count < 2 || pools[0]?.GroupOf is not { } of || pools.Any(p => p?.GroupOf != of))
        {
            return [];
        }

        double replicas = pools.Sum(p => p!.Replicas);
        return [.. pools.Select(p => (p!.Name, p.Replicas / replicas))];
    }

    /// <summary>
    /// A hall's pool totals with each pool's groups added up under its own name, in the scenario's
    /// pool order (the groups of a pool stand together, in order, in an expanded hall).
    /// </summary>
    public static IReadOnlyList<PoolTotals> Merge(IReadOnlyList<PoolTotals> totals, IReadOnlyList<PoolSpec> pools)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(pools);
        var merged = new List<PoolTotals>();
        for (int p = 0; p < totals.Count; p++)
        {
            var t = totals[p];
            if (pools[p].GroupOf is not { } of)
            {
                merged.Add(t);
            }
            else if (merged.Count > 0 && merged[^1].Name == of)
            {
                merged[^1] = (merged[^1] + t) with { Accelerators = merged[^1].Accelerators + t.Accelerators };
            }
            else
            {
                merged.Add(t with { Name = of });
            }
        }

        return merged;
    }
}
