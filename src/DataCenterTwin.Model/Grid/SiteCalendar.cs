using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Grid;

/// <summary>
/// Maps simulation time to the site's local standard time (the clock of TMY weather, tariffs and
/// billing months): time zero is <see cref="Start"/>.
/// </summary>
public sealed class SiteCalendar
{
    /// <summary>Creates a calendar whose time zero is <paramref name="start"/> (local standard time).</summary>
    public SiteCalendar(DateTime start) => Start = DateTime.SpecifyKind(start, DateTimeKind.Unspecified);

    /// <summary>Local standard time at simulation time zero.</summary>
    public DateTime Start { get; }

    /// <summary>Local standard time at <paramref name="t"/>.</summary>
    public DateTime LocalTime(SimTime t) => Start.AddTicks(t.Ticks * (TimeSpan.TicksPerSecond / SimTime.TicksPerSecond));

    /// <summary>Hours since 1 January 00:00 of the local year at <paramref name="t"/>, fractional (0 to 8,784).</summary>
    public double HourOfYear(SimTime t)
    {
        var local = LocalTime(t);
        return (local - new DateTime(local.Year, 1, 1)).TotalHours;
    }

    /// <summary>A billing month index, counted from the start's month (0, 1, 2, …).</summary>
    public int BillingMonth(SimTime t)
    {
        var local = LocalTime(t);
        return (local.Year - Start.Year) * 12 + local.Month - Start.Month;
    }
}
