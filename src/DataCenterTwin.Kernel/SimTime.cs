using System.Globalization;

namespace DataCenterTwin.Kernel;

/// <summary>
/// A point on the simulation clock, or a span of it: an integer count of microsecond ticks.
/// Integer time keeps runs bit-reproducible (no float drift) and still spans ±292,000 years.
/// </summary>
public readonly struct SimTime : IEquatable<SimTime>, IComparable<SimTime>
{
    /// <summary>Ticks in one second: the clock resolves microseconds.</summary>
    public const long TicksPerSecond = 1_000_000;

    /// <summary>Ticks in one millisecond.</summary>
    public const long TicksPerMillisecond = 1_000;

    /// <summary>Ticks in one minute.</summary>
    public const long TicksPerMinute = 60 * TicksPerSecond;

    /// <summary>Ticks in one hour.</summary>
    public const long TicksPerHour = 60 * TicksPerMinute;

    /// <summary>Ticks in one day.</summary>
    public const long TicksPerDay = 24 * TicksPerHour;

    /// <summary>Creates a time from a raw tick count (microseconds).</summary>
    public SimTime(long ticks) => Ticks = ticks;

    /// <summary>The raw count of microsecond ticks.</summary>
    public long Ticks { get; }

    /// <summary>Time zero, the start of every run.</summary>
    public static SimTime Zero => default;

    /// <summary>The latest representable time; "never" for timers.</summary>
    public static SimTime MaxValue => new(long.MaxValue);

    /// <summary>This time in seconds, s.</summary>
    public double TotalSeconds => Ticks / (double)TicksPerSecond;

    /// <summary>This time in hours, h.</summary>
    public double TotalHours => Ticks / (double)TicksPerHour;

    /// <summary>This time in days, d.</summary>
    public double TotalDays => Ticks / (double)TicksPerDay;

    /// <summary>A time from seconds, rounded to the nearest microsecond.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or beyond the clock's range.</exception>
    public static SimTime FromSeconds(double seconds)
    {
        double ticks = Math.Round(seconds * TicksPerSecond);
        if (double.IsNaN(ticks) || ticks >= 9.2e18 || ticks <= -9.2e18)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Outside the simulation clock's range.");
        }

        return new SimTime((long)ticks);
    }

    /// <summary>A time from whole microseconds.</summary>
    public static SimTime FromMicroseconds(long microseconds) => new(microseconds);

    /// <summary>A time from whole milliseconds.</summary>
    public static SimTime FromMilliseconds(long milliseconds) => new(checked(milliseconds * TicksPerMillisecond));

    /// <summary>A time from whole minutes.</summary>
    public static SimTime FromMinutes(long minutes) => new(checked(minutes * TicksPerMinute));

    /// <summary>A time from whole hours.</summary>
    public static SimTime FromHours(long hours) => new(checked(hours * TicksPerHour));

    /// <summary>A time from whole days.</summary>
    public static SimTime FromDays(long days) => new(checked(days * TicksPerDay));

    /// <summary>Sum of two times (a time plus a span).</summary>
    public static SimTime operator +(SimTime a, SimTime b) => new(a.Ticks + b.Ticks);

    /// <summary>Difference of two times (a span).</summary>
    public static SimTime operator -(SimTime a, SimTime b) => new(a.Ticks - b.Ticks);

    /// <summary>A span scaled by a whole factor.</summary>
    public static SimTime operator *(SimTime a, long factor) => new(a.Ticks * factor);

    /// <summary>Ordering of times.</summary>
    public static bool operator <(SimTime a, SimTime b) => a.Ticks < b.Ticks;

    /// <summary>Ordering of times.</summary>
    public static bool operator >(SimTime a, SimTime b) => a.Ticks > b.Ticks;

    /// <summary>Ordering of times.</summary>
    public static bool operator <=(SimTime a, SimTime b) => a.Ticks <= b.Ticks;

    /// <summary>Ordering of times.</summary>
    public static bool operator >=(SimTime a, SimTime b) => a.Ticks >= b.Ticks;

    /// <summary>Equality of times.</summary>
    public static bool operator ==(SimTime a, SimTime b) => a.Ticks == b.Ticks;

    /// <summary>Inequality of times.</summary>
    public static bool operator !=(SimTime a, SimTime b) => a.Ticks != b.Ticks;

    /// <summary>The earlier of two times.</summary>
    public static SimTime Min(SimTime a, SimTime b) => a.Ticks <= b.Ticks ? a : b;

    /// <summary>The later of two times.</summary>
    public static SimTime Max(SimTime a, SimTime b) => a.Ticks >= b.Ticks ? a : b;

    /// <inheritdoc/>
    public bool Equals(SimTime other) => Ticks == other.Ticks;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SimTime t && t.Ticks == Ticks;

    /// <inheritdoc/>
    public override int GetHashCode() => Ticks.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(SimTime other) => Ticks.CompareTo(other.Ticks);

    /// <summary>Formats as <c>123d 04:05:06.789</c> (days, then clock time to the millisecond).</summary>
    public override string ToString()
    {
        long t = Ticks;
        string sign = "";
        if (t < 0)
        {
            sign = "-";
            t = t == long.MinValue ? long.MaxValue : -t;
        }

        long days = t / TicksPerDay;
        long rem = t % TicksPerDay;
        long hours = rem / TicksPerHour;
        rem %= TicksPerHour;
        long minutes = rem / TicksPerMinute;
        rem %= TicksPerMinute;
        long seconds = rem / TicksPerSecond;
        long millis = rem % TicksPerSecond / TicksPerMillisecond;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{days}d {hours:00}:{minutes:00}:{seconds:00}.{millis:000}");
    }
}
