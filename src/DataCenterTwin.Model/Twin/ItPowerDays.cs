namespace DataCenterTwin.Model.Twin;

/// <summary>
/// How far the hall's IT power (its heat) follows the day: hourly mean IT power, and from it each
/// whole day's trough and peak hour. An inference hall's heat should swing with its traffic; one
/// whose trough is close to its peak is sized like a training hall whatever its workload.
/// Steps are cut at hour boundaries, so hourly means are energy-exact whatever the step.
/// </summary>
public sealed class ItPowerDays
{
    private double[] _hourlyW = new double[24 * 400];
    private int _hours;
    private double _hourJ;
    private double _hourS;

    /// <summary>Whole hours recorded.</summary>
    public int Hours => _hours;

    /// <summary>Whole days recorded.</summary>
    public int Days => _hours / 24;

    /// <summary>Mean IT power of hour <paramref name="hour"/> since the start, W.</summary>
    public double HourlyW(int hour) => _hourlyW[hour];

    /// <summary>Adds a step of <paramref name="durationS"/> seconds starting <paramref name="startS"/> seconds into the run at <paramref name="itW"/>.</summary>
    public void Add(double startS, double durationS, double itW)
    {
        double t = startS, end = startS + durationS;
        while (t < end)
        {
            // Up to the end of the hour that holds t (a step never starts before the hour being filled).
            double hourEnd = (Math.Floor((t / 3600) + 1e-9) + 1) * 3600;
            double to = Math.Min(end, hourEnd);
            _hourJ += itW * (to - t);
            _hourS += to - t;
            t = to;
            if (to >= hourEnd - 1e-6)
            {
                CloseHour();
            }
        }
    }

    /// <summary>Mean over whole days of the day's lowest hourly IT power, W (NaN before a whole day).</summary>
    public double DailyTroughW => Mean(day => Min(day));

    /// <summary>Mean over whole days of the day's highest hourly IT power, W (NaN before a whole day).</summary>
    public double DailyPeakW => Mean(day => Max(day));

    /// <summary>Mean over whole days of the day's trough hour over its peak hour, 0–1 (NaN before a whole day).</summary>
    public double TroughToPeak => Mean(day => Max(day) > 0 ? Min(day) / Max(day) : double.NaN);

    /// <summary>The highest hourly IT power of the run, W.</summary>
    public double PeakHourW
    {
        get
        {
            double peak = 0;
            for (int h = 0; h < _hours; h++)
            {
                peak = Math.Max(peak, _hourlyW[h]);
            }

            return peak;
        }
    }

    /// <summary>Hours whose mean IT power was below <paramref name="fraction"/> of the run's peak hour.</summary>
    public int HoursBelow(double fraction)
    {
        double limit = fraction * PeakHourW;
        int n = 0;
        for (int h = 0; h < _hours; h++)
        {
            if (_hourlyW[h] < limit)
            {
                n++;
            }
        }

        return n;
    }

    private void CloseHour()
    {
        if (_hours == _hourlyW.Length)
        {
            Array.Resize(ref _hourlyW, _hourlyW.Length * 2);
        }

        _hourlyW[_hours++] = _hourS > 0 ? _hourJ / _hourS : 0;
        _hourJ = 0;
        _hourS = 0;
    }

    private double Min(int day)
    {
        double m = double.PositiveInfinity;
        for (int h = day * 24; h < (day + 1) * 24; h++)
        {
            m = Math.Min(m, _hourlyW[h]);
        }

        return m;
    }

    private double Max(int day)
    {
        double m = 0;
        for (int h = day * 24; h < (day + 1) * 24; h++)
        {
            m = Math.Max(m, _hourlyW[h]);
        }

        return m;
    }

    private double Mean(Func<int, double> perDay)
    {
        if (Days == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        for (int d = 0; d < Days; d++)
        {
            sum += perDay(d);
        }

        return sum / Days;
    }
}
