using System.Diagnostics;
using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Runs;
using DataCenterTwin.Runs.Folder;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// The checkpoint half of <c>dctwin bench session</c>: the size of a checkpoint and the time to save
/// and restore it in the middle of the scenario's first request-level window (requests in flight);
/// a run folder's year killed just after its day-300 checkpoint and resumed, against the whole
/// year, in the same process; and the whole year with and without a state saved at every checkpoint.
/// </summary>
internal static class SessionCheckpointBench
{
    public static void Run(ScenarioSpec spec)
    {
        var inv = CultureInfo.InvariantCulture;
        if (spec.Run.Windows.FirstOrDefault(w => w.Fidelity == Fidelity.Request) is { } window)
        {
            var s = new TwinSession(spec);
            var mid = SimTime.FromSeconds((window.Start.TotalSeconds + window.End.TotalSeconds) / 2);
            s.RunUntil(mid);
            long inFlight = s.Built.RequestHall?.RequestsInFlight ?? 0;
            var clock = Stopwatch.StartNew();
            byte[] blob = s.SaveCheckpoint();
            double saveS = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var fresh = new TwinSession(spec);
            double buildS = clock.Elapsed.TotalSeconds;
            clock.Restart();
            fresh.RestoreCheckpoint(blob);
            double restoreS = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Format(inv, "checkpoint in the middle of the request window at {0} ({1:N0} requests in flight):", mid, inFlight));
            Console.WriteLine(string.Format(inv, "  size {0:N0} bytes; save {1:F1} ms; restore {2:F1} ms (plus {3:F1} ms to build the fresh twin it goes into)",
                blob.Length, saveS * 1e3, restoreS * 1e3, buildS * 1e3));
        }

        if (spec.Run.Horizon.TotalSeconds < 301 * 86400.0)
        {
            return;
        }

        // Whole year, into a run folder (traces on), with and without states, and a year killed after day 300 and resumed.
        double Folder(string name, bool saveState, double? killAtS, bool resume)
        {
            string folder = Path.Combine(Path.GetTempPath(), $"dctwin-bench-{Environment.ProcessId}-{name}");
            var clock = Stopwatch.StartNew();
            RunFolder.Run(new TwinSession(spec), folder, traces: true, resume, null, TextWriter.Null, out _, killAtS: killAtS, saveState: saveState);
            return clock.Elapsed.TotalSeconds;
        }

        var kill = 300 * 86400.0 + 3600;
        double whole = Folder("whole", true, null, false);
        double before = Folder("no-state", false, null, false);
        Folder("killed", true, kill, false);
        double resumed = Folder("killed", true, null, true);
        Folder("killed-replay", false, kill, false);
        double replayed = Folder("killed-replay", false, null, true);
        Console.WriteLine(string.Format(inv, "run folder of the year ({0:N0} d):", spec.Run.Horizon.TotalSeconds / 86400));
        Console.WriteLine(string.Format(inv, "  whole year {0:F2} s; without states at checkpoints {1:F2} s ({2:F3}x: the cost of saving them)", whole, before, whole / before));
        Console.WriteLine(string.Format(inv, "  resumed after a kill just past day 300: {0:F2} s from its state ({1:F1} % of the year); {2:F2} s by replay ({3:F1} %)",
            resumed, 100 * resumed / whole, replayed, 100 * replayed / whole));
        foreach (string name in new[] { "whole", "no-state", "killed", "killed-replay" })
        {
            Directory.Delete(Path.Combine(Path.GetTempPath(), $"dctwin-bench-{Environment.ProcessId}-{name}"), recursive: true);
        }
    }
}
