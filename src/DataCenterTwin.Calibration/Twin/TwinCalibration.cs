using DataCenterTwin.Calibration.Priors;
using DataCenterTwin.Calibration.Sampling;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Calibration.Twin;

/// <summary>How the posterior is found: the Laplace approximation at the mode only, or MCMC after it.</summary>
public enum PosteriorMethod
{
    /// <summary>Mode and the inverse Hessian there: fast, exact for a linear-Gaussian model.</summary>
    Laplace,

    /// <summary>Adaptive Metropolis chains started about the mode.</summary>
    Mcmc,
}

/// <summary>A series' posterior predictive: per observed row, the 5/50/95 % quantiles, and the residuals at the posterior mean.</summary>
/// <param name="Series">The observed series.</param>
/// <param name="Q05">5 % quantile of the predictive (parameter uncertainty and noise).</param>
/// <param name="Q50">Median.</param>
/// <param name="Q95">95 % quantile.</param>
/// <param name="AtMean">The twin at the posterior mean.</param>
public sealed record PredictiveBand(ObservedSeries Series, double[] Q05, double[] Q50, double[] Q95, double[] AtMean)
{
    /// <summary>Observed minus the twin at the posterior mean.</summary>
    public double[] Residuals => [.. Series.Values.Select((v, i) => v - AtMean[i])];
}

/// <summary>A parameter's fit beside its prior.</summary>
/// <param name="Spec">The parameter (noise scales have a synthetic spec with an empty path).</param>
/// <param name="Summary">Posterior mean, sd, quantiles, R-hat and ESS.</param>
/// <param name="PriorSd">The prior's standard deviation.</param>
/// <param name="Identified">False when the posterior is nearly as wide as the prior: the telemetry does not pin it down.</param>
public sealed record FittedParameter(ParameterSpec Spec, ParameterSummary Summary, double PriorSd, bool Identified)
{
    /// <summary>Posterior sd over prior sd.</summary>
    public double WidthRatio => Summary.StandardDeviation / PriorSd;
}

/// <summary>A calibration's outcome.</summary>
/// <param name="Method">Laplace or MCMC.</param>
/// <param name="Parameters">Every fitted value: the model's, then any fitted noise scales.</param>
/// <param name="Map">The mode and its Laplace covariance.</param>
/// <param name="Samples">The MCMC draws (null for Laplace).</param>
/// <param name="Predictive">Posterior predictive per series (empty when not asked for).</param>
/// <param name="Evaluations">Forward runs of the twin.</param>
/// <param name="Gaps">Telemetry intervals missing and skipped, over all series.</param>
/// <param name="MissingValues">Telemetry rows without a value, skipped.</param>
public sealed record CalibrationResult(PosteriorMethod Method, IReadOnlyList<FittedParameter> Parameters, MapResult Map, PosteriorSamples? Samples,
    IReadOnlyList<PredictiveBand> Predictive, long Evaluations, int Gaps, int MissingValues)
{
    /// <summary>Whether the draws pass R-hat below 1.01 and ESS above 400 for every parameter (never for Laplace alone).</summary>
    public bool Converged => Samples?.Converged ?? false;

    /// <summary>Why the result is not called converged, in words; empty when it is.</summary>
    public IReadOnlyList<string> ConvergenceProblems => Samples is null
        ? ["no MCMC was run: the intervals are the Laplace approximation's"]
        : [.. Samples.Summaries.Where(s => !(s.Rhat < 1.01)).Select(s => $"{s.Name}: R-hat {s.Rhat:F3} (needs < 1.01: run longer chains)"),
            .. Samples.Summaries.Where(s => !(s.EffectiveSampleSize > 400)).Select(s => $"{s.Name}: ESS {s.EffectiveSampleSize:F0} (needs > 400: more draws)")];
}

/// <summary>
/// Calibrates a scenario against telemetry: the log posterior (priors plus the noise models'
/// likelihood of each observed row, the twin run at the parameters), its mode by Nelder–Mead with
/// the Laplace approximation, then adaptive Metropolis chains on every core, the posterior
/// predictive over the observed series, and a verdict on each parameter's identifiability.
/// </summary>
public sealed class TwinCalibration
{
    /// <summary>A posterior at least this wide, relative to the prior, is reported as not identified by the telemetry.</summary>
    public const double NotIdentifiedWidthRatio = 0.7;

