namespace DataCenterTwin.Model.Twin;

/// <summary>How the hall came through one site event.</summary>
/// <param name="Kind">The event's kind (<c>outage</c>, <c>demand-response</c>, …).</param>
/// <param name="Description">The event in words.</param>
/// <param name="StartS">When it started, s since the start of the run.</param>
/// <param name="Survived">Whether the hall came through: no IT power lost, no grid limit crossed, the reduction met, no inlet outside the allowable envelope.</param>
/// <param name="Detail">What happened, in words (compliance, UPS energy, time over the limit).</param>
/// <param name="Compliance">Demand response: the reduction delivered over the reduction asked; NaN for other kinds.</param>
public sealed record EventOutcome(string Kind, string Description, double StartS, bool Survived, string Detail, double Compliance);
