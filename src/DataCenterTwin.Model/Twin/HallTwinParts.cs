using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Control;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Power;

namespace DataCenterTwin.Model.Twin;

/// <summary>The built components of one hall and its site, ready to be wired on one clock.</summary>
/// <param name="Simulator">The event kernel every part schedules on.</param>
/// <param name="It">The IT load (request-level or fluid-level compute).</param>
/// <param name="RackIdlePowerW">Each rack's power with its accelerators idle at any clock, W (for IT capping).</param>
/// <param name="Cooling">Heat, loops and chiller plant.</param>
/// <param name="Weather">Outdoor air over the year.</param>
/// <param name="Calendar">Local time of the run.</param>
/// <param name="UtcOffsetHours">The site's offset from UTC, h.</param>
/// <param name="Power">Distribution losses and other facility load.</param>
/// <param name="Grid">The interconnect.</param>
/// <param name="Ups">The UPS battery.</param>
/// <param name="Generator">Standby generators.</param>
/// <param name="Tariff">Prices and carbon.</param>
/// <param name="Policy">The supervisory control policy.</param>
/// <param name="MinSpeedFactor">Lowest clock factor IT capping may impose.</param>
/// <param name="Events">Scheduled site events.</param>
/// <param name="Equipment">Equipment a failure event can name, with what failing and restoring it does.</param>
/// <param name="ControlStepS">Control step, s.</param>
/// <param name="OutputIntervalS">Output interval, s (a whole number of control steps).</param>
public sealed record HallTwinParts(
    Simulator Simulator, IItLoad It, double[] RackIdlePowerW, CoolingSystem Cooling, WeatherSeries Weather, SiteCalendar Calendar,
    double UtcOffsetHours, PowerPath Power, GridConnection Grid, Ups Ups, Generator Generator, TariffSpec Tariff, IControlPolicy Policy,
    double MinSpeedFactor, IReadOnlyList<GridEventSpec> Events, IReadOnlyDictionary<string, Action<bool>> Equipment,
    double ControlStepS, double OutputIntervalS);
