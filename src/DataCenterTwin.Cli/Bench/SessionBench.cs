using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Runs;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench session</c>: what the session costs over the bare twin. The metro year (fluid,
/// its request windows left out) three ways in one process: the twin built and run directly in
/// slices as the CLI ran it before the session existed, the same through a session, and a session
/// publishing a snapshot every control step.
/// </summary>
internal static class SessionBench
{
    public static Command CreateCommand()
    {
        var scenario = new Option<string>("--scenario") { Description = "The scenario.", DefaultValueFactory = _ => "scenarios/metro-inference.yaml" };
        var horizon = new Option<string?>("--horizon") { Description = "Override run.horizon (default: the scenario's)." };
        var checkpointOnly = new Option<bool>("--checkpoint-only") { Description = "Only the checkpoint figures (size, save and restore with their breakdown, resume against the year)." };
        var command = new Command("session", "Session overhead: a run through a session against the bare twin, and snapshot cost per control step.") { scenario, horizon, checkpointOnly };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(horizon), parse.GetValue(checkpointOnly)));
        return command;
    }

    private static int Run(string path, string? horizon, bool checkpointOnly)
    {
        var overrides = horizon is null ? null : new Dictionary<string, string> { ["run.horizon"] = horizon };
        var (loaded, errors) = ScenarioLoader.Load(path, AssetPaths.FindAssetsDirectory(), overrides);
        if (loaded is null)
        {
            ValidateCommand(errors);
            return Program.ExitInvalidInput;
        }

        if (checkpointOnly)
        {
            SessionCheckpointBench.Run(loaded);
            return Program.ExitOk;
        }

        var spec = loaded with { Run = loaded.Run with { Windows = [] } };
        var inv = CultureInfo.InvariantCulture;

        // Warm up the JIT on a day so the first measured way is not charged for it.
        new TwinSession(spec with { Run = spec.Run with { Horizon = SimTime.FromDays(1) } }).RunToHorizon();

        double bare = Bare(spec);
        var (session, steps) = Session(spec, snapshots: false);
        var (published, _) = Session(spec, snapshots: true);
        Console.WriteLine(string.Format(inv, "{0} ({1} racks, {2:N0} control steps, fluid):", spec.Name, spec.Hall.Racks.Count, steps));
        Console.WriteLine(string.Format(inv, "  bare twin, run in slices as before:   {0:F2} s wall", bare));
        Console.WriteLine(string.Format(inv, "  through a session:                    {0:F2} s wall ({1:F3}x the bare twin)", session, session / bare));
        Console.WriteLine(string.Format(inv, "  session publishing every step:        {0:F2} s wall; snapshot {1:F2} µs per control step ({2} racks)",
            published, Math.Max(0, published - session) / steps * 1e6, spec.Hall.Racks.Count));
        SessionCheckpointBench.Run(loaded);
        return Program.ExitOk;
    }

    private static void ValidateCommand(IReadOnlyList<Scenarios.Yaml.ScenarioError> errors)
    {
        foreach (var e in errors)
        {
            Console.Error.WriteLine($"error: {e}");
        }
    }

    private static double Bare(ScenarioSpec spec)
    {
        var clock = Stopwatch.StartNew();
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        var slice = SimTime.FromSeconds(Math.Max(spec.Run.ControlStepS, Math.Min(6 * 3600, spec.Run.Horizon.TotalSeconds / 200)));
        for (var t = SimTime.Zero; t < spec.Run.Horizon;)
        {
            t = t + slice < spec.Run.Horizon ? t + slice : spec.Run.Horizon;
            built.Twin.RunUntil(t);
        }

        built.Twin.Flush();
        return clock.Elapsed.TotalSeconds;
    }

    private static (double WallS, long Steps) Session(ScenarioSpec spec, bool snapshots)
    {
        var clock = Stopwatch.StartNew();
        var s = new TwinSession(spec, Fidelity.Fluid) { PublishSnapshots = snapshots };
        s.RunToHorizon();
        return (clock.Elapsed.TotalSeconds, s.Twin.Steps);
    }
}
