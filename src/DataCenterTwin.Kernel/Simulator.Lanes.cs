namespace DataCenterTwin.Kernel;

// Lanes: simulators with their own queue and handlers that share a parent's random streams and run
// below its clock. Components whose events touch only their own state (pools that share no request
// class) run on a lane each; the parent advances them, through the ISubClocks attached to it, to
// the time of each of its own events. Without sub-clocks the check in FireNext compares an event's
// time with long.MaxValue and never calls out.
public sealed partial class Simulator
{
    private ISubClocks? _subClocks;
    private long _subClocksAt = long.MaxValue;
    private Simulator[] _lanes = [];

    /// <summary>
    /// Creates a lane of <paramref name="parent"/>: its own clock (starting at the parent's time), queue
    /// and handlers; the parent's random streams, so a path gives the same stream on either. The
    /// parent counts the lane's events in its <see cref="EventsFired"/>.
    /// </summary>
    public Simulator(Simulator parent, int initialCapacity = 64)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (parent.Parent is not null)
        {
            throw new ArgumentException("A lane cannot have lanes of its own.", nameof(parent));
        }

        Parent = parent;
        Random = parent.Random;
        _heap = new HeapEntry[Math.Max(4, initialCapacity)];
        _now = parent._now;
        parent._lanes = [.. parent._lanes, this];
    }

    /// <summary>The simulator this one is a lane of, or null.</summary>
    public Simulator? Parent { get; }

    /// <summary>
    /// Attaches the clocks that run below this one: before firing an event later than the last time
    /// they were advanced to, and at the end of <see cref="RunUntil"/>, this simulator calls
    /// <see cref="ISubClocks.AdvanceTo"/>. They must never schedule on this simulator. <see cref="Run()"/>
    /// and <see cref="Step"/> bring them only to this simulator's own events: run with <see cref="RunUntil"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Sub-clocks are already attached.</exception>
    public void Attach(ISubClocks subClocks)
    {
        ArgumentNullException.ThrowIfNull(subClocks);
        if (_subClocks is not null)
        {
            throw new InvalidOperationException("This simulator already has sub-clocks attached.");
        }

        _subClocks = subClocks;
        _subClocksAt = _now;
    }

    private long LanesFired()
    {
        long n = 0;
        foreach (var lane in _lanes)
        {
            n += lane._fired;
        }

        return n;
    }

    // The parent's own event at t (or the end of its run) comes next: every lane reaches t first.
    private void AdvanceSubClocks(long t)
    {
        _subClocksAt = t;
        _subClocks!.AdvanceTo(new SimTime(t));
    }
}
