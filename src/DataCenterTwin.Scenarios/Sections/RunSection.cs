using DataCenterTwin.Kernel;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>Reads the <c>run</c> section.</summary>
internal static class RunSection
{
    public const double MaxHorizonS = 100 * 365 * 86400.0;

    public static RunSpec Read(MapReader? run)
    {
        if (run is null)
        {
            return new RunSpec(SimTime.FromDays(1), Fidelity.Fluid, [], 42, 60, 900, new TraceOutputSpec(true, TraceCompression.Zstd, true, false));
        }

        double horizonS = run.Quantity("horizon", Dimension.Time, 86400, min: 1, max: MaxHorizonS);
        var fidelity = ReadFidelity(run, "fidelity", Fidelity.Fluid);
        long seed = run.WholeNumber("seed", 42, min: 0);
        double stepS = run.Quantity("control_step", Dimension.Time, fidelity == Fidelity.Request ? 10 : 60, min: 0.1, max: 3600);
        double intervalS = run.Quantity("output_interval", Dimension.Time, Math.Max(stepS, 900), min: 1, max: 3600);
        if (double.IsFinite(stepS) && double.IsFinite(intervalS) && Math.Abs(intervalS / stepS - Math.Round(intervalS / stepS)) > 1e-9)
        {
            run.Error("output_interval", $"expected a whole multiple of the control step ({stepS} s), got {intervalS} s");
        }

        var windows = new List<FidelityWindow>();
        foreach (var w in run.Children("windows"))
        {
            double start = w.Quantity("start", Dimension.Time, min: 0, max: MaxHorizonS);
            double duration = w.Quantity("duration", Dimension.Time, min: 1, max: MaxHorizonS);
            var wf = ReadFidelity(w, "fidelity", Fidelity.Request);
            if (double.IsFinite(start) && double.IsFinite(duration))
            {
                // A window beyond a shortened horizon (--horizon) is left out, one across it is cut at it.
                if (start < horizonS)
                {
                    windows.Add(new FidelityWindow(SimTime.FromSeconds(start), SimTime.FromSeconds(Math.Min(start + duration, horizonS)), wf));
                }
            }

            w.Done();
        }

        if (windows.Any(w => w.Fidelity == fidelity))
        {
            run.Error("windows", $"a window must run at another fidelity than the run ({fidelity.ToString().ToLowerInvariant()})");
        }

        if (fidelity == Fidelity.Request && windows.Count > 0)
        {
            run.Error("windows", "windows are request-level stretches of a fluid-level run: set fidelity: fluid and give the windows fidelity: request");
        }

        for (int i = 1; i < windows.Count; i++)
        {
            if (windows[i].Start < windows[i - 1].End)
            {
                run.Error("windows", $"window {i} starts before window {i - 1} ends: windows must be in order and not overlap");
            }
        }

        var traces = new TraceOutputSpec(true, TraceCompression.Zstd, true, horizonS > 62 * 86400);
        if (run.Child("traces") is { } t)
        {
            traces = new TraceOutputSpec(
                t.Boolean("enabled", true),
                t.Text("compression", "zstd", "zstd", "snappy") == "snappy" ? TraceCompression.Snappy : TraceCompression.Zstd,
                t.Boolean("requests", true),
                t.Boolean("partition_by_month", traces.PartitionByMonth));
            t.Done();
        }

        double checkpointS = run.Quantity("checkpoint_interval", Dimension.Time, 30 * 86400, min: 3600, max: MaxHorizonS);
        if (double.IsFinite(checkpointS) && double.IsFinite(intervalS) && Math.Abs(checkpointS / intervalS - Math.Round(checkpointS / intervalS)) > 1e-9)
        {
            run.Error("checkpoint_interval", $"expected a whole multiple of the output interval ({intervalS} s), got {checkpointS} s");
        }

        // How many threads run a step changes no output: kept out of the resolved scenario, so out of its hash.
        long threads = run.WholeNumber("threads", 0, min: 0, max: 256);
        var resolved = run.Context.Resolved;
        if (resolved.Count > 0 && resolved[^1].Path == run.PathOf("threads"))
        {
            resolved.RemoveAt(resolved.Count - 1);
        }

        // Load growth needs the start date and the request classes: GrowthSection reads it.
        run.Accept("growth");
        run.Done();
        return new RunSpec(SimTime.FromSeconds(double.IsFinite(horizonS) ? horizonS : 86400), fidelity, windows, (ulong)seed,
            double.IsFinite(stepS) ? stepS : 60, double.IsFinite(intervalS) ? intervalS : 900, traces)
        {
            CheckpointIntervalS = double.IsFinite(checkpointS) ? checkpointS : 30 * 86400,
            Threads = (int)threads,
        };
    }

    public static Fidelity ReadFidelity(MapReader map, string key, Fidelity defaultValue) =>
        map.Text(key, defaultValue == Fidelity.Fluid ? "fluid" : "request", "fluid", "request") == "request" ? Fidelity.Request : Fidelity.Fluid;
}
