using ScottPlot;
using SkiaSharp;

namespace DataCenterTwin.Cli.Bench;

/// <summary>The plant's day as one PNG: its panels (mode, power, freed capacity, temperatures, COP) drawn with ScottPlot and stacked with SkiaSharp.</summary>
internal static class PlantDayPng
{
    private const int Width = 1000;
    private const int PanelHeight = 300;

    public static void Write(string path, double[] hour, IReadOnlyList<(string Title, string YLabel, (string Name, double[] Y, bool Step, bool Fill)[] Lines, double? Reference)> panels)
    {
        using var bitmap = new SKBitmap(Width, PanelHeight * panels.Count);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int i = 0; i < panels.Count; i++)
            {
                var (title, yLabel, lines, reference) = panels[i];
                var plot = new Plot();
                foreach (var (name, y, step, fill) in lines)
                {
                    var line = plot.Add.Scatter(hour, y);
                    line.LegendText = name;
                    line.MarkerSize = 0;
                    line.LineWidth = 2;
                    if (step)
                    {
                        line.ConnectStyle = ConnectStyle.StepHorizontal;
                    }

                    if (fill)
                    {
                        line.FillY = true;
                        line.FillYColor = line.Color.WithAlpha(0.3);
                    }
                }

                if (reference is { } r)
                {
                    plot.Add.HorizontalLine(r, 1, Colors.Red, LinePattern.Dashed).LegendText = "ASHRAE A1 allowable inlet";
                }

                plot.Title(title);
                plot.XLabel("hour of the day");
                plot.YLabel(yLabel);
                plot.ShowLegend(Alignment.UpperLeft);
                using var panel = SKBitmap.Decode(plot.GetImageBytes(Width, PanelHeight, ImageFormat.Png));
                canvas.DrawBitmap(panel, 0, i * PanelHeight);
            }
        }

        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
