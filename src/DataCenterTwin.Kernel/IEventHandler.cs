namespace DataCenterTwin.Kernel;

/// <summary>
/// A long-lived component that receives events. Implemented by components, never by per-event
/// objects: the payload in <see cref="SimEvent"/> says which of the component's items the event is for.
/// </summary>
public interface IEventHandler
{
    /// <summary>Called when one of this handler's events fires; the clock already reads <c>e.Time</c>.</summary>
    void OnEvent(in SimEvent e);
}
