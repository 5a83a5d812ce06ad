using System.Globalization;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Runs;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Sections;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Calibration.Twin;

/// <summary>
/// The forward model: the scenario with the parameters set through their override paths, run at
/// fluid level over the telemetry window, returning the twin's value of every observed series at
/// each observed time. The session API forks by replaying from the scenario's start (no state is
/// saved mid-run), so each evaluation builds the twin and runs it from the start of the scenario to
/// the end of the window: a scenario starting at the window's start (with a little warm-up before
/// it, if its first hours matter) is the cheap case. Request-level windows are left out: the fit is
/// against interval means, which the fluid level gives.
/// </summary>
public sealed class TwinForwardModel
{
    private readonly string _scenarioPath;
    private readonly string? _assets;
    private readonly IReadOnlyList<ParameterSpec> _parameters;
    private readonly Dictionary<string, string> _fixed;
    private readonly int[][] _slot;       // per series, output interval k → position in the series, or −1
    private long _evaluations;

    /// <summary>Sets up the model; <see cref="Check"/> says whether the parameters and telemetry fit the scenario.</summary>
    public TwinForwardModel(string scenarioPath, string? assetsDirectory, IReadOnlyList<ParameterSpec> parameters, IReadOnlyList<ObservedSeries> series,
        IReadOnlyDictionary<string, string>? overrides = null)
    {
        _scenarioPath = scenarioPath;
        _assets = assetsDirectory;
        _parameters = parameters;
        Series = series;
        _fixed = overrides is null ? new(StringComparer.Ordinal) : new(overrides, StringComparer.Ordinal);
        var (baseSpec, errors) = ScenarioLoader.Load(scenarioPath, assetsDirectory, _fixed);
        if (baseSpec is null)
        {
            throw new Runs.ScenarioException(scenarioPath, errors);
        }

        IntervalS = Telemetry.IntervalS(series);
        StartUtc = DateTime.SpecifyKind(baseSpec.Site.Start.AddHours(-baseSpec.Site.UtcOffsetHours), DateTimeKind.Utc);
        long last = 0;
        var indices = new long[series.Count][];
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            indices[i] = new long[s.TimesUtc.Length];
            for (int j = 0; j < s.TimesUtc.Length; j++)
            {
                double k = (s.TimesUtc[j] - StartUtc).TotalSeconds / IntervalS;
                if (k < 0 || Math.Abs(k - Math.Round(k)) > 1e-6)
                {
                    throw new TelemetryException($"{Path.GetFileName(s.Spec.File)}: {s.Spec.Name}: the time {s.TimesUtc[j]:yyyy-MM-dd HH:mm:ss}Z is "
                        + (k < 0 ? "before the scenario starts" : "not on the scenario's output grid")
                        + $" ({StartUtc:yyyy-MM-dd HH:mm:ss}Z, site.start less utc_offset, then every {IntervalS} s)");
                }

                indices[i][j] = (long)Math.Round(k);
                last = Math.Max(last, indices[i][j]);
            }
        }

        IntervalCount = (int)(last + 1);
        _slot = new int[series.Count][];
        for (int i = 0; i < series.Count; i++)
        {
            _slot[i] = new int[IntervalCount];
            Array.Fill(_slot[i], -1);
            for (int j = 0; j < indices[i].Length; j++)
            {
                _slot[i][indices[i][j]] = j;
            }
        }

