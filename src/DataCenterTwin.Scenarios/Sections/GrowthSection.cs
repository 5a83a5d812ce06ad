using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>
/// Reads <c>run.growth</c>, the load growth of a run of several years, as arrival-scale controls on
/// every request class: <c>per_year: 15 %</c> compounds at each anniversary of the start (year 2 at
/// 1.15, year 3 at 1.3225, …); <c>steps</c> set the scale from a date on
/// (<c>- { at: 2028-01-01, arrival_scale: 1.5 }</c>), relative to the scenario's own rates. A step
/// can also add racks to an inference pool (<c>- { at: 2028-01-01, pool: h100, racks: 16 }</c>): the
/// pool's <c>racks</c> count holds them from the start, the last ones in rack order, absent until
/// their date (the latest step's racks last).
/// </summary>
internal static class GrowthSection
{
    private const double SecondsPerYear = 365 * 86400.0;

    /// <summary>Reads the growth: arrival-scale controls, and in <paramref name="installations"/> the racks added on dates.</summary>
    public static List<ScheduledControl> Read(MapReader root, DateTime start, SimTime horizon, IReadOnlyList<string> classes,
        IReadOnlyList<PoolSpec> pools, out List<RackInstallation> installations)
    {
        var scales = new List<(SimTime At, double Scale)>();
        installations = [];
        if (root.Child("run") is not { } run || run.Child("growth") is not { } g)
        {
            return [];
        }

        if (g.Has("per_year"))
        {
            double rate = g.Quantity("per_year", Units.Dimension.Fraction, min: -0.9, max: 10);
            if (double.IsFinite(rate))
            {
                for (int year = 1; year * SecondsPerYear < horizon.TotalSeconds; year++)
                {
                    scales.Add((SimTime.FromSeconds(year * SecondsPerYear), Math.Pow(1 + rate, year)));
                }
            }
        }

        var added = new List<(SimTime At, int Pool, int Racks, MapReader Step)>();
        foreach (var s in g.Children("steps"))
        {
            // ReadAt refuses a date before site.start or an offset below zero, naming the step.
            var at = EventsSection.ReadAt(s, start);
            if (!s.Has("at"))
            {
                s.Error("at", "expected when the step applies, a date such as 2028-01-01 or a time after the start such as \"730 d\"");
            }

            bool addsRacks = s.Has("pool") || s.Has("racks");
            if (!addsRacks && !s.Has("arrival_scale"))
            {
                s.Error("", "expected arrival_scale (a new arrival rate) or pool and racks (racks added to a pool), or both");
            }

            double scale = s.Has("arrival_scale") ? s.Number("arrival_scale", min: 0, max: 1e6) : double.NaN;
            int pool = -1, racks = 0;
            if (addsRacks)
            {
                string name = s.Text("pool");
                pool = pools.ToList().FindIndex(p => p.Name == name);
                if (name.Length > 0 && pool < 0)
                {
                    s.Error("pool", $"no inference pool named \"{name}\"; the hall's pools: {string.Join(", ", pools.Select(p => p.Name))}");
                }
                else if (pool >= 0 && pools[pool].Groups > 1)
                {
                    // Each group's share of the arrivals is fixed by its racks: a group whose racks are not in yet would take its share and serve none.
                    s.Error("pool", $"pool \"{name}\" has dispatch_groups: {pools[pool].Groups}, whose shares of the arrivals are fixed by their racks, so racks cannot be added to it later; give them from the start or drop dispatch_groups");
                }

                racks = (int)s.WholeNumber("racks", min: 1, max: 1_000_000);
            }

            s.Done();
            if (at is { } t)
            {
                if (t.Ticks == 0)
                {
                    s.Error("at", $"a growth step at the start ({start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}) is the scenario's own rate: scale the arrivals instead");
                }

                if (double.IsFinite(scale))
                {
                    scales.Add((t, scale));
                }

                if (pool >= 0 && racks > 0)
                {
                    added.Add((t, pool, racks, s));
                }
            }
        }

        Install(added, pools, installations);

        g.Done();
        var controls = new List<ScheduledControl>();
        foreach (var (at, scale) in scales.OrderBy(s => s.At))
        {
            foreach (string c in classes)
            {
                controls.Add(new ScheduledControl(at, new TwinControl(ControlKind.ArrivalScale, scale, c, ChillerModeSetting.Automatic, "", "growth")));
            }
        }

        return controls;
    }

    // Each pool's added racks are its last ones: the latest step's at the very end, the one before
    // it just ahead of them, and so on; at least one rack of the pool must be there from the start.
    private static void Install(List<(SimTime At, int Pool, int Racks, MapReader Step)> added, IReadOnlyList<PoolSpec> pools,
        List<RackInstallation> installations)
    {
        foreach (var group in added.GroupBy(a => a.Pool))
        {
            var pool = pools[group.Key];
            int end = pool.FirstRack + pool.RackCount;
            foreach (var a in group.OrderByDescending(a => a.At.Ticks))
            {
                end -= a.Racks;
                if (end <= pool.FirstRack)
                {
                    a.Step.Error("racks", $"pool {pool.Name} has {pool.RackCount} racks and its growth steps add {group.Sum(x => x.Racks)}: at least one must be there from the start (the pool's racks count holds the racks added later)");
                    break;
                }

                installations.Add(new RackInstallation(a.At, end, a.Racks));
            }
        }

        installations.Sort((x, y) => x.At.Ticks != y.At.Ticks ? x.At.Ticks.CompareTo(y.At.Ticks) : x.FirstRack.CompareTo(y.FirstRack));
    }
}
