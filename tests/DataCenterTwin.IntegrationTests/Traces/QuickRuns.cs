using System.Text.Json.Nodes;

namespace DataCenterTwin.IntegrationTests.Traces;

/// <summary>
/// quick.yaml run once at fluid level for a day and once at request level for three hours, shared
/// by the readback tests (each run takes a second or two).
/// </summary>
public sealed class QuickRuns : IDisposable
{
    public const double OutputIntervalS = 900;   // run.output_interval in quick.yaml
    public const int Racks = 4;                  // hall.pools[0].racks in quick.yaml
    public const double FluidHorizonS = 86_400;  // run.horizon in quick.yaml
    public const string RequestHorizon = "3 h";
    public const double RequestHorizonS = 3 * 3600;

    public QuickRuns()
    {
        (FluidFolder, FluidSummary) = Repository.Run("scenarios/quick.yaml");
        (RequestFolder, RequestSummary) = Repository.Run("scenarios/quick.yaml", RequestHorizon, "request");
    }

    public string FluidFolder { get; }

    public JsonNode FluidSummary { get; }

    public string RequestFolder { get; }

    public JsonNode RequestSummary { get; }

    public void Dispose()
    {
        Directory.Delete(FluidFolder, recursive: true);
        Directory.Delete(RequestFolder, recursive: true);
    }
}