    private readonly TwinForwardModel _model;
    private readonly IReadOnlyList<ObservationSpec> _observations;
    private readonly List<ParameterSpec> _all;
    private readonly int _modelCount;
    private readonly int[] _scaleIndex;    // per series, its fitted scale's index in θ, or −1
    private readonly int[][]? _blockEnd;   // per series, the end (exclusive) of each averaging block of rows, or null per row

    /// <summary>
    /// A calibration of <paramref name="model"/>'s parameters (<paramref name="parameters"/>) against
    /// its series, each compared row by row, or, with <paramref name="averageOverS"/> longer than the
    /// telemetry's interval, as means over consecutive windows of that length.
    /// </summary>
    /// <remarks>
    /// Why average: the twin's plant makes discrete decisions each control step (a chiller starting,
    /// the economiser switching), so a parameter change that moves one by a step changes one interval
    /// by tens of kW, a hundred log units or more against a noise of a few kW; the likelihood is then
    /// a mosaic of plateaus no sampler crosses. A window mean divides such a jump by the rows in the
    /// window, while the noise of the mean falls only by their square root, so the cliffs shrink by
    /// the window's row count and the slow signal the parameters drive (hours of load and weather)
    /// is kept. The window mean of independent noise of scale σ over n rows has scale σ/√n, exactly
    /// for Gaussian noise; for Student-t noise the same scaling is used as an approximation (the mean
    /// of n t-errors tends to a normal with that scale when ν &gt; 2).
    /// </remarks>
    public TwinCalibration(TwinForwardModel model, IReadOnlyList<ParameterSpec> parameters, double averageOverS = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(averageOverS);
        _model = model;
        _observations = [.. model.Series.Select(s => s.Spec)];
        _modelCount = parameters.Count;
        _all = [.. parameters];
        _scaleIndex = new int[_observations.Count];
        for (int i = 0; i < _observations.Count; i++)
        {
            var n = _observations[i].Noise;
            _scaleIndex[i] = -1;
            if (n.ScalePrior is { } prior)
            {
                _scaleIndex[i] = _all.Count;
                _all.Add(new ParameterSpec($"noise:{_observations[i].Name}", "", TwinSeries.Unit(_observations[i].Dataset, _observations[i].Column), prior));
            }
        }

        AverageOverS = averageOverS > model.IntervalS ? averageOverS : 0;
        if (AverageOverS > 0)
        {
            _blockEnd = new int[model.Series.Count][];
            for (int i = 0; i < model.Series.Count; i++)
            {
                // Rows are in time order (the telemetry reader refuses any other); a block is the rows of one window from the scenario's start.
                var times = model.Series[i].TimesUtc;
                var ends = new List<int>();
                for (int j = 0; j < times.Length; j++)
                {
                    long window = (long)Math.Floor((times[j] - model.StartUtc).TotalSeconds / AverageOverS);
                    if (j + 1 == times.Length || (long)Math.Floor((times[j + 1] - model.StartUtc).TotalSeconds / AverageOverS) != window)
                    {
                        ends.Add(j + 1);
                    }
                }

                _blockEnd[i] = [.. ends];
            }
        }
    }

    /// <summary>The window over which rows are averaged before the likelihood, s; 0 when each row counts alone.</summary>
    public double AverageOverS { get; }

    /// <summary>Every parameter sampled: the model's, then the fitted noise scales.</summary>
    public IReadOnlyList<ParameterSpec> Parameters => _all;

    /// <summary>The forward model.</summary>
    public TwinForwardModel Model => _model;

    /// <summary>The log posterior at <paramref name="theta"/>, up to a constant; −∞ where the scenario rejects it.</summary>
    public double LogPosterior(ReadOnlySpan<double> theta)
    {
        double lp = 0;
        for (int i = 0; i < _all.Count; i++)
        {
            lp += _all[i].Prior.LogDensity(theta[i]);
        }

        if (!double.IsFinite(lp))
        {
            return double.NegativeInfinity;
        }

        var predicted = _model.NewPrediction();
        if (!_model.Predict(theta[.._modelCount], predicted))
        {
            return double.NegativeInfinity;
        }

        return lp + LogLikelihood(theta, predicted);
    }

