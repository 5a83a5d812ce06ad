using DataCenterTwin.Calibration.Priors;
using DataCenterTwin.Calibration.Sampling;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Calibration.Twin;

/// <summary>A scenario value to fit, addressed by its override path.</summary>
/// <param name="Name">Short name for tables and columns.</param>
/// <param name="Path">The scenario override path (<c>cooling.tower.approach</c>, <c>hall.pools[0].racks</c>).</param>
/// <param name="Unit">The unit its prior and draws are in, written after the number in the override ("K", "kW", "" for a bare number).</param>
/// <param name="Prior">Its prior, in <paramref name="Unit"/>.</param>
public sealed record ParameterSpec(string Name, string Path, string Unit, Prior Prior);

/// <summary>How an observed series scatters about the twin's value.</summary>
public enum NoiseKind
{
    /// <summary>Normal errors.</summary>
    Gaussian,

    /// <summary>Student-t errors: heavy tails, so a few bad readings do not drag the fit.</summary>
    StudentT,
}

/// <summary>A series' noise model: a given scale (SI), or a scale fitted under <paramref name="ScalePrior"/> (SI).</summary>
/// <param name="Kind">Gaussian or Student-t.</param>
/// <param name="ScaleSi">The given scale, in the series' SI unit; null when fitted.</param>
/// <param name="ScalePrior">Prior of the fitted scale, SI; null when given.</param>
/// <param name="DegreesOfFreedom">Student-t degrees of freedom.</param>
public sealed record NoiseSpec(NoiseKind Kind, double? ScaleSi, Prior? ScalePrior, double DegreesOfFreedom);

/// <summary>An observed series: a column of a telemetry file compared with a column of the twin's traces.</summary>
/// <param name="Name">Its name in tables and plots.</param>
/// <param name="File">The telemetry file (Parquet, or CSV), full path.</param>
/// <param name="Dataset">The twin dataset it is compared with.</param>
/// <param name="Column">The twin's column (SCHEMA.md).</param>
/// <param name="SourceColumn">The file's column holding it (the column map; default: the twin's name).</param>
/// <param name="SourceUnit">The file's unit for it, null to take it from the file's metadata or else the twin's.</param>
/// <param name="TimeColumn">The file's time column (UTC timestamps, or ISO 8601 text in CSV).</param>
/// <param name="Rack">For the racks dataset: the rack index.</param>
/// <param name="Equipment">For the plant dataset: the equipment's name.</param>
/// <param name="Noise">Its noise model.</param>
public sealed record ObservationSpec(string Name, string File, TwinDataset Dataset, string Column, string SourceColumn, string? SourceUnit,
    string TimeColumn, int? Rack, string? Equipment, NoiseSpec Noise);

