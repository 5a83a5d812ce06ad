using System.Globalization;
using System.Net;
using System.Text;
using DataCenterTwin.Calibration.Twin;
using ScottPlot;

namespace DataCenterTwin.Calibration.Output;

/// <summary>
/// The calibration's report page, self-contained (PNG plots inline, no network): the verdict on
/// convergence, each parameter against its prior (with the ones the telemetry does not identify
/// said so), the chains' traces, pair plots of the draws, the posterior predictive band over each
/// observed series, and the residuals at the posterior mean.
/// </summary>
public static class CalibrationReport
{
    private const int Width = 900;
    private const int Height = 300;

    /// <summary>The page's HTML.</summary>
    public static string Write(string title, CalibrationResult result, double wallS)
    {
        var inv = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title><style>")
            .Append("body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
            .Append("th:first-child,td:first-child{text-align:left}.bad{color:#b00;font-weight:bold}.ok{color:#070;font-weight:bold}img{max-width:100%}</style></head><body>");
        html.Append("<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>");
        string method = result.Method == PosteriorMethod.Mcmc
            ? $"MCMC: {result.Samples!.Chains.Count} adaptive Metropolis chains × {result.Samples.Chains[0].Draws.GetLength(0)} kept draws"
                + (result.Samples.RestartedChains > 0 ? $" ({result.Samples.RestartedChains} stranded on a negligible mode at the end of warm-up and restarted where the others were)" : "")
            : "Laplace approximation at the mode (no MCMC)";
        html.Append(inv, $"<p>{method}; {result.Evaluations:N0} runs of the twin in {wallS:F1} s; telemetry: {result.Predictive.Sum(p => p.Series.Values.Length):N0} observed values, {result.Gaps} missing intervals and {result.MissingValues} empty values skipped.</p>");
        html.Append(result.Converged
            ? "<p class=\"ok\">Converged: every R-hat below 1.01 and every effective sample size above 400.</p>"
            : "<p class=\"bad\">NOT converged: " + WebUtility.HtmlEncode(string.Join("; ", result.ConvergenceProblems)) + ". Do not use these intervals as they stand.</p>");

        html.Append("<h2>Parameters</h2><table><tr><th>parameter</th><th>path</th><th>prior mean</th><th>prior sd</th><th>posterior mean</th><th>sd</th><th>5 %</th><th>95 %</th><th>R-hat</th><th>ESS</th><th>identified</th></tr>");
        foreach (var p in result.Parameters)
        {
            var s = p.Summary;
            string u = p.Spec.Unit.Length == 0 ? "" : " " + p.Spec.Unit;
            html.Append(inv, $"<tr><td>{WebUtility.HtmlEncode(p.Spec.Name)}</td><td>{WebUtility.HtmlEncode(p.Spec.Path)}</td><td>{F(p.Spec.Prior.Mean)}{u}</td><td>{F(p.PriorSd)}</td>")
                .Append(inv, $"<td>{F(s.Mean)}{u}</td><td>{F(s.StandardDeviation)}</td><td>{F(s.Q05)}</td><td>{F(s.Q95)}</td><td>{F(s.Rhat)}</td><td>{F(s.EffectiveSampleSize)}</td>")
                .Append(p.Identified ? "<td class=\"ok\">yes</td>" : $"<td class=\"bad\">no: posterior {p.WidthRatio.ToString("F2", inv)} of the prior's width</td>").Append("</tr>");
        }

        html.Append("</table>");
        foreach (var p in result.Parameters.Where(p => !p.Identified))
        {
            html.Append("<p class=\"bad\">").Append(WebUtility.HtmlEncode($"{p.Spec.Name} is not identified by this telemetry: its posterior is {p.WidthRatio.ToString("F2", inv)} as wide as its prior, so the fitted value is the prior's, not the data's. Observe a series it moves (at an interval short enough to see it) or keep the prior."))
                .Append("</p>");
        }

        if (result.Samples is { } samples)
        {
            html.Append("<h2>Traces</h2>");
            for (int i = 0; i < result.Parameters.Count; i++)
            {
                var plot = new Plot();
                for (int c = 0; c < samples.Chains.Count; c++)
                {
                    var y = Enumerable.Range(0, samples.Chains[c].Draws.GetLength(0)).Select(k => samples.Chains[c].Draws[k, i]).ToArray();
                    var line = plot.Add.Signal(y);
                    line.LegendText = $"chain {c + 1}";
                }

                plot.Title(result.Parameters[i].Spec.Name);
                plot.XLabel("kept draw");
                plot.ShowLegend(Alignment.UpperRight);
                Image(html, plot, Width, 220);
            }

            int d = result.Parameters.Count;
            if (d >= 2)
            {
                html.Append("<h2>Pair plots</h2>");
                var pooled = Enumerable.Range(0, d).Select(samples.Pooled).ToArray();
                int stride = Math.Max(1, pooled[0].Length / 2000);
                for (int a = 0; a < d; a++)
                {
                    for (int b = a + 1; b < d; b++)
                    {
                        var plot = new Plot();
                        var xs = pooled[a].Where((_, k) => k % stride == 0).ToArray();
                        var ys = pooled[b].Where((_, k) => k % stride == 0).ToArray();
                        var dots = plot.Add.ScatterPoints(xs, ys);
                        dots.MarkerSize = 3;
                        plot.XLabel(result.Parameters[a].Spec.Name);
                        plot.YLabel(result.Parameters[b].Spec.Name);
                        Image(html, plot, 440, 360);
                    }
                }
            }
        }

        html.Append("<h2>Posterior predictive</h2><p>The band holds 90 % of the posterior predictive (parameter uncertainty and noise); dots are the telemetry.</p>");
        foreach (var band in result.Predictive)
        {
            var t = band.Series.TimesUtc.Select(x => x.ToOADate()).ToArray();
            var plot = new Plot();
            var fill = plot.Add.FillY(t, band.Q05, band.Q95);
            fill.LegendText = "5–95 % predictive";
            var median = plot.Add.ScatterLine(t, band.Q50);
            median.LegendText = "predictive median";
            var obs = plot.Add.ScatterPoints(t, band.Series.Values);
            obs.MarkerSize = 3;
            obs.LegendText = "observed";
            plot.Axes.DateTimeTicksBottom();
            plot.Title(band.Series.Spec.Name);
            plot.YLabel(band.Series.Unit);
            plot.ShowLegend(Alignment.UpperRight);
            Image(html, plot, Width, Height);

            var res = new Plot();
            var r = res.Add.ScatterPoints(t, band.Residuals);
            r.MarkerSize = 3;
            res.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Dashed);
            res.Axes.DateTimeTicksBottom();
            res.Title($"{band.Series.Spec.Name}: residuals at the posterior mean");
            res.YLabel(band.Series.Unit);
            Image(html, res, Width, 220);
            double inside = band.Series.Values.Where((v, i) => v >= band.Q05[i] && v <= band.Q95[i]).Count() / (double)band.Series.Values.Length;
            html.Append(inv, $"<p>{WebUtility.HtmlEncode(band.Series.Spec.Name)}: {inside:P1} of the observations lie in the 90 % band; residual RMS {Math.Sqrt(band.Residuals.Average(x => x * x)):G4} {band.Series.Unit}.</p>");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>The predictive band of one series as a PNG (for the README).</summary>
    public static byte[] PredictivePng(PredictiveBand band, int width = Width, int height = Height)
    {
        var t = band.Series.TimesUtc.Select(x => (x - band.Series.TimesUtc[0]).TotalHours).ToArray();
        var plot = new Plot();
        var fill = plot.Add.FillY(t, band.Q05, band.Q95);
        fill.LegendText = "5–95 % posterior predictive";
        var median = plot.Add.ScatterLine(t, band.Q50);
        median.LegendText = "predictive median";
        var obs = plot.Add.ScatterPoints(t, band.Series.Values);
        obs.MarkerSize = 3;
        obs.LegendText = "synthetic telemetry";
        plot.Title(band.Series.Spec.Name);
        plot.XLabel("hours from the window's start");
        plot.YLabel(band.Series.Unit);
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static void Image(StringBuilder html, Plot plot, int width, int height) =>
        html.Append("<img src=\"data:image/png;base64,").Append(Convert.ToBase64String(plot.GetImageBytes(width, height, ImageFormat.Png))).Append("\">");

    private static string F(double x) => double.IsFinite(x) ? x.ToString("G4", CultureInfo.InvariantCulture) : "–";
}
