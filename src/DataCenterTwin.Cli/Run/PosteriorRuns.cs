using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DataCenterTwin.Calibration.Output;
using DataCenterTwin.Runs;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Cli.Run;

/// <summary>
/// <c>dctwin run SCENARIO --posterior samples.parquet --draws N --seeds M</c>: the scenario run at
/// N posterior draws (evenly spaced through the chains) times M seeds, on every core, each run its
/// own session on its own thread; the 5/50/95 % of each headline figure go into summary.json
/// (<c>posterior_bands</c>) and the report. Results are stored by run index, so the bands do not
/// depend on which core finished first.
/// </summary>
internal static class PosteriorRuns
{
    /// <summary>The figures banded: the summary's keys.</summary>
    public static readonly string[] Keys = ["pue", "peak_grid_kw", "freed_capacity_peak_kw", "cost", "co2_kg", "slo_attainment"];

    /// <summary>The overrides that put draw <paramref name="row"/> into the scenario (noise scales have no path and are left out).</summary>
    public static Dictionary<string, string> Overrides(PosteriorDraws posterior, double[] row, IReadOnlyDictionary<string, string> baseOverrides)
    {
        var o = new Dictionary<string, string>(baseOverrides, StringComparer.Ordinal);
        for (int i = 0; i < posterior.Columns.Count; i++)
        {
            var c = posterior.Columns[i];
            if (c.Path.Length > 0)
            {
                string v = row[i].ToString("R", CultureInfo.InvariantCulture);
                o[c.Path] = c.Unit.Length == 0 ? v : $"{v} {c.Unit}";
            }
        }

        return o;
    }

    /// <summary>The posterior mean of every column.</summary>
    public static double[] Mean(PosteriorDraws posterior) =>
        [.. Enumerable.Range(0, posterior.Columns.Count).Select(i => posterior.Draws.Average(d => d[i]))];

    /// <summary>
    /// Runs the draws (times the seeds, times the weather years when <paramref name="weatherYears"/>
    /// names EPW files) and returns the bands as summary.json holds them: over every run, and with
    /// weather years also per file (<c>by_weather</c>), so a band that is mostly weather shows as such.
    /// </summary>
    public static JsonObject Run(string scenarioPath, string? assets, PosteriorDraws posterior, int draws, int seeds, IReadOnlyDictionary<string, string> baseOverrides, ulong baseSeed,
        IReadOnlyList<string>? weatherYears = null)
    {
        int n = Math.Min(draws, posterior.Draws.Length);
        string?[] years = weatherYears is { Count: > 0 } ? [.. weatherYears.Select(Path.GetFullPath)] : [null];
        var runs = new (int Draw, ulong Seed, int Year)[n * seeds * years.Length];
        for (int k = 0; k < n; k++)
        {
            for (int s = 0; s < seeds; s++)
            {
                for (int y = 0; y < years.Length; y++)
                {
                    runs[((k * seeds) + s) * years.Length + y] = ((int)((long)k * posterior.Draws.Length / n), baseSeed + (ulong)s, y);
                }
            }
        }

        var figures = new double?[runs.Length][];
        Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, r =>
        {
            var o = Overrides(posterior, posterior.Draws[runs[r].Draw], baseOverrides);
            o["run.seed"] = runs[r].Seed.ToString(CultureInfo.InvariantCulture);
            if (years[runs[r].Year] is { } epw)
            {
                o["site.weather"] = epw;
            }

            var (spec, errors) = ScenarioLoader.Load(scenarioPath, assets, o);
            if (spec is null)
            {
                // A draw the scenario rejects (a value out of its range) has no figures; it is counted below.
                figures[r] = [.. Keys.Select(_ => (double?)null)];
                return;
            }

            var session = new TwinSession(spec with { Run = spec.Run with { Windows = [] } }, Scenarios.Sections.Fidelity.Fluid);
            session.RunToHorizon();
            var summary = session.Summary();
            figures[r] = [.. Keys.Select(key => summary[key])];
        });

