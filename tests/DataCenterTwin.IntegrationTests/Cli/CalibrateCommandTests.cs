using System.Text.Json.Nodes;

namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary>
/// <c>dctwin calibrate</c> and <c>dctwin run --posterior</c> as a user runs them: telemetry from a real
/// run folder (the twin's own facility schema), a fit, the fitted scenario valid as it stands, and the
/// posterior draws carried into a run's summary as bands.
/// </summary>
public class CalibrateCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dctwin-calcli-" + Guid.NewGuid().ToString("N"));

    public CalibrateCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    private const string Scenario = """
        name: small
        site:
          weather: assets/weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw
          start: 2026-07-15
          utc_offset: -5 h
          grid: { capacity: 200 kW, carbon: 400 g/kWh }
          tariff: { energy: 0.07 USD/kWh }
          power: { other_fraction_of_it: 0.05 }
        hall:
          pools:
            - { name: chat, rack: DGX-H100-rack, racks: 4, model: llama2-70b, tensor_parallel: 8, cooling: direct-to-chip }
        cooling:
          facility_supply: 14 C
          facility_delta_t: 8 K
          chillers:
            - { name: chiller-1, type: electric, capacity: 200 kW }
        workload:
          classes:
            - { name: chat, model: llama2-70b, arrivals: { process: diurnal, rate: 2 /s } }
        run: { horizon: 6 h, fidelity: fluid, seed: 42, control_step: 300 s, output_interval: 15 min }
        """;

    private const string Calibration = """
        parameters:
          - name: other_fraction
            path: site.power.other_fraction_of_it
            prior: { distribution: normal, mean: 0.07, sd: 0.02 }
        observations:
          - file: truth/facility/facility.parquet
            column: total_power_w
            noise: { model: gaussian, scale: 500 W }
        sampling: { predictive_draws: 8 }
        """;

    [Fact]
    public void Calibrate_FitsTheTwinsOwnTelemetry_ThenRunPosterior_ReportsBands()
    {
        File.WriteAllText(Path.Combine(_folder, "small.yaml"), Scenario);
        File.WriteAllText(Path.Combine(_folder, "cal.yaml"), Calibration);
        var truth = Dctwin.Run(_folder, "run", "small.yaml", "--out", "truth", "--quiet");
        Assert.True(truth.Code == 0, truth.Error);

        var fit = Dctwin.Run(_folder, "calibrate", "small.yaml", "--calibration", "cal.yaml", "--out", "cal", "--method", "laplace");
        Assert.True(fit.Code == 0, fit.Error);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "cal", "calibration.json")))!;
        double mean = (double)summary["parameters"]![0]!["mean"]!;
        // Noise-free telemetry made at 0.05 with a prior centred at 0.07: the data win by far.
        Assert.InRange(mean, 0.049, 0.051);
        Assert.False((bool)summary["converged"]!);      // a Laplace fit is never called converged
        Assert.Contains("<img src=\"data:image/png;base64,", File.ReadAllText(Path.Combine(_folder, "cal", "report.html")), StringComparison.Ordinal);
        string fitted = File.ReadAllText(Path.Combine(_folder, "cal", "small.fitted.yaml"));
        Assert.Contains("# calibrated other_fraction", fitted, StringComparison.Ordinal);
        var valid = Dctwin.Run(_folder, "validate", Path.Combine("cal", "small.fitted.yaml"));
        Assert.True(valid.Code == 0, valid.Error);

        var run = Dctwin.Run(_folder, "run", "small.yaml", "--posterior", Path.Combine("cal", "posterior.parquet"), "--draws", "4", "--out", "post", "--no-traces", "--quiet");
        Assert.True(run.Code == 0, run.Error);
        var bands = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "post", "summary.json")))!["posterior_bands"]!;
        Assert.Equal(4, (int)bands["runs"]!);
        double p05 = (double)bands["pue"]!["p05"]!, p50 = (double)bands["pue"]!["p50"]!, p95 = (double)bands["pue"]!["p95"]!;
        Assert.True(p05 < p50 && p50 < p95, $"{p05} {p50} {p95}");
        Assert.Contains("posterior draws", File.ReadAllText(Path.Combine(_folder, "post", "report.html")), StringComparison.Ordinal);

        // The same draws under two weather years. The window is 15 July, 00:00–06:00: in these TMY3
        // files the wet-bulb those hours (from their dry-bulb and dew point) is about 22.3 °C at Dulles
        // and 16.5 °C at Phoenix (hot but dry), so the tower returns colder water at Phoenix, the
        // chiller's lift is smaller and every draw's PUE is lower there than any draw's at Dulles.
        string weather = Path.Combine(global::DataCenterTwin.Scenarios.Catalog.AssetPaths.FindAssetsDirectory()!, "weather");
        string dulles = Path.Combine(weather, "USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw");
        string phoenix = Path.Combine(weather, "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw");
        var years = Dctwin.Run(_folder, "run", "small.yaml", "--posterior", Path.Combine("cal", "posterior.parquet"), "--draws", "2", "--weather-years", dulles, phoenix,
            "--out", "years", "--no-traces", "--quiet");
        Assert.True(years.Code == 0, years.Error);
        var yearBands = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "years", "summary.json")))!["posterior_bands"]!;
        Assert.Equal(4, (int)yearBands["runs"]!);
        Assert.Equal(2, yearBands["weather_years"]!.AsArray().Count);
        double pueDulles = (double)yearBands["by_weather"]![Path.GetFileName(dulles)]!["pue"]!["p05"]!;
        double puePhoenix = (double)yearBands["by_weather"]![Path.GetFileName(phoenix)]!["pue"]!["p95"]!;
        Assert.True(puePhoenix < pueDulles, $"PUE at Phoenix {puePhoenix}, at Dulles {pueDulles}");
        Assert.Contains("Under the weather of", File.ReadAllText(Path.Combine(_folder, "years", "report.html")), StringComparison.Ordinal);

        var missing = Dctwin.Run(_folder, "run", "small.yaml", "--posterior", Path.Combine("cal", "posterior.parquet"), "--weather-years", "no-such.epw", "--out", "none", "--quiet");
        Assert.Equal(2, missing.Code);
        Assert.Contains("no-such.epw", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_APathTheScenarioLacks_Exits2_NamingIt()
    {
        File.WriteAllText(Path.Combine(_folder, "small.yaml"), Scenario);
        File.WriteAllText(Path.Combine(_folder, "t.csv"), "time,kw\n2026-07-15T05:00:00Z,100\n2026-07-15T05:15:00Z,101\n");
        File.WriteAllText(Path.Combine(_folder, "cal.yaml"), """
            parameters:
              - { name: approach, path: cooling.towr.approach, unit: K, prior: { mean: 4, sd: 1 } }
            observations:
              - { file: t.csv, column: total_power_w, source_column: kw, unit: kW, noise: { scale: 1 kW } }
            """);
        var fit = Dctwin.Run(_folder, "calibrate", "small.yaml", "--calibration", "cal.yaml", "--out", "cal");
        Assert.Equal(2, fit.Code);
        Assert.Contains("cooling.towr.approach", fit.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "cal")));
    }
}
