using System.Collections.Concurrent;
using System.Diagnostics;
using DataCenterTwin.Render;
using DataCenterTwin.Runs;
using DataCenterTwin.Service.V1;
using Google.Protobuf;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// A session's frames: one thread owns the OpenGL context (made on first use) and draws from copies
/// of published snapshots, so the session's thread never waits for it. The last frame of each view
/// is kept: asked again for the same control step and view, it is returned without drawing.
/// </summary>
internal sealed class SessionFrames : IDisposable
{
    // A page or two and a gRPC client or two at once; more views than this just draw again.
    private const int CachedViews = 8;

    private readonly TwinSession _session;
    private readonly BlockingCollection<Job> _jobs = [];
    private readonly Dictionary<FrameView, Frame> _cache = [];
    private readonly Lock _gate = new();
    private Thread? _thread;
    private Exception? _failure;
    private long _drawn;
    private bool _disposed;

    private sealed record Job(TwinSnapshot Snapshot, FrameView View, TaskCompletionSource<Frame> Done);

    public SessionFrames(TwinSession session, string name)
    {
        _session = session;
        Name = name;
    }

    /// <summary>The overlay's title.</summary>
    public string Name { get; }

    /// <summary>Frames drawn so far (cache hits not counted).</summary>
    public long Drawn => Interlocked.Read(ref _drawn);

    /// <summary>The frame of <paramref name="snapshot"/> seen as <paramref name="view"/>: the kept one when it shows the same step, else a new one.</summary>
    /// <exception cref="InvalidOperationException">(From the task.) No OpenGL here; the message says what to install.</exception>
    public Task<Frame> Get(TwinSnapshot snapshot, FrameView view)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(view);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Cached(snapshot, view) is { } frame)
            {
                return Task.FromResult(frame);
            }

            if (_failure is not null)
            {
                return Task.FromException<Frame>(_failure);
            }

            if (_thread is null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "frames " + Name };
                _thread.Start();
            }

            var done = new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously);
            _jobs.Add(new Job(snapshot, view, done));
            return done.Task;
        }
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _jobs.CompleteAdding();
            thread = _thread;
        }

        thread?.Join(TimeSpan.FromSeconds(30));
        _jobs.Dispose();
    }

    private Frame? Cached(TwinSnapshot s, FrameView view) =>
        _cache.TryGetValue(view, out var f) && f.Step == s.Step && f.SimTimeS == s.TimeS ? f : null;

    private void Loop()
    {
        HallRenderer? renderer = null;
        try
        {
            foreach (var job in _jobs.GetConsumingEnumerable())
            {
                try
                {
                    job.Done.TrySetResult(Draw(ref renderer, job));
                }
                catch (RenderException ex)
                {
                    var failure = new InvalidOperationException($"cannot draw the hall on this server: {ex.Message}", ex);
                    lock (_gate)
                    {
                        _failure = failure;
                    }

                    job.Done.TrySetException(failure);
                }
                catch (Exception ex)
                {
                    job.Done.TrySetException(ex);
                }
            }
        }
        finally
        {
            renderer?.Dispose();
        }
    }

    private Frame Draw(ref HallRenderer? renderer, Job job)
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw _failure;
            }

            if (Cached(job.Snapshot, job.View) is { } kept)
            {
                return kept;
            }
        }

        var topology = _session.Built.Topology;
        renderer ??= new HallRenderer(topology);
        var v = job.View;
        var state = SnapshotView.Of(job.Snapshot, topology, _session.Spec.Site.Start);
        long t0 = Stopwatch.GetTimestamp();
        var image = renderer.Render(state, v.Camera, v.ColorBy, v.Width, v.Height, Name);
        long t1 = Stopwatch.GetTimestamp();
        byte[] bytes = v.Format == FrameFormat.Jpeg ? image.EncodeJpeg(v.JpegQuality) : image.EncodePng();
        var frame = new Frame
        {
            Data = UnsafeByteOperations.UnsafeWrap(bytes),
            ContentType = v.ContentType,
            Width = v.Width,
            Height = v.Height,
            SimTimeS = job.Snapshot.TimeS,
            Step = job.Snapshot.Step,
            Version = (ulong)Interlocked.Increment(ref _drawn),
            RenderMs = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds,
            EncodeMs = Stopwatch.GetElapsedTime(t1).TotalMilliseconds,
        };
        lock (_gate)
        {
            if (_cache.Count >= CachedViews && !_cache.ContainsKey(v))
            {
                _cache.Clear();
            }

            _cache[v] = frame;
        }

        return frame;
    }
}
