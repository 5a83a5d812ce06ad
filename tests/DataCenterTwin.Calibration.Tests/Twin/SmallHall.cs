using System.Globalization;
using DataCenterTwin.Calibration.Priors;
using DataCenterTwin.Calibration.Twin;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Calibration.Tests.Twin;

/// <summary>
/// The cheap forward model the twin-side tests fit: quick.yaml's four DGX-H100 racks with a five-minute
/// control step and quarter-hour output, so one run of half a day is 144 control steps.
/// </summary>
internal static class SmallHall
{
    public const string Yaml = """
        name: small-calibration-hall
        site:
          weather: assets/weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw
          start: 2026-07-15
          utc_offset: -5 h
          grid: { capacity: 200 kW, carbon: 400 g/kWh }
          tariff: { energy: 0.07 USD/kWh }
          power: { other_fraction_of_it: 0.05 }
        hall:
          pools:
            - name: chat
              rack: DGX-H100-rack
              racks: 4
              model: llama2-70b
              tensor_parallel: 8
              cooling: direct-to-chip
        cooling:
          facility_supply: 14 C
          facility_delta_t: 8 K
          chillers:
            - name: chiller-1
              type: electric
              capacity: 200 kW
        workload:
          classes:
            - name: chat
              model: llama2-70b
              arrivals: { process: diurnal, rate: 2 /s }
        run:
          horizon: 1 d
          fidelity: fluid
          seed: 42
          control_step: 300 s
          output_interval: 15 min
        """;

    /// <summary>The scenario's start in UTC (2026-07-15 local, UTC−5).</summary>
    public static readonly DateTime StartUtc = new(2026, 7, 15, 5, 0, 0, DateTimeKind.Utc);

    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "small.yaml");
        File.WriteAllText(path, Yaml);
        return path;
    }

    public static string Assets => AssetPaths.FindAssetsDirectory()!;

    public static ObservationSpec TotalPower(double noiseW, string file = "synthetic.parquet") =>
        new("total_power_w", file, TwinDataset.Facility, "total_power_w", "total_power_w", null, "time", null, null,
            new NoiseSpec(NoiseKind.Gaussian, noiseW, null, double.PositiveInfinity));

    /// <summary>
    /// Synthetic telemetry: the twin at <paramref name="truth"/> over <paramref name="rows"/> quarter
    /// hours from the start, plus Gaussian noise of <paramref name="noiseW"/> drawn from <paramref name="rng"/>.
    /// </summary>
    public static ObservedSeries[] Synthetic(string scenario, IReadOnlyList<ParameterSpec> parameters, double[] truth, int rows, double noiseW, RandomStream rng)
    {
        var times = Enumerable.Range(0, rows).Select(k => StartUtc.AddSeconds(900.0 * k)).ToArray();
        var shape = new ObservedSeries(TotalPower(noiseW), times, new double[rows], 0, 0);
        var model = new TwinForwardModel(scenario, Assets, parameters, [shape]);
        var clean = model.NewPrediction();
        Assert.True(model.Predict(truth, clean));
        return [shape with { Values = [.. clean[0].Select(v => v + rng.Normal(0, noiseW))] }];
    }

    public static string Invariant(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    public static ParameterSpec OtherFraction(double mean = 0.05, double sd = 0.01) =>
        new("other_fraction", "site.power.other_fraction_of_it", "", new NormalPrior(mean, sd));
}
