using SkiaSharp;

namespace DataCenterTwin.Render;

/// <summary>A rendered image: RGBA bytes, rows from the top.</summary>
public sealed class HallFrame
{
    /// <summary>Wraps pixels (not copied).</summary>
    public HallFrame(int width, int height, byte[] rgba)
    {
        Width = width;
        Height = height;
        Rgba = rgba;
    }

    /// <summary>Width, px.</summary>
    public int Width { get; }

    /// <summary>Height, px.</summary>
    public int Height { get; }

    /// <summary>Pixels, 4 bytes each, rows from the top.</summary>
    public byte[] Rgba { get; }

    /// <summary>The pixel at (<paramref name="x"/>, <paramref name="y"/>) from the top left.</summary>
    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        int i = ((y * Width) + x) * 4;
        return (Rgba[i], Rgba[i + 1], Rgba[i + 2]);
    }

    // zlib level 3 with the Sub and Up filters: about half the time of the default level 6 with
    // every filter tried, for files a few per cent larger; a frame a second matters more here.
    private static readonly SKPngEncoderOptions PngOptions = new(SKPngEncoderFilterFlags.Sub | SKPngEncoderFilterFlags.Up, 3);

    /// <summary>The image as PNG (deterministic: same pixels, same bytes).</summary>
    public unsafe byte[] EncodePng()
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        fixed (byte* p = Rgba)
        {
            using var pixmap = new SKPixmap(info, (nint)p);
            using var data = pixmap.Encode(PngOptions) ?? throw new RenderException("PNG encoding failed");
            return data.ToArray();
        }
    }

    /// <summary>The image as baseline JPEG at <paramref name="quality"/> (1–100), 4:2:0 chroma (deterministic: same pixels, same bytes).</summary>
    public unsafe byte[] EncodeJpeg(int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        fixed (byte* p = Rgba)
        {
            using var pixmap = new SKPixmap(info, (nint)p);
            var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
            using var data = pixmap.Encode(options) ?? throw new RenderException("JPEG encoding failed");
            return data.ToArray();
        }
    }
}
