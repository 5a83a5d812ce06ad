namespace DataCenterTwin.Kernel;

/// <summary>
/// What a handler receives when its event fires: the time, a kind the handler defined, and a small
/// integer payload (an index into the handler's own arrays, never an object, so firing allocates nothing).
/// </summary>
/// <param name="Time">The simulation time the event fires at (equal to the simulator's clock).</param>
/// <param name="Kind">The handler's own event kind.</param>
/// <param name="Arg">The handler's own payload, typically an index.</param>
public readonly record struct SimEvent(SimTime Time, int Kind, long Arg);
