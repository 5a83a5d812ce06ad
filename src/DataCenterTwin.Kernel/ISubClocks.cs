namespace DataCenterTwin.Kernel;

/// <summary>
/// Clocks that run below a simulator's own (lanes: <see cref="Simulator(Simulator, int)"/>): the
/// simulator brings them to each time before it fires an event at that time, and to the end of a
/// run before it sets its clock there, so its own events see every lane's state at their time.
/// </summary>
public interface ISubClocks
{
    /// <summary>Fires every lane event strictly before <paramref name="t"/>, then sets each lane's clock to it.</summary>
    void AdvanceTo(SimTime t);
}
