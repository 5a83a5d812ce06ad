using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Grpc.Core;

namespace DataCenterTwin.Service.Services;

/// <summary>
/// Telemetry and event streams. Each reads its own bounded buffer; a reader that cannot keep up
/// loses the oldest messages (counted in every message), the simulation never waits.
/// </summary>
internal sealed class StreamsService(SessionRegistry registry) : Streams.StreamsBase
{
    private const int MaxBuffer = 65_536;

    /// <summary>
    /// A stepped stream's interval when it asks none, wall ms: 10 messages a second, what a dashboard
    /// needs (0.1 s is the limit for a display to feel instantaneous: Nielsen, Usability Engineering,
    /// 1993, ch. 5). A full-speed run steps thousands of times a wall second; nobody reads that.
    /// </summary>
    internal const int DefaultMinIntervalWallMs = 100;

    /// <summary>
    /// Streams.StreamTelemetry. Bound by hand (see <see cref="ValidatingServiceMethodProvider{TService}"/>) with
    /// <see cref="TelemetryWire.Marshaller"/>: each frame is serialized once for all the streams that send it,
    /// and a stream writes its bytes with its own count of dropped messages.
    /// </summary>
    public async Task StreamTelemetryFrames(TelemetryRequest request, IServerStreamWriter<TelemetryWire> responseStream, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        Calls.RequireFinite(request.EverySimS, "every_sim_s");
        if (request.EverySimS < 0 || request.EveryWallMs < 0 || (request.EverySimS == 0 && request.EveryWallMs == 0))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "give every_sim_s (s, more than 0) or every_wall_ms (ms, more than 0)"));
        }

        // Default: one latest-wins slot, so a reader that falls behind costs one message of memory and
        // gets the newest snapshot when it reads again (the skipped ones counted as dropped).
        int capacity = Buffer(request.BufferMessages, 1);
        if (request.MinIntervalWallMs < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"min_interval_wall_ms: {request.MinIntervalWallMs} ms is negative (0: {DefaultMinIntervalWallMs} ms)"));
        }

        SnapshotParts parts;
        try
        {
            parts = ProtoMap.Parts(request.FieldMask, SnapshotParts.Facility);
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }

        using var lease = host.OpenStream();
        var token = context.CancellationToken;
        if (request.EverySimS > 0)
        {
            long everySteps = (long)Math.Ceiling(request.EverySimS / host.Session.ControlStep.TotalSeconds - 1e-9);
            var subscriber = host.Hub.AddTelemetry(everySteps, parts, capacity, MessagesPerSecond(request.MinIntervalWallMs, registry.Options.StreamMaxMessagesPerSecond));
            try
            {
                // Headers go out once the stream is subscribed: a client that waits for them misses no step after.
                await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
                await PumpFrames(subscriber.Channel, () => subscriber.Dropped, responseStream, token).ConfigureAwait(false);
            }
            finally
            {
                host.Hub.Remove(subscriber);
            }

            return;
        }

        // Wall-clock decimation: a timer offers the latest published snapshot to the same kind of bounded buffer.
        var wallDropped = new StrongBox<long>();
        var channel = Channel.CreateBounded<TelemetryFrame>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref wallDropped.Value));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var producer = Task.Run(async () =>
        {
            var scratch = host.Session.NewSnapshot();
            double maxHz = registry.Options.StreamMaxMessagesPerSecond;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(maxHz > 0 ? Math.Max(request.EveryWallMs, 1000 / maxHz) : request.EveryWallMs));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    if (TelemetryHub.Latest(host.Session, scratch, parts) is { } snapshot)
                    {
                        channel.Writer.TryWrite(new TelemetryFrame(snapshot, host.State));
                    }

                    host.Touch();
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, CancellationToken.None);
        try
        {
            await PumpFrames(channel, () => (ulong)Interlocked.Read(ref wallDropped.Value), responseStream, token).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    public override async Task StreamEvents(EventsRequest request, IServerStreamWriter<EventMessage> responseStream, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        using var lease = host.OpenStream();
        var subscriber = host.Hub.AddEvents(Buffer(request.BufferMessages, 256));
        try
        {
            await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
            await Pump(subscriber.Channel.Reader, e => new EventMessage
            {
                SimTimeS = e.SimTimeS,
                Kind = e.Kind,
                Source = e.Source,
                Description = e.Description,
                ValueW = e.ValueW,
                DroppedMessages = subscriber.Dropped,
            }, responseStream, context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            host.Hub.Remove(subscriber);
        }
    }

    // The rate of a stepped stream: its own minimum interval (0: the dashboard default), capped by the server's limit (0: none).
    internal static double MessagesPerSecond(int minIntervalWallMs, double serverMaxPerSecond)
    {
        double own = 1000.0 / (minIntervalWallMs == 0 ? DefaultMinIntervalWallMs : minIntervalWallMs);
        return serverMaxPerSecond > 0 ? Math.Min(own, serverMaxPerSecond) : own;
    }

    private static int Buffer(int asked, int otherwise)
    {
        if (asked < 0 || asked > MaxBuffer)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"buffer_messages: {asked} is outside 0 to {MaxBuffer}"));
        }

        return asked == 0 ? otherwise : asked;
    }

    // Writes shared frames until the session closes or the client goes away. While more are buffered a
    // write only appends to the response (BufferHint); the last of a run flushes, so a backlog goes out
    // in one flush instead of one per message. The call's cancellation completes the buffer instead of
    // being passed to every wait and write: a wait with a token that can be cancelled allocates its own
    // waiter and registration each time, one without reuses the channel's single waiter, so a stream
    // allocates nothing per message. A write on a call the client has left fails at once.
    private static async Task PumpFrames(Channel<TelemetryFrame> channel, Func<ulong> dropped, IServerStreamWriter<TelemetryWire> stream,
        CancellationToken token)
    {
        var reader = channel.Reader;
        using var wake = token.UnsafeRegister(static c => ((Channel<TelemetryFrame>)c!).Writer.TryComplete(), channel);

        // One message object per stream: each write is serialized before WriteAsync returns, so it can be reused.
        var message = new TelemetryWire();
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (!token.IsCancellationRequested && reader.TryRead(out var frame))
                {
                    message.Frame = frame;
                    message.Dropped = dropped();
                    stream.WriteOptions = reader.TryPeek(out _) ? Buffered : Flushed;
                    await stream.WriteAsync(message, CancellationToken.None).ConfigureAwait(false);
                }

                if (token.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (token.IsCancellationRequested && ex is OperationCanceledException or InvalidOperationException or IOException)
        {
        }
    }

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    private static readonly WriteOptions Flushed = new();

    // Reads until the session closes (the buffer is completed) or the client goes away.
    private static async Task Pump<TItem, TMessage>(ChannelReader<TItem> reader, Func<TItem, TMessage> message, IServerStreamWriter<TMessage> stream,
        CancellationToken token)
    {
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    await stream.WriteAsync(message(item), token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }
}
