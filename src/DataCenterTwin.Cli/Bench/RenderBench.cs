using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Model.Topology;
using DataCenterTwin.Render;
using DataCenterTwin.Scenarios.Cooling;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench render</c>: frames per second of the hall view at 1280×720 for the 48-rack
/// reference hall and a 2,000-rack hall (125 CDUs) on whatever OpenGL EGL finds here (Mesa's
/// llvmpipe without a GPU), with PNG encoding timed apart. Each frame turns the orbit camera and
/// changes the state, so nothing is cached between frames.
/// </summary>
internal static class RenderBench
{
    public static Command CreateCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var frames = new Option<int>("--frames") { Description = "Frames timed per hall (after 3 warm-up frames).", DefaultValueFactory = _ => 30 };
        var size = new Option<string>("--size") { Description = "Frame size WIDTHxHEIGHT.", DefaultValueFactory = _ => "1280x720" };
        var command = new Command("render", "Frames per second of the 3D hall view (48 and 2,000 racks), PNG encoding apart.") { json, frames, size };
        command.SetAction(parse => Run(parse.GetValue(json), Math.Max(1, parse.GetValue(frames)), parse.GetValue(size)!));
        return command;
    }

    private static int Run(bool json, int frames, string size)
    {
        var parts = size.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int width) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int height)
            || width is < HallRenderer.MinSize or > HallRenderer.MaxSize || height is < HallRenderer.MinSize or > HallRenderer.MaxSize)
        {
            Console.Error.WriteLine($"error: --size \"{size}\": expected WIDTHxHEIGHT, each side {HallRenderer.MinSize} to {HallRenderer.MaxSize} px");
            return Program.ExitInvalidInput;
        }

        var reference = ReferenceHall.Create(ChillerCurveLibrary.LoadDefault());
        var halls = new (string Name, HallTopology Topology)[] { ("48 racks", Hall(reference, 48)), ("2,000 racks", Hall(reference, 2000)) };
        var results = new JsonArray();
        string device = "";
        foreach (var (name, topology) in halls)
        {
            HallRenderer renderer;
            try
            {
                renderer = new HallRenderer(topology);
            }
            catch (RenderException ex)
            {
                Console.Error.WriteLine($"error: cannot render here: {ex.Message}");
                return Program.ExitFailure;
            }

            using (renderer)
            {
                device = renderer.Device;
                double renderS = 0, encodeS = 0, renderCpuS = 0, jpegS = 0;
                long pngBytes = 0, jpegBytes = 0;
                using var process = Process.GetCurrentProcess();
                for (int i = -3; i < frames; i++)
                {
                    var state = State(topology, i + 3);
                    var camera = Camera.Named("orbit", topology, 30 + (3 * i), (double)width / height)!;
                    process.Refresh();
                    var cpu0 = process.TotalProcessorTime;
                    long t0 = Stopwatch.GetTimestamp();
                    var frame = renderer.Render(state, camera, ColorBy.Inlet, width, height, name);
                    long t1 = Stopwatch.GetTimestamp();
                    process.Refresh();
                    var cpu1 = process.TotalProcessorTime;
                    byte[] png = frame.EncodePng();
                    long t2 = Stopwatch.GetTimestamp();

                    // JPEG at the web page's quality, what a live stream sends.
                    byte[] jpeg = frame.EncodeJpeg(85);
                    long t3 = Stopwatch.GetTimestamp();
                    if (i >= 0)
                    {
                        renderS += Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
                        renderCpuS += (cpu1 - cpu0).TotalSeconds;
                        encodeS += Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
                        pngBytes += png.Length;
                        jpegS += Stopwatch.GetElapsedTime(t2, t3).TotalSeconds;
                        jpegBytes += jpeg.Length;
                    }
                }

                results.Add(new JsonObject
                {
                    ["hall"] = name,
                    ["racks"] = topology.Racks.Count,
                    ["draw_calls_per_frame"] = renderer.DrawCallsPerFrame,
                    ["frames"] = frames,
                    ["render_ms_per_frame"] = Math.Round(renderS / frames * 1e3, 2),
                    ["frames_per_s"] = Math.Round(frames / renderS, 2),

                    // CPU time of every thread (llvmpipe's rasteriser threads included) per frame: on a
                    // shared machine the wall time depends on the neighbours, this does not.
                    ["render_cpu_ms_per_frame"] = Math.Round(renderCpuS / frames * 1e3, 2),
                    ["png_encode_ms_per_frame"] = Math.Round(encodeS / frames * 1e3, 2),
                    ["frames_per_s_with_png"] = Math.Round(frames / (renderS + encodeS), 2),
                    ["png_kb_per_frame"] = Math.Round(pngBytes / 1e3 / frames, 1),
                    ["jpeg_encode_ms_per_frame"] = Math.Round(jpegS / frames * 1e3, 2),
                    ["frames_per_s_with_jpeg"] = Math.Round(frames / (renderS + jpegS), 2),
                    ["jpeg_kb_per_frame"] = Math.Round(jpegBytes / 1e3 / frames, 1),
                });
            }
        }

        var doc = new JsonObject
        {
            ["device"] = device,
            ["gpu"] = device.Contains("llvmpipe", StringComparison.Ordinal) ? "none (Mesa llvmpipe, software)" : device,
            ["cpu_cores"] = Environment.ProcessorCount,
            ["load_average_1min"] = LoadAverage(),
            ["size"] = $"{width}x{height}",
            ["halls"] = results,
        };
        if (json)
        {
            Console.WriteLine(doc.ToJsonString());
            return Program.ExitOk;
        }

        Console.WriteLine($"render bench: {width}×{height}, 4× MSAA, overlay on; {device}; {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine($"{"hall",-12} {"draws",6} {"render ms",10} {"cpu ms",8} {"fps",8} {"png ms",8} {"fps+png",8} {"png kB",8} {"jpeg ms",8} {"fps+jpeg",9} {"jpeg kB",8}");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(string)r!["hall"]!,-12} {(int)r["draw_calls_per_frame"]!,6} {(double)r["render_ms_per_frame"]!,10:F1} {(double)r["render_cpu_ms_per_frame"]!,8:F1} {(double)r["frames_per_s"]!,8:F1} {(double)r["png_encode_ms_per_frame"]!,8:F1} {(double)r["frames_per_s_with_png"]!,8:F1} {(double)r["png_kb_per_frame"]!,8:F0} {(double)r["jpeg_encode_ms_per_frame"]!,8:F1} {(double)r["frames_per_s_with_jpeg"]!,9:F1} {(double)r["jpeg_kb_per_frame"]!,8:F0}"));
        }

        return Program.ExitOk;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }

    /// <summary>The reference hall's plant with <paramref name="racks"/> direct-to-chip racks, 16 to a CDU.</summary>
    private static HallTopology Hall(CoolingSystemSpec reference, int racks)
    {
        var thermal = new List<RackThermalSpec>(racks);
        for (int i = 0; i < racks; i++)
        {
            thermal.Add(RackThermalSpec.DirectToChip(ReferenceHall.RackDesignW, 32, i / 16, 0.8));
        }

        var template = reference.Cdus[0];
        var cdus = Enumerable.Range(0, (racks + 15) / 16).Select(c => template with { Name = $"cdu-{c + 1}" }).ToList();
        var cooling = reference with { Racks = thermal, Cdus = cdus };
        var bodies = Enumerable.Range(0, racks).Select(_ => new TopologyRack("bench", RackBody.Standard("standard-42U"), 0.3 * ReferenceHall.RackDesignW)).ToList();
        return HallTopology.Create(LayoutSpec.Default(racks, 0.6), bodies, cooling);
    }

    /// <summary>A state that differs every frame: inlets sweeping 18–36 °C across the hall, chillers cycling modes.</summary>
    private static HallViewState State(HallTopology t, int frame)
    {
        var racks = t.Racks.Select(r =>
        {
            double phase = (r.Index * 0.37) + (frame * 0.2);
            return new RackView(27 + (9 * Math.Sin(phase)), r.DesignPowerW * (0.6 + (0.3 * Math.Cos(phase))), 0.6, 1, 0);
        });
        var chillers = t.Chillers.Select(c => new ChillerView((ChillerMode)((c.Index + frame) % 5), 0.6));
        var cdus = t.Cdus.Select(c => new CduView(16 + (c.Index % 5), 28 + (c.Index % 7)));
        return new HallViewState(frame * 900.0, new DateTime(2026, 7, 21, 15, 0, 0).AddMinutes(15 * frame), racks, chillers, cdus, 14, 22,
            new FacilityView(2.4e6, 1.9e6, 2.2e6, 3e6, 2e5, 0.3, 34));
    }
}
