namespace DataCenterTwin.Model.Topology;

/// <summary>What the topology needs to know of a rack beyond its thermal spec.</summary>
/// <param name="Pool">The pool or training block it belongs to.</param>
/// <param name="Body">Its enclosure.</param>
/// <param name="IdlePowerW">Power with every accelerator idle, W.</param>
public sealed record TopologyRack(string Pool, RackBody Body, double IdlePowerW);
