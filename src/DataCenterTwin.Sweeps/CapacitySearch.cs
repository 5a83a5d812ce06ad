using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Runs;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Sweeps;

/// <summary>One whole run of a capacity search.</summary>
/// <param name="Value">The value the grown path took.</param>
/// <param name="Stopped">Whether the stop condition held, or the scenario was invalid at this value (the value is too large).</param>
/// <param name="Summary">The run's results (partial when it ended early); null where the scenario was invalid.</param>
public sealed record CapacityProbe(long Value, bool Stopped, RunSummary? Summary)
{
    /// <summary>The simulated seconds at which the run ended because the condition was sure to hold (null: it ran to its horizon).</summary>
    public double? EndedEarlyAtS { get; init; }

    /// <summary>Why the scenario is invalid at this value (the loader's errors), so nothing ran; null where it ran.</summary>
    public string? InvalidBecause { get; init; }
}

/// <summary>The answer of a capacity search.</summary>
/// <param name="Path">The grown path.</param>
/// <param name="Largest">The largest value at which the condition does not hold (null: not even the start).</param>
/// <param name="Probes">Every run, by value.</param>
public sealed record CapacityAnswer(string Path, long? Largest, IReadOnlyList<CapacityProbe> Probes);

/// <summary>
/// Finds the largest whole value of a scenario path (a rack count, say) at which a stop condition
/// does not hold, by whole runs: doubling from the start until a run stops, then narrowing the
/// bracket by probing as many values inside it at once as there are workers. The condition is taken
/// to be monotone in the value (more racks never make it easier to hold). A value above the start at
/// which the scenario is invalid (more racks than the plant is rated for, say) stops the search as
/// the condition does, and says why; an invalid start is an error. A run ends early, at the
/// first check at which the condition is sure to hold however the run goes on (a second over the
/// grid cap in July ends a year's run there), so the values that are too large cost only the part of
/// the year up to their first failure.
/// </summary>
public static class CapacitySearch
{
    private const long Ceiling = 10_000_000;

    // The summary figures that never fall as a run goes on, read from the twin between checks
    // without building a summary, rounded as the summary rounds them.
    private static readonly Dictionary<string, Func<TwinSession, double>> s_rising = new(StringComparer.Ordinal)
    {
        ["seconds_over_grid_cap"] = s => s.Twin.SecondsOverGridLimit,
        ["it_capped_hours"] = s => s.Twin.CappedSeconds / 3600,
        ["peak_grid_kw"] = s => s.Twin.Ledger.PeakGridW / 1e3,
        ["throttled_accel_hours"] = s => s.Twin.Parts.Cooling.ThrottledAcceleratorHours,
        ["inlet_outside_allowable_rack_hours"] = s => s.Twin.Parts.Cooling.InletOutsideAllowableRackHours,
        ["accelerators"] = s => s.Spec.Hall.Racks.Sum(r => r.Accelerators),
    };

    /// <summary>How often a run checks whether its condition is already sure to hold, unless told otherwise.</summary>
    public static SimTime DefaultCheckInterval { get; } = SimTime.FromSeconds(86_400);

    /// <summary>
    /// Searches from <paramref name="start"/> (and below <paramref name="upper"/> when given).
    /// <paramref name="perUnit"/> grows other paths with the grown one: each path takes its value per
    /// unit times the grown value (<c>workload.classes[0].arrivals.rate</c> at "5.4 /s" a rack, so the
    /// traffic grows with the racks that serve it).
    /// Each run checks every <paramref name="checkEvery"/> of simulated time (default a day) whether
    /// the condition is already sure to hold, and ends there if so.
    /// </summary>
    /// <exception cref="InvalidDataException">The scenario is invalid at the start, or the condition names a figure the summary lacks.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The start is negative, or the upper bound below it.</exception>
    public static CapacityAnswer Run(string scenarioPath, IReadOnlyDictionary<string, string> fixedOverrides, string growPath, long start, long? upper,
        StopCondition until, int workers, string? assetsDirectory, IReadOnlyDictionary<string, string>? perUnit = null, Action<CapacityProbe>? onProbe = null,
        SimTime? checkEvery = null, CancellationToken cancellation = default)
    {
        var check = checkEvery ?? DefaultCheckInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(check.Ticks, 0L, nameof(checkEvery));
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
        if (upper is { } top)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(top, start, nameof(upper));
        }