        _fixed["run.output_interval"] = Invariant(IntervalS) + " s";
        _fixed["run.horizon"] = Invariant(IntervalCount * IntervalS) + " s";
        _fixed["run.fidelity"] = "fluid";
    }

    /// <summary>The observed series, in order.</summary>
    public IReadOnlyList<ObservedSeries> Series { get; }

    /// <summary>The telemetry's (and the runs') output interval, s.</summary>
    public double IntervalS { get; }

    /// <summary>Output intervals run, from the scenario's start to the end of the window.</summary>
    public int IntervalCount { get; }

    /// <summary>The scenario's start in UTC.</summary>
    public DateTime StartUtc { get; }

    /// <summary>
    /// Band of part-load ratio about the plant's stage-up ratio over which the forward runs blend the
    /// N- and (N+1)-chiller solutions (<see cref="Model.Cooling.ChillerPlant.StagingBlendBandRatio"/>);
    /// 0 stages crisply as ordinary runs do. The default, 0.1 (PLR 0.85–0.95 about 0.9), makes the
    /// likelihood smooth in the parameters: crisp staging moves one five-minute interval's chiller
    /// power by about 31 kW (120–140 log units against 2 kW noise) when a parameter moves the
    /// crossing by a control step, and chains then sit in the terraces. Five-minute telemetry of a
    /// real plant, with its own staging delays and hysteresis, is averaged over the threshold too.
    /// </summary>
    public double StagingBlendBandRatio { get; init; } = 0.1;

    /// <summary>Forward runs so far (any thread).</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    /// <summary>The overrides for <paramref name="theta"/> (the model parameters only), with the window's.</summary>
    public Dictionary<string, string> Overrides(ReadOnlySpan<double> theta)
    {
        var o = new Dictionary<string, string>(_fixed, StringComparer.Ordinal);
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            o[p.Path] = p.Unit.Length == 0 ? Invariant(theta[i]) : $"{Invariant(theta[i])} {p.Unit}";
        }

        return o;
    }

    /// <summary>The scenario at <paramref name="theta"/>, or null with the loader's errors (a value out of its range).</summary>
    public (ScenarioSpec? Spec, IReadOnlyList<ScenarioError> Errors) Scenario(ReadOnlySpan<double> theta) =>
        ScenarioLoader.Load(_scenarioPath, _assets, Overrides(theta));

    /// <summary>
    /// Checks each parameter path alone at <paramref name="theta"/> and the whole set: a path the
    /// scenario does not have, or a value it rejects, comes back as the parameter's name with the
    /// loader's words.
    /// </summary>
    public IReadOnlyList<string> Check(ReadOnlySpan<double> theta)
    {
        var problems = new List<string>();
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            var o = new Dictionary<string, string>(_fixed, StringComparer.Ordinal)
            {
                [p.Path] = p.Unit.Length == 0 ? Invariant(theta[i]) : $"{Invariant(theta[i])} {p.Unit}",
            };
            var (spec, errors) = ScenarioLoader.Load(_scenarioPath, _assets, o);
            if (spec is null)
            {
                problems.Add($"parameter {p.Name}: path \"{p.Path}\" at {Invariant(theta[i])} {p.Unit}: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
            }
        }

        return problems;
    }

    /// <summary>
    /// Runs the twin at <paramref name="theta"/> and fills <paramref name="into"/>[series][row] with its
    /// value at each observed time; false when the scenario rejects the values (zero prior density).
    /// </summary>
    public bool Predict(ReadOnlySpan<double> theta, double[][] into)
    {
        var (spec, _) = Scenario(theta);
        if (spec is null)
        {
            return false;
        }

        Interlocked.Increment(ref _evaluations);
        foreach (var row in into)
        {
            Array.Fill(row, double.NaN);
        }

        var session = new TwinSession(spec with { Run = spec.Run with { Windows = [] } }, Fidelity.Fluid);
        if (session.Built.FluidHall is { } fluid)
        {
            // No series the fit reads comes from the latency distributions; they were a fifth of a run.
            fluid.RecordsLatencyDistributions = false;
        }

        session.Twin.Parts.Cooling.Plant.StagingBlendBandRatio = StagingBlendBandRatio;
        using var _ = session.Subscribe(new Recorder(this, into));
        session.RunToHorizon();
        return true;
    }

    /// <summary>Fresh arrays shaped like the series.</summary>
    public double[][] NewPrediction() => [.. Series.Select(s => new double[s.Values.Length])];

    private static string Invariant(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    // Copies each observed interval's value as the twin emits it; nothing else is kept.
    private sealed class Recorder(TwinForwardModel m, double[][] into) : ITwinObserver
    {
        public void OnFacilityInterval(in FacilitySample interval)
        {
            int k = Index(interval.StartS);
            for (int i = 0; i < m.Series.Count; i++)
            {
                var o = m.Series[i].Spec;
                if (o.Dataset == TwinDataset.Facility && k < m._slot[i].Length && m._slot[i][k] is int j and >= 0)
                {
                    into[i][j] = TwinSeries.Facility(o.Column)(interval);
                }
            }
        }

        public void OnRackInterval(in RackSample interval)
        {
            int k = Index(interval.StartS);
            for (int i = 0; i < m.Series.Count; i++)
            {
                var o = m.Series[i].Spec;
                if (o.Dataset == TwinDataset.Racks && o.Rack == interval.Rack && k < m._slot[i].Length && m._slot[i][k] is int j and >= 0)
                {
                    into[i][j] = TwinSeries.Rack(o.Column)(interval);
                }
            }
        }

        public void OnPlantInterval(in PlantSample interval)
        {
            int k = Index(interval.StartS);
            for (int i = 0; i < m.Series.Count; i++)
            {
                var o = m.Series[i].Spec;
                if (o.Dataset == TwinDataset.Plant && o.Equipment == interval.Unit && k < m._slot[i].Length && m._slot[i][k] is int j and >= 0)
                {
                    into[i][j] = TwinSeries.Plant(o.Column)(interval);
                }
            }
        }

        public void OnEvent(in TwinEvent e)
        {
        }

        private int Index(double startS) => (int)Math.Round(startS / m.IntervalS);
    }
}
