using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>
/// Reads <c>run.growth</c>, the load growth of a run of several years, as arrival-scale controls on
/// every request class: <c>per_year: 15 %</c> compounds at each anniversary of the start (year 2 at
/// 1.15, year 3 at 1.3225, …); <c>steps</c> set the scale from a date on
/// (<c>- { at: 2028-01-01, arrival_scale: 1.5 }</c>), relative to the scenario's own rates.
/// </summary>
internal static class GrowthSection
{
    private const double SecondsPerYear = 365 * 86400.0;

    public static List<ScheduledControl> Read(MapReader root, DateTime start, SimTime horizon, IReadOnlyList<string> classes)
    {
        var scales = new List<(SimTime At, double Scale)>();
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

        foreach (var s in g.Children("steps"))
        {
            // ReadAt refuses a date before site.start or an offset below zero, naming the step.
            var at = EventsSection.ReadAt(s, start);
            if (!s.Has("at"))
            {
                s.Error("at", "expected when the step applies, a date such as 2028-01-01 or a time after the start such as \"730 d\"");
            }

            double scale = s.Number("arrival_scale", min: 0, max: 1e6);
            s.Done();
            if (at is { } t && double.IsFinite(scale))
            {
                if (t.Ticks == 0)
                {
                    s.Error("at", $"a growth step at the start ({start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}) is the scenario's own rate: scale the arrivals instead");
                }

                scales.Add((t, scale));
            }
        }

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
}
