namespace DataCenterTwin.Kernel.Checkpoint;

/// <summary>
/// A component whose state the field-by-field walk of <see cref="StateGraph"/> cannot see or should
/// not copy as it is. Most components need nothing: every instance field is saved unless it is
/// marked <see cref="NotStateAttribute"/> (wiring to front ends, caches rebuilt from the spec).
/// A component that implements this writes what it keeps apart after its fields, and reads it back
/// in the same order.
/// </summary>
public interface ICheckpointState
{
    /// <summary>Writes the state the fields do not hold.</summary>
    void SaveState(StateWriter writer);

    /// <summary>Reads back what <see cref="SaveState"/> wrote; the fields are already restored.</summary>
    void RestoreState(StateReader reader);
}
