using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Grpc.Core;

namespace DataCenterTwin.Service.Services;

/// <summary>
/// The hall view as images. Each stream polls the session's latest published snapshot at the rate
/// asked and sends a frame only when it differs from the last one sent; writing waits for the
/// client, so a slow client simply gets fewer (always the latest) frames.
/// </summary>
internal sealed class FramesService(SessionRegistry registry) : Frames.FramesBase
{
    public override Task<Frame> GetFrame(FrameRequest request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        var view = Checked(() => FrameView.From(request, host.Session.Built.Topology));
        return Calls.Guard(() => host.Frame(view));
    }

    public override async Task StreamFrames(IAsyncStreamReader<FrameRequest> requestStream, IServerStreamWriter<Frame> responseStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        if (!await requestStream.MoveNext(token).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "send a FrameRequest with the session_id to open the stream"));
        }

        var first = requestStream.Current;
        var host = registry.Get(first.SessionId);
        var topology = host.Session.Built.Topology;
        var current = Checked(() => new StreamView(FrameView.From(first, topology), FrameView.Fps(first)));
        using var lease = host.OpenStream();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);

        // Later requests change the view; a bad one ends the stream with its error.
        RpcException? badChange = null;
        var reader = Task.Run(async () =>
        {
            try
            {
                while (await requestStream.MoveNext(stop.Token).ConfigureAwait(false))
                {
                    var r = requestStream.Current;
                    if (r.SessionId.Length > 0 && r.SessionId != host.Id)
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument, $"session_id: a stream shows one session ({host.Id}), not \"{r.SessionId}\""));
                    }

                    var next = Checked(() => new StreamView(FrameView.From(r, topology), FrameView.Fps(r)));
                    Volatile.Write(ref current, next);
                }
            }
            catch (RpcException ex)
            {
                badChange = ex;
                await stop.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
                // The client went away mid-request.
            }
        }, CancellationToken.None);

        ulong lastVersion = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var (view, fps) = Volatile.Read(ref current);
                long started = Environment.TickCount64;
                var frame = await Calls.Guard(() => host.Frame(view)).ConfigureAwait(false);
                if (frame.Version != lastVersion)
                {
                    await responseStream.WriteAsync(frame, stop.Token).ConfigureAwait(false);
                    lastVersion = frame.Version;
                }

                host.Touch();
                int waitMs = (int)Math.Max(1, (1000 / fps) - (Environment.TickCount64 - started));
                await Task.Delay(waitMs, stop.Token).ConfigureAwait(false);
                if (host.Closed)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
        }

        if (badChange is not null)
        {
            throw badChange;
        }
    }

    private sealed record StreamView(FrameView View, double Fps);

    private static T Checked<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }
}
