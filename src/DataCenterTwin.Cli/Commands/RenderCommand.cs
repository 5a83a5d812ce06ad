using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Render;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Units;

namespace DataCenterTwin.Cli.Commands;

/// <summary>
/// <c>dctwin render SCENARIO --at TIME --out hall.png</c>: runs the twin to a simulated time and
/// draws the hall there; <c>--every 1h --out frames/</c> draws a sequence (and a video with
/// <c>--video</c> where ffmpeg is installed).
/// </summary>
internal static class RenderCommand
{
    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    public static Command Create()
    {
        var scenario = new Argument<string>("SCENARIO") { Description = "The scenario file (YAML)." };
        var at = new Option<string?>("--at") { Description = "Site local time of the frame (2026-07-15T15:00); with --every, the first frame." };
        var every = new Option<string?>("--every") { Description = "Draw a frame every so long (\"1 h\", \"15 min\") to --until or the horizon; --out is then a folder." };
        var until = new Option<string?>("--until") { Description = "With --every: the time of the last frame (default: the horizon)." };
        var outPath = new Option<string>("--out") { Description = "The PNG file (one frame) or folder (--every).", Required = true };
        var camera = new Option<string>("--camera") { Description = $"{string.Join(", ", Camera.Names)}, or eye and target in metres: x,y,z:tx,ty,tz.", DefaultValueFactory = _ => "overview" };
        var orbit = new Option<double>("--orbit-angle") { Description = "Orbit camera: degrees around the hall (with --every it turns 10° a frame).", DefaultValueFactory = _ => 30 };
        var colorBy = new Option<string>("--color-by") { Description = $"What colours the racks: {string.Join(", ", ColorByNames.All)}.", DefaultValueFactory = _ => "inlet" };
        var size = new Option<string>("--size") { Description = "Image size WIDTHxHEIGHT in pixels.", DefaultValueFactory = _ => "1280x720" };
        var video = new Option<string?>("--video") { Description = "With --every: also write this video file (MP4) through ffmpeg." };
        var command = new Command("render", "Draw the hall at a simulated time (PNG), or a sequence of frames.")
        {
            scenario, at, every, until, outPath, camera, orbit, colorBy, size, video,
        };
        command.SetAction(parse => Run(new Options(parse.GetValue(scenario)!, parse.GetValue(at), parse.GetValue(every), parse.GetValue(until),
            parse.GetValue(outPath)!, parse.GetValue(camera)!, parse.GetValue(orbit), parse.GetValue(colorBy)!, parse.GetValue(size)!, parse.GetValue(video)),
            Console.Out, Console.Error));
        return command;
    }

    public sealed record Options(string Scenario, string? At, string? Every, string? Until, string Out, string Camera, double OrbitDeg,
        string ColorBy, string Size, string? Video);