    private double LogLikelihood(ReadOnlySpan<double> theta, double[][] predicted)
    {
        double ll = 0;
        for (int i = 0; i < _observations.Count; i++)
        {
            var noise = _observations[i].Noise;
            double sigma = _scaleIndex[i] >= 0 ? theta[_scaleIndex[i]] : noise.ScaleSi!.Value;
            if (!(sigma > 0))
            {
                return double.NegativeInfinity;
            }

            var observed = _model.Series[i].Values;
            double nu = noise.DegreesOfFreedom;
            if (_blockEnd is null)
            {
                double logSigma = Math.Log(sigma);
                for (int j = 0; j < observed.Length; j++)
                {
                    double z = (observed[j] - predicted[i][j]) / sigma;
                    if (double.IsNaN(z))
                    {
                        return double.NegativeInfinity;
                    }

                    // Normal: −z²/2 − ln σ; Student-t(ν): −(ν+1)/2 · ln(1 + z²/ν) − ln σ (constants dropped).
                    ll += noise.Kind == NoiseKind.Gaussian ? -0.5 * z * z - logSigma : -0.5 * (nu + 1) * Math.Log(1 + z * z / nu) - logSigma;
                }

                continue;
            }

            int start = 0;
            foreach (int end in _blockEnd[i])
            {
                double residual = 0;
                for (int j = start; j < end; j++)
                {
                    residual += observed[j] - predicted[i][j];
                }

                int n = end - start;
                double blockSigma = sigma / Math.Sqrt(n);
                double z = residual / n / blockSigma;
                if (double.IsNaN(z))
                {
                    return double.NegativeInfinity;
                }

                ll += noise.Kind == NoiseKind.Gaussian ? -0.5 * z * z - Math.Log(blockSigma) : -0.5 * (nu + 1) * Math.Log(1 + z * z / nu) - Math.Log(blockSigma);
                start = end;
            }
        }

        return ll;
    }

    /// <summary>
    /// Problems that stop a fit before it starts: a parameter path the scenario lacks or a value it
    /// rejects at the prior's centre, an observed series the twin does not produce (no such rack or
    /// equipment, or not applicable), in words.
    /// </summary>
    public IReadOnlyList<string> Check()
    {
        var start = Start();
        var problems = new List<string>(_model.Check(start.AsSpan(0, _modelCount)));
        if (problems.Count > 0)
        {
            return problems;
        }

        var predicted = _model.NewPrediction();
        if (!_model.Predict(start.AsSpan(0, _modelCount), predicted))
        {
            return ["the scenario rejects the parameters' prior centres together"];
        }

        for (int i = 0; i < predicted.Length; i++)
        {
            if (predicted[i].Any(double.IsNaN))
            {
                var o = _observations[i];
                problems.Add($"observation {o.Name}: the twin gives no value for it" + (o.Rack is { } r ? $" (is there a rack {r}, with liquid for a liquid column?)" : o.Equipment is { } e ? $" (is \"{e}\" a piece of its plant?)" : ""));
            }
        }

        return problems;
    }

    /// <summary>Runs the fit.</summary>
    public CalibrationResult Fit(PosteriorMethod method, McmcOptions options, int predictiveDraws)
    {
        var start = Start();
        var scales = _all.Select(p => p.Prior.StandardDeviation).ToArray();
        // A relative tolerance of 1e-9 on the log posterior is far below a unit of log density for any
        // realistic number of observations; the iteration budget bounds a search on a rough surface.
        var map = MapEstimate.Find(LogPosterior, start, [.. scales.Select(s => 0.5 * s)], maxIterations: 150 * _all.Count, tolerance: 1e-9);
        PosteriorSamples? samples = null;
        ParameterSummary[] summaries;
        if (method == PosteriorMethod.Mcmc)
        {
            samples = PosteriorSampler.Sample(LogPosterior, [.. _all.Select(p => p.Name)], map, scales, options);
            summaries = [.. samples.Summaries];
        }
        else
        {
            summaries = [.. _all.Select((p, i) =>
            {
                double sd = map.Covariance is { } c ? Math.Sqrt(c[i, i]) : p.Prior.StandardDeviation;
                double m = map.Mode[i];
                return new ParameterSummary(p.Name, m, sd, m - 1.6448536269514722 * sd, m, m + 1.6448536269514722 * sd, double.NaN, double.NaN);
            })];
        }

        var fitted = _all.Select((p, i) => new FittedParameter(p, summaries[i], p.Prior.StandardDeviation,
            summaries[i].StandardDeviation / p.Prior.StandardDeviation < NotIdentifiedWidthRatio)).ToList();
        IReadOnlyList<PredictiveBand> predictive = predictiveDraws > 0 ? Predictive(summaries, samples, map, predictiveDraws, options.Seed) : [];
        return new CalibrationResult(method, fitted, map, samples, predictive, _model.Evaluations,
            _model.Series.Sum(s => s.Gaps), _model.Series.Sum(s => s.MissingValues));
    }