        var probes = new SortedDictionary<long, CapacityProbe>();
        void Probe(IReadOnlyList<long> values)
        {
            var results = new CapacityProbe[values.Count];
            try
            {
                Parallel.For(0, values.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellation }, i =>
                    results[i] = RunOne(scenarioPath, Scale(fixedOverrides, scaled, values[i]), growPath, values[i], values[i] != start, until, assetsDirectory, check, cancellation));
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

        long lo = start, hi = upper is { } u ? u + 1 : -1;
        if (hi > 0 && workers > 1 && hi - lo > 2)
        {
            // With a bracket given, the start and the first narrowing run at once: a year's run at
            // the start alone would leave every other worker idle.
            var first = Inside(lo, hi, workers - 1);
            first.Insert(0, start);
            Probe(first);
            if (probes[start].Stopped)
            {
                return new CapacityAnswer(growPath, null, [.. probes.Values]);
            }

            foreach (long x in first.Skip(1))
            {
                if (probes[x].Stopped)
                {
                    hi = x;
                    break;
                }

                lo = x;
            }
        }
        else
        {
            Probe([start]);
            if (probes[start].Stopped)
            {
                return new CapacityAnswer(growPath, null, [.. probes.Values]);
            }
        }

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
            var inside = Inside(lo, hi, workers);
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

    // Up to `count` values strictly between lo and hi, evenly spaced, in order.
    private static List<long> Inside(long lo, long hi, int count)
    {
        int k = (int)Math.Min(Math.Max(1, count), hi - lo - 1);
        var inside = new List<long>(k);
        for (int i = 1; i <= k; i++)
        {
            long x = lo + (long)Math.Round((double)(hi - lo) * i / (k + 1));
            if (x > lo && x < hi && !inside.Contains(x))
            {
                inside.Add(x);
            }
        }

        return inside;
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

    private static CapacityProbe RunOne(string scenarioPath, IReadOnlyDictionary<string, string> fixedOverrides, string growPath, long value, bool invalidStops,
        StopCondition until, string? assetsDirectory, SimTime checkEvery, CancellationToken cancellation)
    {
        var overrides = new Dictionary<string, string>(fixedOverrides, StringComparer.Ordinal)
        {
            [growPath] = value.ToString(CultureInfo.InvariantCulture),
        };
        var (spec, errors) = ScenarioLoader.Load(scenarioPath, assetsDirectory, overrides);
        if (spec is null)
        {
            string why = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
            return invalidStops
                ? new CapacityProbe(value, Stopped: true, Summary: null) { InvalidBecause = why }
                : throw new InvalidDataException($"{growPath} = {value}: {why}");
        }

        var session = new TwinSession(spec);
        double? endedEarlyAtS = null;
        if (until.Keys.Any(s_rising.ContainsKey))
        {
            // Run a check interval at a time while the condition could still go either way.
            while (session.Now < session.Horizon && !cancellation.IsCancellationRequested)
            {
                var next = new SimTime(Math.Min(session.Horizon.Ticks, session.Now.Ticks + checkEvery.Ticks));
                session.RunUntil(next, cancellation);
                if (session.Stopped)
                {
                    break;
                }

                if (session.Now < session.Horizon && until.SureToHold(k => s_rising.TryGetValue(k, out var read) ? Math.Round(read(session), 6) : null))
                {
                    endedEarlyAtS = session.Now.TotalSeconds;
                    break;
                }
            }

            if (endedEarlyAtS is null && !session.Stopped)
            {
                session.RunToHorizon(cancellation);
            }
        }
        else
        {
            session.RunToHorizon(cancellation);
        }

        cancellation.ThrowIfCancellationRequested();
        var summary = session.Summary();
        foreach (string key in until.Keys)
        {
            if (!summary.Figures.Any(f => f.Key == key))
            {
                throw new InvalidDataException($"the condition \"{until.Text}\" names \"{key}\", which the summary does not have (it has: {string.Join(", ", summary.Figures.Select(f => f.Key))})");
            }
        }

        // A run that ended early stops by construction; its partial summary says how far it got.
        return new CapacityProbe(value, endedEarlyAtS is not null || until.Holds(k => summary[k]), summary) { EndedEarlyAtS = endedEarlyAtS };
    }
}
