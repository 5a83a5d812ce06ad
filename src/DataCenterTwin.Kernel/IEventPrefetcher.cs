namespace DataCenterTwin.Kernel;

/// <summary>
/// A handler that can warm the cache for one of its events before it fires. While an event runs,
/// the simulator passes the kind and payload of the event it expects to fire next (the least of the
/// queue's root's children, the second smallest key) to that event's handler, so the state the
/// next event reads comes in from memory while this one works, rather than one miss after another
/// once it fires. On a large hall that state is the per-replica records of thousands of replicas,
/// far more than a core's cache holds. A hint only: it must change nothing the model computes, as
/// the expected event may be cancelled, or another scheduled meanwhile may come first.
/// </summary>
public interface IEventPrefetcher
{
    /// <summary>Asks the memory system for what the event (<paramref name="kind"/>, <paramref name="arg"/>) will read; changes no state.</summary>
    void Prefetch(int kind, long arg);
}
