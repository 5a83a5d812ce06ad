using System.Diagnostics;
using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;
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
            // The session's own graph is private: a second capture of the same freshly built twin
            // numbers the same objects, so it times the capture and the bare walk apart from the envelope.
            var clock = Stopwatch.StartNew();
            var s = new TwinSession(spec);
            double buildS = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var graph = StateGraph.Capture(s);
            double captureS = clock.Elapsed.TotalSeconds;
            var mid = SimTime.FromSeconds((window.Start.TotalSeconds + window.End.TotalSeconds) / 2);
            s.RunUntil(mid);
            long inFlight = s.Built.RequestHall?.RequestsInFlight ?? 0;

            // Each step is timed a few times and the best kept: the first pays the JIT, the others the machine's noise.
            const int Repeats = 3;
            double walkS = double.MaxValue, saveS = double.MaxValue, restoreWalkS = double.MaxValue, restoreS = double.MaxValue;
            byte[] blob = [];
            int stateBytes = 0;
            for (int i = 0; i < Repeats; i++)
            {
                var writer = new StateWriter(64 * 1024);
                clock.Restart();
                graph.Save(writer);
                walkS = Math.Min(walkS, clock.Elapsed.TotalSeconds);
                stateBytes = writer.Length;
                clock.Restart();
                blob = s.SaveCheckpoint();
                saveS = Math.Min(saveS, clock.Elapsed.TotalSeconds);

                var bare = new TwinSession(spec);
                var bareGraph = StateGraph.Capture(bare);
                clock.Restart();
                bareGraph.Restore(new StateReader(writer.ToArray()));
                restoreWalkS = Math.Min(restoreWalkS, clock.Elapsed.TotalSeconds);

                var fresh = new TwinSession(spec);
                clock.Restart();
                fresh.RestoreCheckpoint(blob);
                restoreS = Math.Min(restoreS, clock.Elapsed.TotalSeconds);
                if (i == Repeats - 1 && !fresh.SaveCheckpoint().AsSpan().SequenceEqual(blob))
                {
                    Console.WriteLine("  WARNING: the restored session saves a different checkpoint");
                }
            }

            Console.WriteLine(string.Format(inv, "checkpoint in the middle of the request window at {0} ({1:N0} requests in flight; best of {2}):", mid, inFlight, Repeats));
            Console.WriteLine(string.Format(inv, "  size {0:N0} bytes (state walk {1:N0} bytes); save {2:F1} ms; restore {3:F1} ms",
                blob.Length, stateBytes, saveS * 1e3, restoreS * 1e3));
            Console.WriteLine(string.Format(inv, "  breakdown: capture at build {0:F1} ms of the {1:F1} ms build ({2:N0} objects); save walk {3:F1} ms + envelope {4:F1} ms; restore walk {5:F1} ms + envelope {6:F1} ms",
                captureS * 1e3, buildS * 1e3, graph.BuiltCount, walkS * 1e3, Math.Max(0, saveS - walkS) * 1e3, restoreWalkS * 1e3, Math.Max(0, restoreS - restoreWalkS) * 1e3));
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
        long yearStateBytes = new FileInfo(Path.Combine(Path.GetTempPath(), $"dctwin-bench-{Environment.ProcessId}-killed", RunFolder.StateFileName)).Length;
        double resumed = Folder("killed", true, null, true);
        Folder("killed-replay", false, kill, false);
        double replayed = Folder("killed-replay", false, null, true);
        Console.WriteLine(string.Format(inv, "run folder of the year ({0:N0} d):", spec.Run.Horizon.TotalSeconds / 86400));
        Console.WriteLine(string.Format(inv, "  whole year {0:F2} s; without states at checkpoints {1:F2} s ({2:F3}x: the cost of saving them)", whole, before, whole / before));
        Console.WriteLine(string.Format(inv, "  resumed after a kill just past day 300: {0:F2} s from its state of {1:N0} bytes ({2:F1} % of the year); {3:F2} s by replay ({4:F1} %)",
            resumed, yearStateBytes, 100 * resumed / whole, replayed, 100 * replayed / whole));
        foreach (string name in new[] { "whole", "no-state", "killed", "killed-replay" })
        {
            Directory.Delete(Path.Combine(Path.GetTempPath(), $"dctwin-bench-{Environment.ProcessId}-{name}"), recursive: true);
        }
    }
}
