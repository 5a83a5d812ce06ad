using System.Globalization;
using SkiaSharp;

namespace DataCenterTwin.Render.Internal;

/// <summary>
/// The figures and the legend, drawn with Skia onto the read-back image in DejaVu Sans (shipped in
/// assets/fonts with its licence), so text looks the same on every machine and needs no GL font code.
/// </summary>
internal sealed class Overlay : IDisposable
{
    private readonly SKTypeface _regular, _bold;

    public Overlay(string fontDirectory)
    {
        _regular = SKTypeface.FromFile(Path.Combine(fontDirectory, "DejaVuSans.ttf")) ?? throw new RenderException($"no DejaVuSans.ttf in {fontDirectory}");
        _bold = SKTypeface.FromFile(Path.Combine(fontDirectory, "DejaVuSans-Bold.ttf")) ?? _regular;
    }

    public void Dispose()
    {
        _regular.Dispose();
        _bold.Dispose();
    }

    public unsafe void Draw(HallFrame frame, HallViewState state, ColorBy colorBy, string title)
    {
        var info = new SKImageInfo(frame.Width, frame.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        fixed (byte* p = frame.Rgba)
        {
            using var surface = SKSurface.Create(info, (nint)p, frame.Width * 4) ?? throw new RenderException("Skia cannot draw on the frame");
            var canvas = surface.Canvas;
            float size = Math.Clamp(frame.Height / 48f, 9f, 40f);
            using var font = new SKFont(_regular, size) { Edging = SKFontEdging.Antialias, Subpixel = false, Hinting = SKFontHinting.Normal };
            using var boldFont = new SKFont(_bold, size * 1.1f) { Edging = SKFontEdging.Antialias, Subpixel = false };
            using var text = new SKPaint { Color = new SKColor(240, 242, 245), IsAntialias = true };
            using var panel = new SKPaint { Color = new SKColor(15, 18, 24, 200), IsAntialias = false };

            var f = state.Facility;
            string grid = f.GridCapW > 0
                ? $"Grid {Power(f.GridW)} of {Power(f.GridCapW)} cap ({f.GridW / f.GridCapW * 100:F0} %)"
                : $"Grid {Power(f.GridW)}";
            string[] lines =
            [
                Invariant($"Facility {Power(f.TotalW)}   IT {Power(f.ItW)}   PUE {f.Pue:F2}"),
                Invariant($"{grid}"),
                Invariant($"Freed capacity {Power(f.FreedW)}   gas share {f.GasShare * 100:F0} %"),
                Invariant($"Outdoor {f.OutdoorC:F1} °C"),
            ];
            string heading = Invariant($"{(title.Length > 0 ? title + "   " : "")}{state.LocalTime:yyyy-MM-dd HH:mm} site time");
            float line = size * 1.45f, pad = size * 0.7f;
            float w = Math.Max(boldFont.MeasureText(heading), lines.Max(l => font.MeasureText(l))) + (2 * pad);
            canvas.DrawRect(pad, pad, w, (line * (lines.Length + 1)) + pad, panel);
            float y = pad + pad + size;
            canvas.DrawText(heading, pad * 2, y, SKTextAlign.Left, boldFont, text);
            foreach (string l in lines)
            {
                y += line;
                canvas.DrawText(l, pad * 2, y, SKTextAlign.Left, font, text);
            }

            // Legend along the bottom, one column a group: the rack colouring, chiller modes, coolant.
            var (legendTitle, entries) = ColourScale.Legend(colorBy);
            var groups = new (string Title, IReadOnlyList<LegendEntry> Entries)[]
            {
                (legendTitle, entries), ("Chillers (white bar: load)", ColourScale.ModeLegend()), ("Pipes: coolant", ColourScale.CoolantLegend()),
            };
            using var small = new SKFont(_regular, size * 0.9f) { Edging = SKFontEdging.Antialias, Subpixel = false };
            float sline = size * 0.9f * 1.4f;
            int rows = groups.Max(g => g.Entries.Count) + 1;
            float lh = (rows * sline) + pad;
            float x = pad, top = frame.Height - pad - lh;
            using var swatch = new SKPaint { IsAntialias = false };
            foreach (var (groupTitle, list) in groups)
            {
                float gw = Math.Max(small.MeasureText(groupTitle), list.Max(e => small.MeasureText(e.Label)) + (size * 1.5f)) + (2 * pad);
                canvas.DrawRect(x, top, gw, lh, panel);
                y = top + pad * 0.5f + size;
                canvas.DrawText(groupTitle, x + pad, y, SKTextAlign.Left, small, text);
                foreach (var e in list)
                {
                    y += sline;
                    var (r, g, b) = e.Colour.Bytes;
                    swatch.Color = new SKColor(r, g, b);
                    canvas.DrawRect(x + pad, y - (size * 0.8f), size * 0.9f, size * 0.9f, swatch);
                    canvas.DrawText(e.Label, x + pad + (size * 1.5f), y, SKTextAlign.Left, small, text);
                }

                x += gw + (pad * 0.5f);
            }

            canvas.Flush();
        }
    }

    private static string Power(double w) =>
        !double.IsFinite(w) ? "–" : Math.Abs(w) >= 1e6 ? Invariant($"{w / 1e6:F2} MW") : Invariant($"{w / 1e3:F0} kW");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
