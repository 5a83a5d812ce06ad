using System.Globalization;
using DataCenterTwin.Runs;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Sweeps;

/// <summary>One whole run of a capacity search.</summary>
/// <param name="Value">The value the grown path took.</param>
/// <param name="Stopped">Whether the stop condition held (the value is too large).</param>
/// <param name="Summary">The run's results.</param>
public sealed record CapacityProbe(long Value, bool Stopped, RunSummary Summary);

/// <summary>The answer of a capacity search.</summary>
/// <param name="Path">The grown path.</param>
/// <param name="Largest">The largest value at which the condition does not hold (null: not even the start).</param>
/// <param name="Probes">Every run, by value.</param>
public sealed record CapacityAnswer(string Path, long? Largest, IReadOnlyList<CapacityProbe> Probes);

/// <summary>
/// Finds the largest whole value of a scenario path (a rack count, say) at which a stop condition
/// does not hold, by whole runs: doubling from the start until a run stops, then narrowing the
/// bracket by probing as many values inside it at once as there are workers. The condition is taken
/// to be monotone in the value (more racks never make it easier to hold).
/// </summary>
public static class CapacitySearch
{
    private const long Ceiling = 10_000_000;

    /// <summary>
    /// Searches from <paramref name="start"/> (and below <paramref name="upper"/> when given).
    /// <paramref name="perUnit"/> grows other paths with the grown one: each path takes its value per
    /// unit times the grown value (<c>workload.classes[0].arrivals.rate</c> at "5.4 /s" a rack, so the
    /// traffic grows with the racks that serve it).
    /// </summary>
    /// <exception cref="InvalidDataException">A probe's scenario is invalid, or the condition names a figure the summary lacks.</exception>
    public static CapacityAnswer Run(string scenarioPath, IReadOnlyDictionary<string, string> fixedOverrides, string growPath, long start, long? upper,
        StopCondition until, int workers, string? assetsDirectory, IReadOnlyDictionary<string, string>? perUnit = null, Action<CapacityProbe>? onProbe = null,
        CancellationToken cancellation = default)
    {
        var scaled = new List<(string Path, double PerUnit, string Unit)>();
        foreach (var (path, text) in perUnit ?? new Dictionary<string, string>())
        {
            string t = text.Trim();
            int space = t.IndexOf(' ', StringComparison.Ordinal);
            if (!double.TryParse(space < 0 ? t : t[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
            {
                throw new InvalidDataException($"{path}: expected a value per unit of {growPath} such as \"5.4 /s\", got \"{text}\"");
            }

            scaled.Add((path, x, space < 0 ? "" : t[(space + 1)..].Trim()));
        }


        ArgumentOutOfRangeException.ThrowIfNegative(start);
        var probes = new SortedDictionary<long, CapacityProbe>();
        void Probe(IReadOnlyList<long> values)
        {
            var results = new CapacityProbe[values.Count];
            try
            {
                Parallel.For(0, values.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellation }, i =>
                    results[i] = RunOne(scenarioPath, Scale(fixedOverrides, scaled, values[i]), growPath, values[i], until, assetsDirectory, cancellation));
            }
            catch (AggregateException ex) when (ex.InnerExceptions.FirstOrDefault() is InvalidDataException invalid)
            {
                // The first bad probe says what is wrong; the others say the same.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(invalid);
            }

            foreach (var r in results)
            {
                probes[r.Value] = r;
                onProbe?.Invoke(r);
            }
        }

        Probe([start]);
        if (probes[start].Stopped)
        {
            return new CapacityAnswer(growPath, null, [.. probes.Values]);
        }

        long lo = start, hi = upper is { } u && u > start ? u + 1 : -1;
        while (hi < 0)
        {
            // Double from the last value that held, several steps at once.
            var next = new List<long>();
            long v = lo;
            for (int i = 0; i < Math.Max(1, workers) && v < Ceiling; i++)
            {
                v = Math.Min(Ceiling, Math.Max(v + 1, 2 * v));
                next.Add(v);
            }

            if (next.Count == 0)
            {
                return new CapacityAnswer(growPath, lo, [.. probes.Values]);
            }

            Probe(next);
            foreach (long x in next)
            {
                if (probes[x].Stopped)
                {
                    hi = x;
                    break;
                }

                lo = x;
            }

            if (hi < 0 && lo >= Ceiling)
            {
                return new CapacityAnswer(growPath, lo, [.. probes.Values]);
            }
        }

        while (hi - lo > 1)
        {
            int k = (int)Math.Min(Math.Max(1, workers), hi - lo - 1);
            var inside = new List<long>(k);
            for (int i = 1; i <= k; i++)
            {
                long x = lo + (long)Math.Round((double)(hi - lo) * i / (k + 1));
                if (x > lo && x < hi && !inside.Contains(x))
                {
                    inside.Add(x);
                }
            }

            Probe(inside);
            foreach (long x in inside)
            {
                if (probes[x].Stopped)
                {
                    hi = x;
                    break;
                }

                lo = x;
            }
        }

        return new CapacityAnswer(growPath, lo, [.. probes.Values]);
    }

    private static IReadOnlyDictionary<string, string> Scale(IReadOnlyDictionary<string, string> overrides, List<(string Path, double PerUnit, string Unit)> scaled, long value)
    {
        if (scaled.Count == 0)
        {
            return overrides;
        }

        var result = new Dictionary<string, string>(overrides, StringComparer.Ordinal);
        foreach (var (path, perUnit, unit) in scaled)
        {
            string number = (perUnit * value).ToString("R", CultureInfo.InvariantCulture);
            result[path] = unit.Length == 0 ? number : $"{number} {unit}";
        }

        return result;
    }

    private static CapacityProbe RunOne(string scenarioPath, IReadOnlyDictionary<string, string> fixedOverrides, string growPath, long value,
        StopCondition until, string? assetsDirectory, CancellationToken cancellation)
    {
        var overrides = new Dictionary<string, string>(fixedOverrides, StringComparer.Ordinal)
        {
            [growPath] = value.ToString(CultureInfo.InvariantCulture),
        };
        var (spec, errors) = ScenarioLoader.Load(scenarioPath, assetsDirectory, overrides);
        if (spec is null)
        {
            throw new InvalidDataException($"{growPath} = {value}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}");
        }

        var session = new TwinSession(spec);
        session.RunToHorizon(cancellation);
        var summary = session.Summary();
        foreach (string key in until.Keys)
        {
            if (!summary.Figures.Any(f => f.Key == key))
            {
                throw new InvalidDataException($"the condition \"{until.Text}\" names \"{key}\", which the summary does not have (it has: {string.Join(", ", summary.Figures.Select(f => f.Key))})");
            }
        }

        return new CapacityProbe(value, until.Holds(k => summary[k]), summary);
    }
}
