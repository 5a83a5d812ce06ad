using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Workload;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;
using DataCenterTwin.Traces.Requests;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>Reads the <c>workload</c> section.</summary>
internal static class WorkloadSection
{
    /// <summary>An inference day: quiet at night, a morning ramp, an afternoon peak (hour-of-day multipliers, mean 1).</summary>
    public static readonly double[] InferenceDay =
        [0.45, 0.38, 0.34, 0.33, 0.36, 0.45, 0.62, 0.85, 1.08, 1.26, 1.38, 1.45, 1.48, 1.50, 1.50, 1.47, 1.42, 1.35, 1.27, 1.18, 1.06, 0.90, 0.72, 0.55];

    /// <summary>Weekdays busier than weekends (day-of-week multipliers, mean 1; day 0 is the start day).</summary>
    public static readonly double[] Week = [1.08, 1.08, 1.08, 1.08, 1.06, 0.81, 0.81];

    public static WorkloadSpec Read(MapReader? workload, HallSpec? hall, double horizonS)
    {
        var classes = new List<ClassWorkload>();
        var jobs = new List<TrainingJobSpec>();
        if (workload is null)
        {
            return new WorkloadSpec(classes, jobs);
        }

        var traces = new Dictionary<string, RequestTrace?>(StringComparer.Ordinal);
        var models = hall?.Pools.Select(p => p.ModelName).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var c in workload.Children("classes"))
        {
            string name = c.Text("name");
            string model = c.Text("model", "llama2-70b");
            if (hall is not null && !models.Contains(model))
            {
                c.Error("model", $"no pool in the hall serves \"{model}\"; pools serve {string.Join(", ", models.Order(StringComparer.Ordinal))}");
            }

            RequestTrace? trace = null;
            if (c.Child("tokens") is { } tokens)
            {
                trace = ReadTrace(tokens, "trace", traces);
                tokens.Done();
            }

            var prompt = trace is not null ? TokenDistribution.Empirical(trace.PromptTokens) : ReadTokens(c.Child("prompt_tokens"), 1024, 0.8, 8192);
            var output = trace is not null ? TokenDistribution.Empirical(trace.OutputTokens) : ReadTokens(c.Child("output_tokens"), 256, 0.8, 2048);
            if (trace is not null)
            {
                c.Accept("prompt_tokens", "output_tokens");
            }

            var slo = new SloSpec();
            if (c.Child("slo") is { } s)
            {
                slo = new SloSpec(s.Quantity("ttft", Dimension.Time, double.PositiveInfinity, min: 1e-6),
                    s.Quantity("tpot", Dimension.Time, double.PositiveInfinity, min: 1e-6),
                    s.Quantity("e2e", Dimension.Time, double.PositiveInfinity, min: 1e-6));
                s.Done();
            }

            var routes = ReadPools(c, model, hall);
            var arrivals = ReadArrivals(c.Child("arrivals", required: true), traces);
            c.Done();
            if (arrivals is not null)
            {
                classes.Add(new ClassWorkload(new RequestClass(name, model, prompt, output, slo, routes), arrivals));
            }
        }

        ReportUnreachedPools(workload, hall, classes);

        var blocks = hall?.TrainingBlockNames.ToList() ?? [];
        foreach (var j in workload.Children("training_jobs"))
        {
            string name = j.Text("name");
            string block = j.Text("block");
            double startS = j.Quantity("start", Dimension.Time, 0, min: 0, max: RunSection.MaxHorizonS);
            double durationS = j.Quantity("duration", Dimension.Time, horizonS, min: 1, max: RunSection.MaxHorizonS);
            double utilisation = j.Quantity("utilisation", Dimension.Fraction, 0.9, min: 0, max: 1);
            double checkpointS = j.Quantity("checkpoint_interval", Dimension.Time, TrainingJobSpec.DefaultCheckpointIntervalS, min: 1, max: RunSection.MaxHorizonS);
            double restartS = j.Quantity("restart", Dimension.Time, TrainingJobSpec.DefaultRestartS, min: 0, max: RunSection.MaxHorizonS);
            j.Done();
            int index = blocks.IndexOf(block);
            if (index < 0)
            {
                j.Error("block", $"no training block \"{block}\" in the hall; blocks: {string.Join(", ", blocks)}");
                continue;
            }

            var b = hall!.Training[index];
            if (double.IsFinite(startS) && double.IsFinite(durationS))
            {
                jobs.Add(new TrainingJobSpec(name, b.FirstRack, b.RackCount, SimTime.FromSeconds(startS), SimTime.FromSeconds(durationS), utilisation, checkpointS, restartS));
            }
        }

