using DataCenterTwin.Service.V1;

namespace DataCenterTwin.Service.Internal;

/// <summary>The session's hall view: frames drawn off the session's thread, from its published snapshots.</summary>
internal sealed partial class SessionHost
{
    private SessionFrames? _frames;
    private readonly Lock _framesGate = new();

    /// <summary>Whether the session has been closed (deleted, reaped or the server stopping).</summary>
    public bool Closed => _closing;

    /// <summary>Frames drawn for this session so far.</summary>
    public long FramesDrawn => Volatile.Read(ref _frames)?.Drawn ?? 0;

    /// <summary>The frame of the latest control step seen as <paramref name="view"/>; drawn only when the step or the view is new.</summary>
    public async Task<Frame> Frame(FrameView view)
    {
        SessionFrames frames;
        lock (_framesGate)
        {
            if (_closing)
            {
                throw new InvalidOperationException($"session {Id} is closed");
            }

            frames = _frames ??= new SessionFrames(Session, Session.Spec.Name);
        }

        var snapshot = await Snapshot().ConfigureAwait(false);
        return await frames.Get(snapshot, view).ConfigureAwait(false);
    }

    private void DisposeFrames()
    {
        SessionFrames? frames;
        lock (_framesGate)
        {
            frames = _frames;
            _frames = null;
        }

        frames?.Dispose();
    }
}
