namespace DataCenterTwin.Kernel.Checkpoint;

/// <summary>
/// A field that is not part of the twin's state, so a checkpoint leaves it out: wiring to observers
/// and front ends, locks, snapshot buffers, caches that building fills the same way. A restored twin
/// keeps what its own building put there. On an auto-property write <c>[field: NotState]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class NotStateAttribute : Attribute
{
}