        workload.Done();
        return new WorkloadSpec(classes, jobs);
    }

    // pools: [chat] or [{ name: chat, share: 70 % }, { name: code, share: 30 % }]; absent: every
    // pool serving the model, by capacity. The resolved scenario lists the pools with their shares.
    private static List<PoolShare>? ReadPools(MapReader c, string model, HallSpec? hall)
    {
        c.Accept("pools");
        var node = c.Map["pools"];
        if (node is null || node is YamlScalar { IsNull: true })
        {
            return null;
        }

        if (node is not YamlList list || list.Items.Count == 0)
        {
            c.Error("pools", $"expected a list of pool names or of {{ name, share }} mappings, got {node.Describe()}");
            return null;
        }

        var result = new List<PoolShare>();
        for (int i = 0; i < list.Items.Count; i++)
        {
            string path = $"{c.PathOf("pools")}[{i}]";
            string? name;
            double? share = null;
            if (list.Items[i] is YamlScalar { IsNull: false } scalar)
            {
                name = scalar.Value;
            }
            else if (list.Items[i] is YamlMap map)
            {
                // Read on a scratch context: the resolved scenario lists the pools once, after the class,
                // with the shares they get, whether the file gave them or not.
                var scratch = new ScenarioContext(c.Context.BaseDirectory, c.Context.AssetsDirectory);
                var m = new MapReader(map, path, scratch);
                name = m.Text("name");
                if (m.Has("share"))
                {
                    share = m.Quantity("share", Dimension.Fraction, min: 0, max: 1e9);
                }

                m.Done();
                c.Context.Errors.AddRange(scratch.Errors);
            }
            else
            {
                c.Context.Errors.Add(new ScenarioError(list.Items[i].Source, path, $"expected a pool name or a {{ name, share }} mapping, got {list.Items[i].Describe()}"));
                continue;
            }

            var pool = hall?.Pools.FirstOrDefault(p => p.Name == name);
            if (hall is not null && pool is null)
            {
                c.Context.Errors.Add(new ScenarioError(list.Items[i].Source, path,
                    $"no pool \"{name}\" in the hall; pools: {string.Join(", ", hall.Pools.Select(p => p.Name))}"));
                continue;
            }

            if (pool is not null && pool.ModelName != model)
            {
                c.Context.Errors.Add(new ScenarioError(list.Items[i].Source, path, $"pool \"{name}\" serves \"{pool.ModelName}\", not the class's model \"{model}\""));
                continue;
            }

            if (result.Any(r => r.Pool == name))
            {
                c.Context.Errors.Add(new ScenarioError(list.Items[i].Source, path, $"pool \"{name}\" is listed twice"));
                continue;
            }

            if (share is { } x && !double.IsFinite(x))
            {
                continue;
            }

            result.Add(new PoolShare(name, share));
        }

        if (result.Count > 0 && result.Any(r => r.Share is null) && result.Any(r => r.Share is not null))
        {
            c.Error("pools", "give every pool a share, or none (then each gets a share in proportion to its capacity)");
        }
        else if (result.Count > 0 && result.All(r => r.Share is not null) && !(result.Sum(r => r.Share!.Value) > 0))
        {
            c.Error("pools", "the shares add up to zero");
        }

        return result.Count > 0 ? result : null;
    }

    // A pool no class can reach sits at idle power all run: almost always a mistake in the scenario.
    private static void ReportUnreachedPools(MapReader workload, HallSpec? hall, List<ClassWorkload> classes)
    {
        if (hall is null || workload.Context.Errors.Count > 0 || hall.Pools.Count == 0)
        {
            return;
        }

        var spec = new ComputeHallSpec(hall.Racks.Count, hall.Pools, [.. classes.Select(c => c.Class)]);
        var shares = PoolRouting.Shares(spec);
        for (int p = 0; p < hall.Pools.Count; p++)
        {
            if (shares.All(row => row[p] <= 0))
            {
                workload.Error("classes", $"no request class reaches pool \"{hall.Pools[p].Name}\" (model {hall.Pools[p].ModelName}): its racks would idle all run; "
                    + "name it in a class's pools, or give it a class of its own");
            }
        }

        // A pool split into dispatch groups feeds each group from a source of its own: its classes go
        // to it alone, and arrive by a Poisson process, which thins into independent ones per group.
        for (int c = 0; c < classes.Count; c++)
        {
            var routed = Enumerable.Range(0, hall.Pools.Count).Where(p => shares[c][p] > 0).ToList();
            foreach (int p in routed.Where(p => hall.Pools[p].Groups > 1))
            {
                var pool = hall.Pools[p];
                if (routed.Count > 1)
                {
                    workload.Error("classes", $"class \"{classes[c].Class.Name}\" goes to pool \"{pool.Name}\", which has dispatch_groups: {pool.Groups}, and to other pools; "
                        + "route a class to a grouped pool alone");
                }

                if (classes[c].Arrivals.Process is not (ArrivalProcessKind.Poisson or ArrivalProcessKind.Diurnal))
                {
                    workload.Error("classes", $"class \"{classes[c].Class.Name}\" goes to pool \"{pool.Name}\", which has dispatch_groups: {pool.Groups}, and arrives by "
                        + $"{classes[c].Arrivals.Process.ToString().ToLowerInvariant()}; a grouped pool's classes arrive by poisson or diurnal (a Poisson process splits into independent ones per group)");
                }
            }
        }

        // The resolved scenario lists every class's pools with the shares they get.
        for (int c = 0; c < classes.Count; c++)
        {
            int item = 0;
            for (int p = 0; p < hall.Pools.Count; p++)
            {
                if (shares[c][p] > 0)
                {
                    string at = $"workload.classes[{c}].pools[{item++}]";
                    workload.Context.Resolved.Add(($"{at}.name", $"\"{hall.Pools[p].Name}\""));
                    workload.Context.Resolved.Add(($"{at}.share", shares[c][p].ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }
    }

    private static TokenDistribution ReadTokens(MapReader? m, double mean, double cv, int max)
    {
        if (m is null)
        {
            return TokenDistribution.LogNormal(mean, cv, max);
        }

        if (m.Has("fixed"))
        {
            int n = (int)m.WholeNumber("fixed", min: 1, max: 1_000_000);
            m.Done();
            return TokenDistribution.Fixed(Math.Max(1, n));
        }

        mean = m.Number("mean", mean, min: 1, max: 1e6);
        cv = m.Number("cv", cv, min: 0, max: 10);
        max = (int)m.WholeNumber("max", max, min: 1, max: 10_000_000);
        m.Done();
        if (!double.IsFinite(mean) || !double.IsFinite(cv))
        {
            return TokenDistribution.Fixed(1);
        }

        // A cv of 0 means every request has the mean: a fixed count (the log-normal needs a spread).
        return cv > 0 ? TokenDistribution.LogNormal(mean, cv, Math.Max(max, 1)) : TokenDistribution.Fixed((int)Math.Min(Math.Round(mean), Math.Max(max, 1)));
    }

    private static ArrivalSpec? ReadArrivals(MapReader? a, Dictionary<string, RequestTrace?> traces)
    {
        if (a is null)
        {
            return null;
        }

        string process = a.Text("process", "diurnal", "poisson", "diurnal", "mmpp", "trace");
        double rate = a.Quantity("rate", Dimension.Rate, min: 1e-9, max: 1e9);
        double[] hourly = Normalised(a, "hourly", InferenceDay, 24);
        double[] weekly = Normalised(a, "weekly", Week, 7);
        double burstRatio = a.Number("burst_ratio", 4, min: 1, max: 1000);
        double calmS = a.Quantity("mean_calm", Dimension.Time, 600, min: 0.001);
        double burstS = a.Quantity("mean_burst", Dimension.Time, 60, min: 0.001);
        RequestTrace? trace = process == "trace" ? ReadTrace(a, "trace", traces) : null;
        if (process != "trace")
        {
            a.Accept("trace");
        }

        int copies = (int)a.WholeNumber("copies", 1, min: 1, max: 100_000);
        a.Done();
        if (process == "trace" && trace is null)
        {
            return null;
        }

        return new ArrivalSpec(ProcessKind(process), rate, hourly, weekly, burstRatio, calmS, burstS, trace, copies);
    }

    private static double[] Normalised(MapReader a, string key, double[] defaults, int count)
    {
        var scalars = a.Scalars(key);
        if (scalars.Count == 0)
        {
            return defaults;
        }

        var values = new double[scalars.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.TryParse(scalars[i].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i])
                || !double.IsFinite(values[i]) || values[i] < 0)
            {
                a.Error(key, $"expected non-negative numbers, got \"{scalars[i].Value}\" at position {i + 1}");
                return defaults;
            }
        }

        double mean = values.Average();
        if (values.Length != count || !(mean > 0))
        {
            a.Error(key, $"expected {count} non-negative multipliers with a positive mean, got {values.Length}");
            return defaults;
        }

        return [.. values.Select(v => v / mean)];
    }

    private static RequestTrace? ReadTrace(MapReader m, string key, Dictionary<string, RequestTrace?> cache)
    {
        string? path = m.FilePath(key);
        bool skip = m.Boolean("skip_malformed_rows", false);
        if (path is null)
        {
            return null;
        }

        if (cache.TryGetValue(path, out var cached))
        {
            return cached;
        }

        try
        {
            var policy = skip ? MalformedRowPolicy.SkipRows : MalformedRowPolicy.RefuseFile;
            var result = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
                ? AzureLlmParquetTraceReader.Read(path, policy)
                : AzureLlmTraceReader.Read(path, policy);
            cache[path] = result.Trace;
            return result.Trace;
        }
        catch (InvalidDataException ex)
        {
            m.Error(key, ex.Message);
            cache[path] = null;
            return null;
        }
    }

    private static ArrivalProcessKind ProcessKind(string process) => process switch
    {
        "poisson" => ArrivalProcessKind.Poisson,
        "mmpp" => ArrivalProcessKind.Mmpp,
        "trace" => ArrivalProcessKind.Trace,
        _ => ArrivalProcessKind.Diurnal,
    };
}