    public static int Run(Options o, TextWriter output, TextWriter error)
    {
        int Bad(string message)
        {
            error.WriteLine($"error: {message}");
            return Program.ExitInvalidInput;
        }

        // Arguments first, so a mistake costs no simulation.
        if (ColorByNames.Parse(o.ColorBy) is not { } colorBy)
        {
            return Bad($"unknown --color-by \"{o.ColorBy}\"; known: {string.Join(", ", ColorByNames.All)}");
        }

        if (!Camera.Names.Contains(o.Camera) && Camera.Parse(o.Camera) is null)
        {
            return Bad($"unknown --camera \"{o.Camera}\"; known: {string.Join(", ", Camera.Names)}, or eye and target as x,y,z:tx,ty,tz (metres)");
        }

        if (ParseSize(o.Size) is not { } wh)
        {
            return Bad($"--size \"{o.Size}\" is not a frame size: expected WIDTHxHEIGHT with each side {HallRenderer.MinSize} to {HallRenderer.MaxSize} px, such as 1280x720");
        }

        double everyS = 0;
        if (o.Every is not null && (!Quantity.TryParse(o.Every, Dimension.Time, out everyS, out string why) || everyS <= 0))
        {
            return Bad($"--every \"{o.Every}\" is not a positive duration such as \"1 h\"{(everyS <= 0 && why.Length == 0 ? "" : ": " + why)}");
        }

        if (o.At is null && o.Every is null)
        {
            return Bad("give --at TIME for one frame, or --every DURATION for a sequence");
        }

        if (o.Video is not null && o.Every is null)
        {
            return Bad("--video needs --every: a video is a sequence of frames");
        }

        var (spec, errors) = ScenarioLoader.Load(o.Scenario, AssetPaths.FindAssetsDirectory());
        if (spec is null)
        {
            ValidateCommand.PrintErrors(errors, o.Scenario, error);
            return Program.ExitInvalidInput;
        }

        // Frames: simulated seconds since the start, each at least one output interval in (a
        // frame shows the interval that closed last) and no later than the horizon.
        var start = spec.Site.Start;
        double horizonS = spec.Run.Horizon.TotalSeconds, firstS = spec.Run.OutputIntervalS;
        string Span() => Invariant($"{start.AddSeconds(firstS):yyyy-MM-dd'T'HH:mm} to {start.AddSeconds(horizonS):yyyy-MM-dd'T'HH:mm} (site time)");
        double? Time(string text)
        {
            if (!DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            {
                return null;
            }

            double s = (t - start).TotalSeconds;
            return s >= firstS - 1e-6 && s <= horizonS + 1e-6 ? s : double.NaN;
        }

        var times = new List<double>();
        double? from = o.At is null ? firstS : Time(o.At);
        if (from is null)
        {
            return Bad($"--at \"{o.At}\" is not a time such as 2026-07-15T15:00");
        }

        if (double.IsNaN(from.Value))
        {
            return Bad($"--at {o.At} is outside the run: frames can be drawn from {Span()}");
        }

        if (o.Every is null)
        {
            times.Add(from.Value);
        }
        else
        {
            double? to = o.Until is null ? horizonS : Time(o.Until);
            if (to is null || double.IsNaN(to.Value) || to < from)
            {
                return Bad($"--until {o.Until} is not a time after --at inside the run ({Span()})");
            }

            for (double t = from.Value; t <= to.Value + 1e-6; t += everyS)
            {
                times.Add(t);
                if (times.Count > 100_000)
                {
                    return Bad($"--every {o.Every} gives more than 100,000 frames; choose a longer step or a shorter --until");
                }
            }
        }

        BuiltTwin built;
        try
        {
            built = TwinBuilder.Build(spec, spec.Run.Fidelity);
        }
        catch (ArgumentException ex)
        {
            return Bad($"{o.Scenario}: the scenario is valid but cannot be built: {ex.Message}");
        }

        var recorder = new HallStateRecorder(built.Topology, start);
        built.Twin.Observe(recorder);
        HallRenderer renderer;
        try
        {
            renderer = new HallRenderer(built.Topology);
        }
        catch (RenderException ex)
        {
            error.WriteLine($"error: cannot render here: {ex.Message}");
            return Program.ExitFailure;
        }

        using (renderer)
        {
            bool sequence = o.Every is not null;
            if (sequence)
            {
                Directory.CreateDirectory(o.Out);
            }
            else if (Path.GetDirectoryName(Path.GetFullPath(o.Out)) is { } dir)
            {
                Directory.CreateDirectory(dir);
            }

            var clock = Stopwatch.StartNew();
            double renderS = 0, encodeS = 0;
            for (int i = 0; i < times.Count; i++)
            {
                built.Twin.RunUntil(SimTime.FromSeconds(times[i]));
                var state = recorder.Snapshot();
                var camera = Camera.Named(o.Camera, built.Topology, o.OrbitDeg + (sequence ? 10 * i : 0), (double)wh.Width / wh.Height) ?? Camera.Parse(o.Camera)!;
                long t0 = Stopwatch.GetTimestamp();
                var frame = renderer.Render(state, camera, colorBy, wh.Width, wh.Height, spec.Name);
                long t1 = Stopwatch.GetTimestamp();
                byte[] png = frame.EncodePng();
                renderS += Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
                encodeS += Stopwatch.GetElapsedTime(t1).TotalSeconds;
                string path = sequence ? Path.Combine(o.Out, Invariant($"frame-{i + 1:D5}.png")) : o.Out;
                File.WriteAllBytes(path, png);
                if (!sequence)
                {
                    output.WriteLine(Invariant($"wrote {path}: {wh.Width}×{wh.Height}, {spec.Name} at {state.LocalTime:yyyy-MM-dd HH:mm} site time, racks by {o.ColorBy}, {o.Camera} camera"));
                }
            }

            output.WriteLine(Invariant($"{times.Count} frame(s) on {renderer.Device}: {renderS / times.Count * 1e3:F1} ms drawing, {encodeS / times.Count * 1e3:F1} ms PNG encoding per frame; {clock.Elapsed.TotalSeconds:F1} s in all with the simulation"));
            if (sequence)
            {
                output.WriteLine($"wrote {times.Count} frames to {o.Out}");
                if (o.Video is not null)
                {
                    return Video(o.Out, o.Video, output, error);
                }
            }
        }

        return Program.ExitOk;
    }

    private static (int Width, int Height)? ParseSize(string text)
    {
        var parts = text.Split('x', 'X', '×');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h))
        {
            return null;
        }

        bool ok = w is >= HallRenderer.MinSize and <= HallRenderer.MaxSize && h is >= HallRenderer.MinSize and <= HallRenderer.MaxSize;
        return ok ? (w, h) : null;
    }

    private static int Video(string folder, string file, TextWriter output, TextWriter error)
    {
        var info = new ProcessStartInfo("ffmpeg")
        {
            ArgumentList = { "-y", "-loglevel", "error", "-framerate", "10", "-i", Path.Combine(folder, "frame-%05d.png"), "-pix_fmt", "yuv420p", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", file },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var p = Process.Start(info)!;
            string log = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                error.WriteLine($"error: ffmpeg failed ({p.ExitCode}): {log.Trim()}");
                return Program.ExitFailure;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            error.WriteLine($"error: ffmpeg is not installed, so no video; the frames are in {folder}");
            return Program.ExitFailure;
        }

        output.WriteLine($"wrote {file}");
        return Program.ExitOk;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