/// <summary>A calibration file: what to fit, against what, and how to sample.</summary>
/// <param name="Parameters">The parameters to fit.</param>
/// <param name="Observations">The observed series.</param>
/// <param name="Sampling">MCMC settings.</param>
/// <param name="PredictiveDraws">Posterior draws run forward for the predictive bands.</param>
public sealed record CalibrationSpec(IReadOnlyList<ParameterSpec> Parameters, IReadOnlyList<ObservationSpec> Observations, McmcOptions Sampling,
    int PredictiveDraws)
{
    /// <summary>
    /// Reads a calibration file, collecting every error with its place (<c>file:line:column: path:
    /// what was expected</c>), as scenarios are read; null with the errors when any.
    /// </summary>
    public static (CalibrationSpec? Spec, IReadOnlyList<ScenarioError> Errors) Load(string path)
    {
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.Load(path, errors);
        if (root is null)
        {
            return (null, errors);
        }

        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var context = new ScenarioContext(folder);
        context.Errors.AddRange(errors);
        var r = new MapReader(root, "", context);
        var parameters = new List<ParameterSpec>();
        foreach (var p in r.Children("parameters", required: true))
        {
            string name = p.Text("name", "");
            string target = p.Text("path");
            if (name.Length == 0)
            {
                name = target;
            }

            string unit = p.Text("unit", "");
            var prior = ReadPrior(p.Child("prior", required: true), null);
            if (parameters.Any(x => x.Name == name))
            {
                p.Error("name", $"a parameter named \"{name}\" is already listed");
            }

            p.Done();
            if (prior is not null)
            {
                parameters.Add(new ParameterSpec(name, target, unit, prior));
            }
        }

        var observations = new List<ObservationSpec>();
        foreach (var o in r.Children("observations", required: true))
        {
            var observation = ReadObservation(o, folder);
            if (observation is not null)
            {
                if (observations.Any(x => x.Name == observation.Name))
                {
                    o.Error("name", $"an observation named \"{observation.Name}\" is already listed; give each a distinct name");
                }

                observations.Add(observation);
            }
        }

        var sampling = new McmcOptions();
        int predictive = 100;
        if (r.Child("sampling") is { } s)
        {
            sampling = new McmcOptions((int)s.WholeNumber("chains", 4, min: 2, max: 64), (int)s.WholeNumber("warmup", 1000, min: 10, max: 10_000_000),
                (int)s.WholeNumber("draws", 1000, min: 10, max: 10_000_000), (int)s.WholeNumber("thin", 1, min: 1, max: 10_000),
                (ulong)s.WholeNumber("seed", 42, min: 0))
            {
                Sampler = s.Text("sampler", "adaptive-metropolis", "adaptive-metropolis", "de-mcz") == "de-mcz"
                    ? McmcSampler.DifferentialEvolution : McmcSampler.AdaptiveMetropolis,
            };
            predictive = (int)s.WholeNumber("predictive_draws", predictive, min: 1, max: 100_000);
            s.Done();
        }

        r.Done();
        return context.Errors.Count > 0 ? (null, context.Errors) : (new CalibrationSpec(parameters, observations, sampling, predictive), context.Errors);
    }

    private static ObservationSpec? ReadObservation(MapReader o, string folder)
    {
        string file = o.Text("file");
        string datasetName = o.Text("dataset", "facility", "facility", "racks", "plant");
        var dataset = TwinSeries.Dataset(datasetName) ?? TwinDataset.Facility;
        string column = o.Text("column");
        string source = o.Text("source_column", column);
        string? sourceUnit = o.Has("unit") ? o.Text("unit") : null;
        o.Accept("unit");
        string time = o.Text("time_column", "time");
        int? rack = null;
        string? equipment = null;
        if (dataset == TwinDataset.Racks)
        {
            rack = (int)o.WholeNumber("rack", min: 0, max: 1_000_000);
        }
        else if (dataset == TwinDataset.Plant)
        {
            equipment = o.Text("equipment");
        }

        string name = o.Text("name", rack is { } k ? $"{column}[rack {k}]" : equipment is not null ? $"{column}[{equipment}]" : column);
        var known = TwinSeries.Columns(dataset);
        if (column.Length > 0 && !known.Contains(column))
        {
            o.Error("column", $"the {datasetName} dataset has no column \"{column}\" to compare with; known: {string.Join(", ", known)}");
            return null;
        }

        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, file));
        if (file.Length > 0 && !File.Exists(full))
        {
            o.Error("file", $"no telemetry file {full}");
        }

        var dimension = DimensionOf(TwinSeries.Unit(dataset, column));
        var noise = ReadNoise(o.Child("noise", required: true), dimension);
        o.Done();
        return noise is null || column.Length == 0 ? null : new ObservationSpec(name, full, dataset, column, source, sourceUnit, time, rack, equipment, noise);
    }

    private static NoiseSpec? ReadNoise(MapReader? n, Dimension dimension)
    {
        if (n is null)
        {
            return null;
        }

        string model = n.Text("model", "gaussian", "gaussian", "student-t");
        var kind = model == "student-t" ? NoiseKind.StudentT : NoiseKind.Gaussian;
        double dof = kind == NoiseKind.StudentT ? n.Number("dof", 4, min: 1, max: 1000) : double.PositiveInfinity;
        if (n.Has("scale") && n.Map["scale"] is YamlScalar { Value: "fit" })
        {
            n.Accept("scale");
            var prior = ReadPrior(n.Child("scale_prior", required: true), dimension);
            n.Done();
            return prior is null ? null : new NoiseSpec(kind, null, prior, dof);
        }

        double scale = n.Quantity("scale", dimension);
        if (!(scale > 0) && double.IsFinite(scale))
        {
            n.Error("scale", $"a noise scale must be positive, got {scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        n.Done();
        return double.IsFinite(scale) && scale > 0 ? new NoiseSpec(kind, scale, null, dof) : null;
    }

    // A prior in the parameter's own unit (bare numbers), or, for a noise scale, quantities with units
    // in the series' dimension; a non-positive scale is an error at its place, not an exception.
    private static Prior? ReadPrior(MapReader? p, Dimension? dimension)
    {
        if (p is null)
        {
            return null;
        }

        double Value(string key) => dimension is { } d ? p.Quantity(key, d) : p.Number(key);
        string kind = p.Text("distribution", dimension is null ? "normal" : "lognormal", "normal", "lognormal", "uniform");
        Prior? prior = null;
        switch (kind)
        {
            case "normal":
            {
                double mean = Value("mean"), sd = Value("sd");
                if (Positive(p, "sd", sd))
                {
                    prior = new NormalPrior(mean, sd);
                }

                break;
            }

            case "lognormal":
            {
                double median = Value("median");
                double sigma = p.Number("sigma");
                bool ok = Positive(p, "median", median);
                if (Positive(p, "sigma", sigma) && ok)
                {
                    prior = new LogNormalPrior(Math.Log(median), sigma);
                }

                break;
            }

            default:
            {
                double lower = Value("lower"), upper = Value("upper");
                if (double.IsFinite(lower) && double.IsFinite(upper) && !(upper > lower))
                {
                    p.Error("upper", $"a uniform prior's upper bound must exceed its lower bound ({Format(lower)})");
                }
                else if (double.IsFinite(lower) && double.IsFinite(upper))
                {
                    prior = new UniformPrior(lower, upper);
                }

                break;
            }
        }

        p.Done();
        return prior;
    }

    private static bool Positive(MapReader p, string key, double value)
    {
        if (double.IsNaN(value))
        {
            return false;
        }

        if (value > 0 && double.IsFinite(value))
        {
            return true;
        }

        p.Error(key, $"a prior's {key} must be positive, got {Format(value)}");
        return false;
    }

    private static string Format(double x) => x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The dimension of a twin unit ("W", "°C", "kg/s", "1"); a noise scale of a temperature is a difference.</summary>
    internal static Dimension DimensionOf(string unit) => unit switch
    {
        "W" => Dimension.Power,
        "°C" => Dimension.TemperatureDifference,
        "kg/s" => Dimension.MassFlow,
        _ => Dimension.Fraction,
    };
}