        var bands = new JsonObject
        {
            ["draws"] = n,
            ["seeds"] = seeds,
            ["runs"] = runs.Length,
            ["rejected_draws"] = figures.Count(f => f.All(v => v is null)),
            ["posterior_converged"] = posterior.Converged,
        };
        AddBands(bands, figures);
        if (years[0] is not null)
        {
            // Keyed by file name only: summary.json holds no machine's paths.
            bands["weather_years"] = new JsonArray([.. years.Select(y => (JsonNode?)JsonValue.Create(Path.GetFileName(y)))]);
            var byWeather = new JsonObject();
            for (int y = 0; y < years.Length; y++)
            {
                var year = new JsonObject();
                AddBands(year, [.. figures.Where((_, r) => runs[r].Year == y)]);
                byWeather[Path.GetFileName(years[y])!] = year;
            }

            bands["by_weather"] = byWeather;
        }

        return bands;
    }

    private static void AddBands(JsonObject into, double?[][] figures)
    {
        for (int i = 0; i < Keys.Length; i++)
        {
            var values = figures.Select(f => f[i]).Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
            into[Keys[i]] = values.Length == 0 ? null : new JsonObject
            {
                ["p05"] = Math.Round(Quantile(values, 0.05), 6),
                ["p50"] = Math.Round(Quantile(values, 0.5), 6),
                ["p95"] = Math.Round(Quantile(values, 0.95), 6),
            };
        }
    }

    /// <summary>Adds the bands to the run folder's summary.json and report.html.</summary>
    public static void AddToFolder(string folder, JsonObject bands)
    {
        string summaryPath = Path.Combine(folder, "summary.json");
        var summary = JsonNode.Parse(File.ReadAllText(summaryPath))!.AsObject();
        summary["posterior_bands"] = bands.DeepClone();
        RunCommand.WriteAtomically(summaryPath, summary.ToJsonString(new() { WriteIndented = true }) + "\n");

        string reportPath = Path.Combine(folder, "report.html");
        if (File.Exists(reportPath))
        {
            string html = File.ReadAllText(reportPath);
            int end = html.LastIndexOf("</body>", StringComparison.Ordinal);
            if (end >= 0)
            {
                RunCommand.WriteAtomically(reportPath, html[..end] + Html(bands) + html[end..]);
            }
        }
    }

    /// <summary>The bands as lines for the terminal.</summary>
    public static void Print(JsonObject bands, TextWriter output)
    {
        int years = bands["weather_years"] is JsonArray a ? a.Count : 1;
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "posterior bands over {0} draws × {1} seeds{2} ({3} runs){4}:", bands["draws"], bands["seeds"],
            years > 1 ? $" × {years} weather years" : "", bands["runs"], (bool)bands["posterior_converged"]! ? "" : " — the posterior was NOT called converged"));
        PrintBands(bands, output, "  ");
        if (bands["by_weather"] is JsonObject byWeather)
        {
            foreach (var (file, year) in byWeather)
            {
                output.WriteLine($"  under {file}:");
                PrintBands(year!.AsObject(), output, "    ");
            }
        }
    }

    private static void PrintBands(JsonObject bands, TextWriter output, string indent)
    {
        foreach (string key in Keys)
        {
            if (bands[key] is JsonObject b)
            {
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}{1,-24} 5 % {2,14:G6}   50 % {3,14:G6}   95 % {4,14:G6}", indent, key, (double)b["p05"]!, (double)b["p50"]!, (double)b["p95"]!));
            }
        }
    }

    private static string Html(JsonObject bands)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<h2>Uncertainty: {bands["draws"]} posterior draws × {bands["seeds"]} seeds</h2>");
        if (!(bool)bands["posterior_converged"]!)
        {
            sb.Append("<p><b>The posterior these draws come from was not called converged.</b></p>");
        }

        Table(sb, bands);
        if (bands["by_weather"] is JsonObject byWeather)
        {
            foreach (var (file, year) in byWeather)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<h3>Under the weather of {WebUtility.HtmlEncode(file)}</h3>");
                Table(sb, year!.AsObject());
            }
        }

        return sb.ToString();
    }

    private static void Table(StringBuilder sb, JsonObject bands)
    {
        sb.Append("<table><tr><th>figure</th><th>5 %</th><th>50 %</th><th>95 %</th></tr>");
        foreach (string key in Keys)
        {
            if (bands[key] is JsonObject b)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(key)}</td><td>{(double)b["p05"]!:G6}</td><td>{(double)b["p50"]!:G6}</td><td>{(double)b["p95"]!:G6}</td></tr>");
            }
        }

        sb.Append("</table>");
    }

    // Hyndman and Fan type 7, as the sampler's summaries.
    private static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
