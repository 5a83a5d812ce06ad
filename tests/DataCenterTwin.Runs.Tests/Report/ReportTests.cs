using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DataCenterTwin.Runs.Report;

namespace DataCenterTwin.Runs.Tests.Report;

/// <summary>The report's year charts, opening figures and top views, against values worked by hand.</summary>
public partial class ReportTests
{
    [Fact]
    public void DayHour_MeansAndMaximaPerCell_NaNWhereNothingWasSimulated()
    {
        // Four 15-minute intervals in hour 0 of day 0 (10, 20, 30, 40), one in hour 5 of day 1 (7).
        double[] t = [0, 0.25, 0.5, 0.75, 29.0];
        double[] y = [10, 20, 30, 40, 7];
        var mean = YearCharts.DayHour(t, y, maxima: false);
        var max = YearCharts.DayHour(t, y, maxima: true);
        Assert.Equal((2, 24), (mean.GetLength(0), mean.GetLength(1)));
        Assert.Equal(25, mean[0, 0]);
        Assert.Equal(40, max[0, 0]);
        Assert.Equal(7, mean[1, 5]);
        Assert.True(double.IsNaN(mean[0, 1]));
        Assert.True(double.IsNaN(max[1, 4]));
    }

    [Fact]
    public void Months_CalendarMonthsOfSiteTime_AndEnergyPerMonth()
    {
        // Hourly intervals from 30 January 00:00 to 2 February 00:00: 48 h in January, 24 h in February.
        var r = new RunRecording { Start = new DateTime(2026, 1, 30) };
        for (int h = 0; h < 72; h++)
        {
            r.AddPoint(h);
            r.Add("it_kw", 100);
        }

        var months = YearCharts.Months(r);
        Assert.Equal(["Jan 2026", "Feb 2026"], months.Select(m => m.Label));
        Assert.Equal((0, 48), (months[0].From, months[0].To));
        Assert.Equal(4800, YearCharts.Energy(r, "it_kw", months[0].From, months[0].To), 9);
        Assert.Equal(2400, YearCharts.Energy(r, "it_kw", months[1].From, months[1].To), 9);
    }

    [Fact]
    public void KeyFigures_InWordsAndUnits()
    {
        var summary = new JsonObject
        {
            ["pue"] = 1.2346, ["peak_grid_kw"] = 9000.0, ["grid_cap_kw"] = 10000.0, ["seconds_over_grid_cap"] = 0.0,
            ["freed_capacity_peak_kw"] = 1712.04, ["freed_capacity_p50_kw"] = 800.0, ["cost"] = 1234567.0, ["cost_energy"] = 1000000.0,
            ["cost_demand"] = 234567.0, ["co2_kg"] = 2500.0, ["slo_attainment"] = 0.9913, ["requests_completed"] = 1000.0, ["requests_rejected"] = 0.0,
        };
        string html = KeyFigures.Render(summary);
        Assert.Contains("<td>1.235</td>", html, StringComparison.Ordinal);
        Assert.Contains("9,000 kW of 10.00 MW (90.0 %), never over", html, StringComparison.Ordinal);
        Assert.Contains("1,712 kW at peak, 800 kW median", html, StringComparison.Ordinal);
        Assert.Contains("$1,234,567 ($1,000,000 energy, $234,567 demand charges)", html, StringComparison.Ordinal);
        Assert.Contains("2.5 t", html, StringComparison.Ordinal);
        Assert.Contains("99.13 % of 1,000 requests", html, StringComparison.Ordinal);
        Assert.DoesNotContain("peak_grid_kw", html, StringComparison.Ordinal);
    }

    [Fact]
    public void YearReport_HeatMapsAndMonthlyBars_SelfContained()
    {
        // Sixty days of hourly points: the long-run charts, drawn by ScottPlot, inline.
        var r = new RunRecording { Start = new DateTime(2026, 1, 1) };
        for (int h = 0; h < 60 * 24; h++)
        {
            r.AddPoint(h);
            r.Add("it_kw", 1000 + (100 * Math.Sin(h * Math.PI / 12)));
            r.Add("cooling_kw", 200);
            r.Add("losses_kw", 50);
            r.Add("other_kw", 20);
            r.Add("grid_kw", 1270);
            r.Add("inlet_max_c", 24 + (h % 24 / 6.0));
        }

        string html = ReportWriter.Render(new JsonObject { ["scenario"] = "year", ["pue"] = 1.27, ["sim_s"] = 60 * 86400.0, ["wall_s"] = 1.0 }, r);
        Assert.Contains("Facility power by day and hour", html, StringComparison.Ordinal);
        Assert.Contains("Energy by month", html, StringComparison.Ordinal);
        Assert.Contains("Jan 2026", html, StringComparison.Ordinal);
        Assert.Contains("Feb 2026", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Rack inlet temperatures", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(NetworkReference(), html);
        Assert.StartsWith("<h2>At a glance</h2>", KeyFigures.Render(new JsonObject { ["pue"] = 1.27 }), StringComparison.Ordinal);
    }

    [Fact]
    public void RunFolder_Report_HasTheTopViewsAsPngDataUris()
    {
        string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dctwin-topview-" + Guid.NewGuid().ToString("N"));
        try
        {
            var outcome = Folder.RunFolder.Run(Repo.Quick("6 h"), folder, traces: false, resume: false, progress: null, TextWriter.Null, out _);
            Assert.Equal(Folder.RunOutcome.Completed, outcome);
            string html = File.ReadAllText(System.IO.Path.Combine(folder, "report.html"));
            Assert.Contains("The hall from above", html, StringComparison.Ordinal);
            Assert.Equal(2, Regex.Count(html, "src=\"data:image/png;base64,iVBORw0KGgo", RegexOptions.None));
            Assert.Contains("Peak inlet temperature of each rack", html, StringComparison.Ordinal);
            Assert.DoesNotMatch(NetworkReference(), html);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//|url\(\s*[""']?(https?:)?//|@import|<script[^>]+src|<link", RegexOptions.IgnoreCase)]
    private static partial Regex NetworkReference();
}
