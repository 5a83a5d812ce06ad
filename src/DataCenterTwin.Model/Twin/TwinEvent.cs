namespace DataCenterTwin.Model.Twin;

/// <summary>One entry of the run's event log: when, what, from whom, why, and a number where one applies.</summary>
/// <param name="TimeS">Seconds since the start of the run.</param>
/// <param name="Kind">What kind of thing happened.</param>
/// <param name="Source">Who: the event's kind (<c>outage</c>), the policy's name, the equipment's name.</param>
/// <param name="Description">What and why, in words.</param>
/// <param name="ValueW">A power that goes with it (curtailed capacity, IT cap, reduction asked), W; NaN when none.</param>
public readonly record struct TwinEvent(double TimeS, TwinEventKind Kind, string Source, string Description, double ValueW);
