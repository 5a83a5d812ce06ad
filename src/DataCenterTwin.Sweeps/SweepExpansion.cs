using System.Globalization;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Sweeps;

/// <summary>Expands a sweep into its variants: grid points × hypercube samples × seeds, in a stable order.</summary>
public static class SweepExpansion
{
    /// <summary>Every variant of <paramref name="spec"/>: the grid varies slowest, then the hypercube sample, then the seed.</summary>
    public static IReadOnlyList<SweepVariant> Expand(SweepSpec spec)
    {
        var grid = GridPoints(spec.Grid);
        var cube = spec.Ranges.Count == 0 ? [new Dictionary<string, string>(StringComparer.Ordinal)] : HypercubePoints(spec);
        var variants = new List<SweepVariant>(grid.Count * cube.Count * spec.Seeds.Count);
        foreach (var g in grid)
        {
            foreach (var c in cube)
            {
                foreach (long seed in spec.Seeds)
                {
                    var parameters = new Dictionary<string, string>(g, StringComparer.Ordinal);
                    foreach (var (k, v) in c)
                    {
                        parameters[k] = v;
                    }

                    var overrides = new Dictionary<string, string>(spec.Fixed, StringComparer.Ordinal);
                    foreach (var (k, v) in parameters)
                    {
                        overrides[k] = v;
                    }

                    overrides["run.seed"] = seed.ToString(CultureInfo.InvariantCulture);
                    variants.Add(new SweepVariant(variants.Count, overrides, parameters, seed));
                }
            }
        }

        return variants;
    }

    private static List<Dictionary<string, string>> GridPoints(IReadOnlyList<GridAxis> axes)
    {
        var points = new List<Dictionary<string, string>> { new(StringComparer.Ordinal) };
        foreach (var axis in axes)
        {
            var next = new List<Dictionary<string, string>>(points.Count * axis.Values.Count);
            foreach (var p in points)
            {
                foreach (string v in axis.Values)
                {
                    next.Add(new Dictionary<string, string>(p, StringComparer.Ordinal) { [axis.Path] = v });
                }
            }

            points = next;
        }

        return points;
    }

    /// <summary>
    /// A Latin hypercube (McKay, Beckman and Conover, Technometrics 21(2), 1979): each range is cut into
    /// as many equal strata as samples, and every stratum of every range holds exactly one sample, at a
    /// uniform place within it; the strata are paired across ranges by independent random permutations.
    /// </summary>
    public static double[,] UnitHypercube(int samples, int dimensions, ulong seed)
    {
        var rng = new RandomStreams(seed).For("sweep/hypercube");
        var u = new double[samples, dimensions];
        var perm = new int[samples];
        for (int d = 0; d < dimensions; d++)
        {
            for (int i = 0; i < samples; i++)
            {
                perm[i] = i;
            }

            for (int i = samples - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }

            for (int i = 0; i < samples; i++)
            {
                u[i, d] = (perm[i] + rng.NextDouble()) / samples;
            }
        }

        return u;
    }

    private static List<Dictionary<string, string>> HypercubePoints(SweepSpec spec)
    {
        var u = UnitHypercube(spec.Samples, spec.Ranges.Count, spec.HypercubeSeed);
        var points = new List<Dictionary<string, string>>(spec.Samples);
        for (int i = 0; i < spec.Samples; i++)
        {
            var p = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int d = 0; d < spec.Ranges.Count; d++)
            {
                var r = spec.Ranges[d];
                double x = r.Min + u[i, d] * (r.Max - r.Min);
                string number = r.Whole
                    ? Math.Min(Math.Floor(x), r.Max).ToString(CultureInfo.InvariantCulture)
                    : x.ToString("G6", CultureInfo.InvariantCulture);
                p[r.Path] = r.Unit.Length == 0 ? number : $"{number} {r.Unit}";
            }

            points.Add(p);
        }

        return points;
    }
}
