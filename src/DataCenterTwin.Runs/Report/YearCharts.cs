using System.Globalization;
using System.Text;

namespace DataCenterTwin.Runs.Report;

/// <summary>
/// How a long run reads: day-by-hour heat maps (a year is 365 columns of 24 cells, each hour visible)
/// and bars by calendar month, instead of tens of thousands of points on one line.
/// </summary>
internal static class YearCharts
{
    /// <summary>Runs at least this long (hours) get the heat maps and monthly bars.</summary>
    public const double MinHours = 28 * 24;

    public static string Render(RunRecording r)
    {
        var html = new StringBuilder();
        if (r.Has("it_kw"))
        {
            var total = Sum(r, "it_kw", "cooling_kw", "losses_kw", "other_kw");
            html.Append("<h2>Facility power by day and hour</h2>").Append(SvgChart.DayHourHeatmap("Facility power, hourly mean", DayHour(r.TimeH, total, maxima: false), "kW"));
        }

        if (r.Has("inlet_max_c"))
        {
            html.Append("<h2>Hottest rack inlet by day and hour</h2>")
                .Append(SvgChart.DayHourHeatmap("Hottest rack inlet, hourly maximum", DayHour(r.TimeH, r.Get("inlet_max_c"), maxima: true), "°C"));
        }

        if (r.Has("gas_share"))
        {
            html.Append("<h2>Gas share of chiller cooling by day and hour</h2>")
                .Append(SvgChart.DayHourHeatmap("Share of chiller load driven by gas, hourly mean", DayHour(r.TimeH, r.Get("gas_share"), maxima: false), "fraction"));
        }

        var months = Months(r);
        if (months.Count == 0)
        {
            return html.ToString();
        }

        string[] labels = [.. months.Select(m => m.Label)];
        if (r.Has("it_kw"))
        {
            (string Key, string Name, string Colour)[] uses = [("it_kw", "IT", "#1f77b4"), ("cooling_kw", "cooling (electric)", "#17becf"), ("losses_kw", "distribution losses", "#ff7f0e"), ("other_kw", "other", "#7f7f7f")];
            // Each series read once: Get copies it, and a ten-year run has 350,000 intervals and 120 months.
            var series = uses.Select(u =>
            {
                var y = r.Get(u.Key);
                return (u.Name, months.Select(m => Energy(r.TimeH, y, m.From, m.To) / 1000).ToArray(), u.Colour);
            }).ToList();
            html.Append("<h2>Energy by month</h2>").Append(SvgChart.StackedBars("Facility energy by use, each month", "month", "MWh", labels, series));
        }

        if (r.Has("grid_kw"))
        {
            var grid = r.Get("grid_kw");
            double[] peaks = [.. months.Select(m => Peak(grid, m.From, m.To))];
            html.Append("<h2>Peak grid draw by month</h2>").Append(SvgChart.StackedBars("Highest interval-mean grid draw, each month", "month", "kW", labels, [("peak grid draw", peaks, "#1f77b4")]));
        }

        return html.ToString();
    }

    /// <summary>Per-interval values binned into [day, hour] cells: the mean (or the maximum) of the intervals starting in each hour; NaN where none.</summary>
    internal static double[,] DayHour(IReadOnlyList<double> timeH, double[] values, bool maxima)
    {
        int days = timeH.Count == 0 ? 0 : (int)Math.Floor(timeH[^1] / 24) + 1;
        var sum = new double[days, 24];
        var count = new int[days, 24];
        for (int i = 0; i < timeH.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                continue;
            }

            int d = (int)Math.Floor(timeH[i] / 24), h = (int)Math.Floor(timeH[i] - (d * 24.0));
            h = Math.Clamp(h, 0, 23);
            sum[d, h] = count[d, h] == 0 ? values[i] : maxima ? Math.Max(sum[d, h], values[i]) : sum[d, h] + values[i];
            count[d, h]++;
        }

        var cells = new double[days, 24];
        for (int d = 0; d < days; d++)
        {
            for (int h = 0; h < 24; h++)
            {
                cells[d, h] = count[d, h] == 0 ? double.NaN : maxima ? sum[d, h] : sum[d, h] / count[d, h];
            }
        }

        return cells;
    }

    /// <summary>Calendar months of site time the run covers, as interval index ranges.</summary>
    internal static List<(string Label, int From, int To)> Months(RunRecording r)
    {
        var months = new List<(string, int, int)>();
        int from = 0;
        for (int i = 0; i <= r.TimeH.Count; i++)
        {
            bool end = i == r.TimeH.Count;
            if (!end && i > from && Month(r, i) == Month(r, from))
            {
                continue;
            }

            if (i > from)
            {
                var m = r.Start.AddHours(r.TimeH[from]);
                months.Add((m.ToString("MMM yyyy", CultureInfo.InvariantCulture), from, i));
                from = i;
            }
        }

        return months;

        static int Month(RunRecording r, int i)
        {
            var t = r.Start.AddHours(r.TimeH[i]);
            return (t.Year * 12) + t.Month;
        }
    }

    // kW interval means × interval lengths: kWh over intervals [from, to).
    internal static double Energy(RunRecording r, string series, int from, int to) => Energy(r.TimeH, r.Get(series), from, to);

    private static double Energy(List<double> timeH, double[] y, int from, int to)
    {
        double kwh = 0;
        for (int i = from; i < to; i++)
        {
            double dtH = i + 1 < timeH.Count ? timeH[i + 1] - timeH[i] : timeH.Count > 1 ? timeH[i] - timeH[i - 1] : 0;
            kwh += double.IsFinite(y[i]) ? y[i] * dtH : 0;
        }

        return kwh;
    }

    private static double Peak(double[] y, int from, int to)
    {
        double peak = double.NaN;
        for (int i = from; i < to; i++)
        {
            if (double.IsFinite(y[i]) && !(y[i] <= peak))
            {
                peak = y[i];
            }
        }

        return peak;
    }

    private static double[] Sum(RunRecording r, params string[] series)
    {
        var total = new double[r.TimeH.Count];
        foreach (string s in series)
        {
            var y = r.Get(s);
            for (int i = 0; i < total.Length; i++)
            {
                total[i] += double.IsFinite(y[i]) ? y[i] : 0;
            }
        }

        return total;
    }
}
