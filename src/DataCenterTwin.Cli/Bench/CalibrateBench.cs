using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DataCenterTwin.Calibration.Output;
using DataCenterTwin.Calibration.Priors;
using DataCenterTwin.Calibration.Sampling;
using DataCenterTwin.Calibration.Twin;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench calibrate</c>: four parameters of a 48-rack hall fitted by MCMC to a week of
/// five-minute synthetic telemetry (the twin at known values plus Gaussian noise): twin runs
/// (likelihoods) per second, effective samples per second, the largest R-hat and the wall time; then
/// the coverage of the 90 % interval over repeated synthetic fits (truth drawn from the prior) of a
/// four-rack six hours, two parameters (one the quarter-hour means cannot see), fitted by MCMC (or by
/// the Laplace stage, as the test suite checks it, with <c>--coverage-method laplace</c>).
/// </summary>
internal static class CalibrateBench
{
    private const string HallYaml = """
        name: bench-calibration-hall
        site:
          weather: assets/weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw
          start: 2026-07-13
          utc_offset: -5 h
          grid: { capacity: {GRID}, carbon: 400 g/kWh }
          tariff: { energy: 0.07 USD/kWh, demand_charge: 12 USD/kW }
          power: { other_fraction_of_it: 0.05 }
        hall:
          pools:
            - name: chat
              rack: DGX-H100-rack
              racks: {RACKS}
              model: llama2-70b
              tensor_parallel: 8
              cooling: direct-to-chip
        cooling:
          facility_supply: 14 C
          facility_delta_t: 8 K
          tower: { approach: 4 K }
          chillers:
            - name: chiller-1
              type: electric
              capacity: {CHILLER}
            - name: chiller-2
              type: electric
              capacity: {CHILLER}
        workload:
          classes:
            - name: chat
              model: llama2-70b
              arrivals: { process: diurnal, rate: {RATE} /s }
        run:
          horizon: {DAYS} d
          fidelity: fluid
          seed: 42
          control_step: 300 s
          output_interval: {OUTPUT}
        """;

