using System.CommandLine;
using DataCenterTwin.Traces.Weather;

namespace DataCenterTwin.Cli.Commands;

/// <summary><c>dctwin convert weather FILE.epw OUT.parquet</c>: input data in a form researchers load anywhere.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var epw = new Argument<string>("FILE") { Description = "The EnergyPlus weather file (.epw)." };
        var output = new Argument<string>("OUT") { Description = "The Parquet file to write." };
        var weather = new Command("weather", "Convert EPW weather to Parquet (one row per hour, SI units).") { epw, output };
        weather.SetAction(parse => Weather(parse.GetValue(epw)!, parse.GetValue(output)!, Console.Out, Console.Error));
        return new Command("convert", "Convert input data to Parquet.") { weather };
    }

    public static int Weather(string epwPath, string outPath, TextWriter output, TextWriter error)
    {
        // Where the file cannot go is bad input, said before the weather is read.
        string? folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (Directory.Exists(outPath) || folder is null || !Directory.Exists(folder))
        {
            error.WriteLine(Directory.Exists(outPath)
                ? $"error: {outPath}: is a folder; give the Parquet file to write"
                : $"error: {outPath}: no folder {folder} to write it in");
            return Program.ExitInvalidInput;
        }

        EpwWeather weather;
        try
        {
            weather = EpwReader.Read(epwPath);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            error.WriteLine($"error: {ex.Message}");
            return Program.ExitInvalidInput;
        }

        try
        {
            EpwParquet.Write(weather, outPath, Path.GetFileName(epwPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {outPath}: {ex.Message}");
            return Program.ExitFailure;
        }

        output.WriteLine($"{outPath}: {weather.Hours} hours of {weather.City} weather");
        return Program.ExitOk;
    }
}
