using System.Diagnostics;
using System.Globalization;

namespace DataCenterTwin.Cli.Run;

/// <summary>
/// Shows a run's progress: a bar that redraws in place on a terminal, plain lines every few
/// seconds when the output is a file or a pipe. Simulated time, wall time, speed and ETA.
/// </summary>
internal sealed class ProgressReporter : IProgress<double>
{
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly double _horizonS;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _period;
    private TimeSpan _last = TimeSpan.FromDays(-1);
    private int _calls;

    public ProgressReporter(TextWriter output, bool interactive, double horizonS)
    {
        _output = output;
        _interactive = interactive;
        _horizonS = horizonS;
        _period = interactive ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5);
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <inheritdoc/>
    void IProgress<double>.Report(double value) => Report(value);

    /// <summary>Reports that <paramref name="simulatedS"/> of the horizon are done (rate-limited).</summary>
    public void Report(double simulatedS, bool force = false)
    {
        // Called every control step: reading the clock costs a system call on some virtual
        // machines (a tenth of a fluid step's time on a large hall), so it is read every 16th call.
        if (!force && (++_calls & 15) != 0)
        {
            return;
        }

        var now = _clock.Elapsed;
        if (!force && now - _last < _period)
        {
            return;
        }

        _last = now;
        double fraction = _horizonS > 0 ? Math.Clamp(simulatedS / _horizonS, 0, 1) : 1;
        double wall = Math.Max(now.TotalSeconds, 1e-9);
        double speed = simulatedS / wall;
        string eta = speed > 0 && fraction < 1 ? FormatDuration((_horizonS - simulatedS) / speed) : "-";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{fraction * 100,5:F1}%  sim {FormatDuration(simulatedS)} / {FormatDuration(_horizonS)}  wall {FormatDuration(wall)}  speed {speed:N0}x  ETA {eta}");
        if (_interactive)
        {
            const int barWidth = 24;
            int filled = (int)(fraction * barWidth);
            _output.Write($"\r[{new string('#', filled)}{new string('.', barWidth - filled)}] {text}   ");
            if (force)
            {
                _output.WriteLine();
            }
        }
        else
        {
            _output.WriteLine(text);
        }
    }

    public static string FormatDuration(double seconds)
    {
        if (!double.IsFinite(seconds))
        {
            return "-";
        }

        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalDays}d {t.Hours:00}h")
            : t.TotalHours >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h {t.Minutes:00}m")
                : t.TotalMinutes >= 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m {t.Seconds:00}s")
                    : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F1}s");
    }
}
