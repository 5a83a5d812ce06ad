using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Runs;

/// <summary>
/// PUE at each day's trough and peak of IT power: the hour of the day with the least (most) IT energy,
/// its facility energy over its IT energy, averaged over the run's whole days. An inference hall spends
/// its troughs at a fraction of the heat its plant was sized for; this is what the plant makes of them.
/// </summary>
internal sealed class DailyPue(double horizonS)
{
    private readonly double[] _itJ = new double[(int)Math.Ceiling(horizonS / 3600) + 1];
    private readonly double[] _totalJ = new double[(int)Math.Ceiling(horizonS / 3600) + 1];

    /// <summary>Books an output interval into its hour (an interval never spans two: it divides the hour).</summary>
    public void OnInterval(in FacilitySample s)
    {
        int hour = (int)(s.StartS / 3600);
        if (hour >= 0 && hour < _itJ.Length)
        {
            _itJ[hour] += s.ItW * s.DurationS;
            _totalJ[hour] += s.TotalW * s.DurationS;
        }
    }

    /// <summary>Mean over whole days of the PUE in the day's lowest and highest IT hour; NaN before a whole day.</summary>
    public (double Trough, double Peak) Compute(double simulatedS)
    {
        int days = (int)(simulatedS / 86400);
        double trough = 0, peak = 0;
        int counted = 0;
        for (int d = 0; d < days; d++)
        {
            int lo = d * 24, hi = d * 24;
            for (int h = d * 24; h < (d + 1) * 24 && h < _itJ.Length; h++)
            {
                lo = _itJ[h] < _itJ[lo] ? h : lo;
                hi = _itJ[h] > _itJ[hi] ? h : hi;
            }

            if (_itJ[lo] > 0 && _itJ[hi] > 0)
            {
                trough += _totalJ[lo] / _itJ[lo];
                peak += _totalJ[hi] / _itJ[hi];
                counted++;
            }
        }

        return counted > 0 ? (trough / counted, peak / counted) : (double.NaN, double.NaN);
    }
}