    // Chains start from the prior's centre: the median of a log-normal, the mean otherwise.
    private double[] Start() => [.. _all.Select(p => p.Prior is LogNormalPrior l ? Math.Exp(l.Mu) : p.Prior.Mean)];

    private List<PredictiveBand> Predictive(ParameterSummary[] summaries, PosteriorSamples? samples, MapResult map, int draws, ulong seed)
    {
        var rng = new RandomStreams(seed).For("calibration/predictive");
        var thetas = new double[draws][];
        var pooled = samples is null ? null : Enumerable.Range(0, _all.Count).Select(samples.Pooled).ToArray();
        for (int k = 0; k < draws; k++)
        {
            thetas[k] = new double[_all.Count];
            if (pooled is not null)
            {
                int at = (int)((long)k * pooled[0].Length / draws);
                for (int i = 0; i < _all.Count; i++)
                {
                    thetas[k][i] = pooled[i][at];
                }
            }
            else
            {
                for (int i = 0; i < _all.Count; i++)
                {
                    thetas[k][i] = rng.Normal(summaries[i].Mean, summaries[i].StandardDeviation);
                }
            }
        }

        var runs = new double[draws][][];
        Parallel.For(0, draws, k =>
        {
            var p = _model.NewPrediction();
            runs[k] = _model.Predict(thetas[k].AsSpan(0, _modelCount), p) ? p : null!;
        });

        var atMean = _model.NewPrediction();
        var mean = summaries.Select(s => s.Mean).ToArray();
        if (!_model.Predict(mean.AsSpan(0, _modelCount), atMean))
        {
            _model.Predict(map.Mode.AsSpan(0, _modelCount), atMean);
        }

        var bands = new List<PredictiveBand>();
        for (int i = 0; i < _model.Series.Count; i++)
        {
            int n = _model.Series[i].Values.Length;
            var q05 = new double[n];
            var q50 = new double[n];
            var q95 = new double[n];
            var noise = _observations[i].Noise;
            var column = new List<double>(draws);
            for (int j = 0; j < n; j++)
            {
                column.Clear();
                for (int k = 0; k < draws; k++)
                {
                    if (runs[k] is null)
                    {
                        continue;
                    }

                    double sigma = _scaleIndex[i] >= 0 ? thetas[k][_scaleIndex[i]] : noise.ScaleSi!.Value;
                    double e = noise.Kind == NoiseKind.Gaussian ? rng.Normal(0, 1) : StudentT(rng, noise.DegreesOfFreedom);
                    column.Add(runs[k][i][j] + sigma * e);
                }

                column.Sort();
                q05[j] = Quantile(column, 0.05);
                q50[j] = Quantile(column, 0.5);
                q95[j] = Quantile(column, 0.95);
            }

            bands.Add(new PredictiveBand(_model.Series[i], q05, q50, q95, atMean[i]));
        }

        return bands;
    }

    // t = Z / √(χ²_ν / ν), χ²_ν as a sum of squared normals for whole ν, a gamma by Marsaglia–Tsang otherwise is not needed: ν is read as given.
    private static double StudentT(RandomStream rng, double nu)
    {
        int k = Math.Max(1, (int)Math.Round(nu));
        double chi = 0;
        for (int i = 0; i < k; i++)
        {
            double z = rng.Normal(0, 1);
            chi += z * z;
        }

        return rng.Normal(0, 1) / Math.Sqrt(chi / k);
    }

    private static double Quantile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        double h = (sorted.Count - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
