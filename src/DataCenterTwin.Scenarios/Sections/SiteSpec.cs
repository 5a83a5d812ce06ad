using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Power;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>The site around the hall: weather, calendar, grid, tariffs and the electrical path.</summary>
/// <param name="WeatherPath">The EPW weather file (the first, when the weather cycles over several).</param>
/// <param name="Start">Local standard time at the start of the run.</param>
/// <param name="UtcOffsetHours">The site's standard-time offset from UTC, h.</param>
/// <param name="GridCapacityW">Interconnect capacity, W.</param>
/// <param name="Tariff">Prices and carbon.</param>
/// <param name="Ups">The UPS battery.</param>
/// <param name="UpsLoss">The UPS's losses.</param>
/// <param name="PduLoss">The PDUs' and transformers' losses.</param>
/// <param name="Generator">Standby generators.</param>
/// <param name="OtherFixedW">Lighting, offices and other fixed load, W.</param>
/// <param name="OtherFractionOfIt">Other load proportional to IT, 0–1.</param>
public sealed record SiteSpec(string WeatherPath, DateTime Start, double UtcOffsetHours, double GridCapacityW, TariffSpec Tariff,
    UpsSpec Ups, DistributionLossSpec UpsLoss, DistributionLossSpec PduLoss, GeneratorSpec Generator, double OtherFixedW, double OtherFractionOfIt)
{
    /// <summary>Every EPW file of <c>site.weather</c>, in order: one weather year each, cycled (year 1 the first, …, then the first again).</summary>
    public IReadOnlyList<string> WeatherPaths { get; init; } = WeatherPath.Length > 0 ? [WeatherPath] : [];
}