    public static Command CreateCommand()
    {
        var racks = new Option<int>("--racks") { Description = "Racks in the hall.", DefaultValueFactory = _ => 48 };
        var days = new Option<int>("--days") { Description = "Days of telemetry.", DefaultValueFactory = _ => 7 };
        var chains = new Option<int>("--chains") { Description = "MCMC chains.", DefaultValueFactory = _ => 4 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up iterations per chain.", DefaultValueFactory = _ => 500 };
        var draws = new Option<int>("--draws") { Description = "Kept draws per chain.", DefaultValueFactory = _ => 500 };
        var fits = new Option<int>("--fits") { Description = "Repeated synthetic fits for the coverage (0: skip).", DefaultValueFactory = _ => 40 };
        var coverageMethod = new Option<string>("--coverage-method") { Description = "How the repeated fits are made: mcmc or laplace.", DefaultValueFactory = _ => "mcmc" };
        var average = new Option<double>("--average-s") { Description = "Compare hourly or other window means of the telemetry rather than each row (seconds; 0: each row).", DefaultValueFactory = _ => 0 };
        var png = new Option<string?>("--png") { Description = "Write the posterior predictive plot of total power to this PNG." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var coverageWarmup = new Option<int>("--coverage-warmup") { Description = "Warm-up iterations per chain of each repeated MCMC fit.", DefaultValueFactory = _ => 300 };
        var coverageDraws = new Option<int>("--coverage-draws") { Description = "Kept draws per chain of each repeated MCMC fit.", DefaultValueFactory = _ => 400 };
        var band = new Option<double>("--staging-band") { Description = "Band of chiller part-load ratio over which the forward runs blend N and N+1 chillers (0: crisp staging, as ordinary runs).", DefaultValueFactory = _ => 0.1 };
        var sampler = new Option<string>("--sampler") { Description = "The MCMC kernel: am (adaptive Metropolis with independence steps) or de-mcz (differential evolution, ter Braak and Vrugt 2008).", DefaultValueFactory = _ => "am" };
        var command = new Command("calibrate", "MCMC calibration of a 48-rack hall against a week of synthetic telemetry, and the coverage of repeated fits.")
        {
            racks, days, chains, warmup, draws, fits, coverageMethod, average, png, json, sampler, band, coverageWarmup, coverageDraws,
        };
        command.SetAction(parse => Run(parse.GetValue(racks), parse.GetValue(days), parse.GetValue(chains), parse.GetValue(warmup), parse.GetValue(draws),
            parse.GetValue(fits), parse.GetValue(coverageMethod)!, parse.GetValue(average), parse.GetValue(png), parse.GetValue(json),
            parse.GetValue(sampler)!, parse.GetValue(band), parse.GetValue(coverageWarmup), parse.GetValue(coverageDraws)));
        return command;
    }

    private static int Run(int racks, int days, int chains, int warmup, int draws, int fits, string coverageMethod, double averageS, string? png, bool json,
        string samplerName, double band, int coverageWarmup, int coverageDraws)
    {
        if (!(band >= 0 && band < 0.4))
        {
            Console.Error.WriteLine($"error: --staging-band: expected a part-load ratio band from 0 to 0.4, got {band.ToString(CultureInfo.InvariantCulture)}");
            return Program.ExitInvalidInput;
        }

        if (coverageMethod is not ("mcmc" or "laplace"))
        {
            Console.Error.WriteLine($"error: --coverage-method: expected mcmc or laplace, got \"{coverageMethod}\"");
            return Program.ExitInvalidInput;
        }

        if (samplerName is not ("am" or "de-mcz"))
        {
            Console.Error.WriteLine($"error: --sampler: expected am or de-mcz, got \"{samplerName}\"");
            return Program.ExitInvalidInput;
        }

        var sampler = samplerName == "de-mcz" ? McmcSampler.DifferentialEvolution : McmcSampler.AdaptiveMetropolis;

        var inv = CultureInfo.InvariantCulture;
        string folder = Path.Combine(Path.GetTempPath(), "dctwin-bench-calibrate-" + Environment.ProcessId.ToString(inv));
        Directory.CreateDirectory(folder);
        try
        {
            string assets = AssetPaths.FindAssetsDirectory() ?? "assets";
            // Sized as quick.yaml per rack: about 32 kW of IT and 1 request/s per two racks.
            string scenario = Write(folder, "hall.yaml", racks, days, "5 min");
            var parameters = new[]
            {
                new ParameterSpec("other_fraction", "site.power.other_fraction_of_it", "", new NormalPrior(0.05, 0.01)),
                new ParameterSpec("arrival_rate", "workload.classes[0].arrivals.rate", "/s", new LogNormalPrior(Math.Log(racks * 0.5), 0.1)),
                new ParameterSpec("tower_approach", "cooling.tower.approach", "K", new NormalPrior(4, 1)),
                new ParameterSpec("facility_supply", "cooling.facility_supply", "C", new NormalPrior(14, 1)),
            };
            double[] truth = [0.055, racks * 0.5 * 1.05, 4.5, 13.5];
            int rows = days * 288;
            var times = Enumerable.Range(0, rows).Select(k => new DateTime(2026, 7, 13, 5, 0, 0, DateTimeKind.Utc).AddMinutes(5.0 * k)).ToArray();
            ObservationSpec Observed(string column, double noiseW) =>
                new(column, "synthetic", TwinDataset.Facility, column, column, null, "time", null, null, new NoiseSpec(NoiseKind.Gaussian, noiseW, null, double.PositiveInfinity));
            var shapes = new[] { Observed("total_power_w", 5_000), Observed("it_power_w", 3_000), Observed("cooling_electric_power_w", 2_000) }
                .Select(o => new ObservedSeries(o, times, new double[rows], 0, 0)).ToArray();
            var truthModel = new TwinForwardModel(scenario, assets, parameters, shapes) { StagingBlendBandRatio = band };
            var clean = truthModel.NewPrediction();
            if (!truthModel.Predict(truth, clean))
            {
                Console.Error.WriteLine("error: the bench scenario rejects its own true values");
                return Program.ExitFailure;
            }

            var rng = new RandomStreams(7).For("bench/noise");
            var series = shapes.Select((s, i) => s with { Values = [.. clean[i].Select(v => v + s.Spec.Noise.ScaleSi!.Value * rng.Normal(0, 1))] }).ToArray();
            var calibration = new TwinCalibration(new TwinForwardModel(scenario, assets, parameters, series) { StagingBlendBandRatio = band }, parameters, averageS);
            var clock = Stopwatch.StartNew();
            var result = calibration.Fit(PosteriorMethod.Mcmc, new McmcOptions(chains, warmup, draws, 1, 1) { Sampler = sampler }, predictiveDraws: png is null ? 0 : 40);
            double wallS = clock.Elapsed.TotalSeconds;
            double essMin = result.Samples!.EssMin;
            if (png is not null && result.Predictive.Count > 0)
            {
                File.WriteAllBytes(png, CalibrationReport.PredictivePng(result.Predictive[0]));
            }

            var method = coverageMethod == "mcmc" ? PosteriorMethod.Mcmc : PosteriorMethod.Laplace;
            var (table, coverageWallS) = fits > 0 ? Coverage(folder, assets, fits, method, sampler, band, coverageWarmup, coverageDraws) : ([], 0);
            double coverage = table.Length > 0 ? table[0].Coverage : double.NaN;
            var figures = new JsonObject
            {
                ["racks"] = racks,
                ["days"] = days,
                ["observations"] = rows * shapes.Length,
                ["parameters"] = parameters.Length,
                ["chains"] = chains,
                ["average_s"] = averageS,
                ["sampler"] = samplerName,
                ["staging_band"] = band,
                ["warmup"] = warmup,
                ["draws"] = draws,
                ["twin_runs"] = result.Evaluations,
                ["wall_s"] = Math.Round(wallS, 2),
                ["likelihoods_per_s"] = Math.Round(result.Evaluations / wallS, 3),
                ["ess_min"] = Math.Round(essMin, 1),
                ["ess_per_s"] = Math.Round(essMin / wallS, 4),
                ["rhat_max"] = Math.Round(result.Samples.RhatMax, 4),
                ["converged"] = result.Converged,
                ["restarted_chains"] = result.Samples.RestartedChains,
                ["acceptance"] = Math.Round(result.Samples.Chains.Average(c => c.AcceptanceRate), 3),
                ["independence_acceptance"] = result.Samples.Chains.All(c => double.IsFinite(c.IndependenceAcceptanceRate))
                    ? Math.Round(result.Samples.Chains.Average(c => c.IndependenceAcceptanceRate), 3) : null,
                ["laplace"] = result.Map.Covariance is not null,
                ["truth_in_90"] = parameters.Select((p, i) => truth[i] >= result.Parameters[i].Summary.Q05 && truth[i] <= result.Parameters[i].Summary.Q95).Count(b => b),
                ["coverage_90"] = double.IsFinite(coverage) ? Math.Round(coverage, 4) : null,
                ["coverage_fits"] = fits,
                ["coverage_90_interval_95"] = double.IsFinite(coverage) ? ClopperPearson((int)Math.Round(coverage * fits), fits) : null,
                ["coverage_method"] = coverageMethod,
                ["coverage_case"] = "4 racks, 6 h of quarter-hour total power; other_fraction_of_it ~ N(0.05, 0.01) (coverage_90) and the accelerators' "
                    + "time constant ~ N(60 s, 10 s), which quarter-hour means cannot see; " + (method == PosteriorMethod.Mcmc
                        ? $"MCMC fits of {CoverageChains} chains × ({coverageWarmup} warm-up + {coverageDraws} draws)" : "Laplace fits"),
                ["coverage_by_parameter"] = new JsonObject([.. table.Select(t => KeyValuePair.Create(t.Name, (JsonNode?)new JsonObject
                {
                    ["coverage_90"] = Math.Round(t.Coverage, 4),
                    ["width_over_prior"] = Math.Round(t.WidthRatio, 4),
                    ["rhat_max"] = double.IsFinite(t.RhatMax) ? Math.Round(t.RhatMax, 4) : null,
                }))]),
                ["coverage_wall_s"] = Math.Round(coverageWallS, 2),
            };
            if (json)
            {
                Console.WriteLine(figures.ToJsonString(new() { WriteIndented = true }));
                return Program.ExitOk;
            }

            Console.WriteLine(string.Format(inv, "{0} racks, {1} d of 5-min telemetry ({2:N0} values), 4 parameters, {3} chains × ({4} warm-up + {5} draws):",
                racks, days, rows * shapes.Length, chains, warmup, draws));
            Console.WriteLine(string.Format(inv, "  {0:N0} twin runs in {1:F1} s: {2:F2} likelihoods/s; min ESS {3:F0}: {4:F3} effective samples/s; R-hat max {5:F4} ({6})",
                result.Evaluations, wallS, result.Evaluations / wallS, essMin, essMin / wallS, result.Samples.RhatMax, result.Converged ? "converged" : "NOT converged"));
            foreach (var (p, i) in result.Parameters.Select((p, i) => (p, i)))
            {
                Console.WriteLine(string.Format(inv, "  {0,-16} truth {1,10:G5}  mean {2,10:G5}  90 % [{3:G5}, {4:G5}]  R-hat {5:F3}  ESS {6:F0}", p.Spec.Name, truth[i],
                    p.Summary.Mean, p.Summary.Q05, p.Summary.Q95, p.Summary.Rhat, p.Summary.EffectiveSampleSize));
            }

            if (double.IsFinite(coverage))
            {
                Console.WriteLine(string.Format(inv, "  coverage of the 90 % interval over {0} synthetic {1} fits ({2:F1} s):", fits, coverageMethod, coverageWallS));
                foreach (var t in table)
                {
                    Console.WriteLine(string.Format(inv, "    {0,-26} {1,6:P1}  posterior sd / prior sd {2:F3}  worst R-hat {3:F3}", t.Name, t.Coverage, t.WidthRatio, t.RhatMax));
                }
            }

            return Program.ExitOk;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Write(string folder, string name, int racks, int days, string output)
    {
        var inv = CultureInfo.InvariantCulture;
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, HallYaml.Replace("{RACKS}", racks.ToString(inv), StringComparison.Ordinal)
            .Replace("{DAYS}", days.ToString(inv), StringComparison.Ordinal)
            .Replace("{OUTPUT}", output, StringComparison.Ordinal)
            .Replace("{RATE}", (racks * 0.5).ToString("R", inv), StringComparison.Ordinal)
            .Replace("{GRID}", $"{Math.Max(200, racks * 60).ToString(inv)} kW", StringComparison.Ordinal)
            .Replace("{CHILLER}", $"{Math.Max(100, racks * 25).ToString(inv)} kW", StringComparison.Ordinal));
        return path;
    }

    // The exact (Clopper–Pearson) 95 % interval of a binomial share k/n: how far 40 fits pin the coverage down.
    private static JsonArray ClopperPearson(int k, int n) =>
    [
        Math.Round(k == 0 ? 0 : MathNet.Numerics.Distributions.Beta.InvCDF(k, n - k + 1, 0.025), 4),
        Math.Round(k == n ? 1 : MathNet.Numerics.Distributions.Beta.InvCDF(k + 1, n - k, 0.975), 4),
    ];

    private const int CoverageChains = 2;

    // Simulation-based calibration (Talts et al., 2018) on a small case: truth from the prior, data
    // from the twin plus noise, a fit; per parameter, the share of 90 % intervals that hold the truth,
    // the mean posterior sd over the prior's and the worst R-hat of the fits.
    private static ((string Name, double Coverage, double WidthRatio, double RhatMax)[] Table, double WallS) Coverage(string folder, string assets, int fits, PosteriorMethod method,
        McmcSampler sampler, double band, int warmup, int draws)
    {
        var clock = Stopwatch.StartNew();
        string scenario = Write(folder, "small.yaml", 4, 1, "15 min");
        ParameterSpec[] parameters =
        [
            new("other_fraction", "site.power.other_fraction_of_it", "", new NormalPrior(0.05, 0.01)),
            new("accelerator_time_constant", "hall.accelerators.time_constant", "s", new NormalPrior(60, 10)),
        ];
        var times = Enumerable.Range(0, 24).Select(k => new DateTime(2026, 7, 13, 5, 0, 0, DateTimeKind.Utc).AddMinutes(15.0 * k)).ToArray();
        var spec = new ObservationSpec("total_power_w", "synthetic", TwinDataset.Facility, "total_power_w", "total_power_w", null, "time", null, null,
            new NoiseSpec(NoiseKind.Gaussian, 2_000, null, double.PositiveInfinity));
        var shape = new ObservedSeries(spec, times, new double[times.Length], 0, 0);
        var streams = new RandomStreams(2024);
        var covered = new bool[fits, parameters.Length];
        var ratio = new double[fits, parameters.Length];
        var rhat = new double[fits, parameters.Length];
        Parallel.For(0, fits, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, f =>
        {
            var rng = streams.For($"sbc/{f}");
            double[] truth = [.. parameters.Select(p => p.Prior.Sample(rng))];
            var model = new TwinForwardModel(scenario, assets, parameters, [shape]) { StagingBlendBandRatio = band };
            var clean = model.NewPrediction();
            model.Predict(truth, clean);
            var observed = shape with { Values = [.. clean[0].Select(v => v + rng.Normal(0, 2_000))] };
            var fit = new TwinCalibration(new TwinForwardModel(scenario, assets, parameters, [observed]) { StagingBlendBandRatio = band }, parameters)
                .Fit(method, new McmcOptions(CoverageChains, warmup, draws, 1, (ulong)(1000 + f)) { Sampler = sampler }, 0);
            for (int i = 0; i < parameters.Length; i++)
            {
                var s = fit.Parameters[i].Summary;
                covered[f, i] = truth[i] >= s.Q05 && truth[i] <= s.Q95;
                ratio[f, i] = fit.Parameters[i].WidthRatio;
                rhat[f, i] = s.Rhat;
            }
        });

        var table = parameters.Select((p, i) => (p.Name,
            Enumerable.Range(0, fits).Count(f => covered[f, i]) / (double)fits,
            Enumerable.Range(0, fits).Average(f => ratio[f, i]),
            Enumerable.Range(0, fits).Max(f => rhat[f, i]))).ToArray();
        return (table, clock.Elapsed.TotalSeconds);
    }
}
