namespace DataCenterTwin.Kernel.Tests;

/// <summary>Records every event it receives, in firing order.</summary>
internal sealed class RecordingHandler : IEventHandler
{
    public List<SimEvent> Fired { get; } = [];

    public Action<SimEvent>? OnFire { get; set; }

    public void OnEvent(in SimEvent e)
    {
        Fired.Add(e);
        OnFire?.Invoke(e);
    }
}
