using DataCenterTwin.Kernel;
using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Google.Protobuf;
using Grpc.Core;

namespace DataCenterTwin.Service.Services;

/// <summary>
/// Fork, checkpoint and restore. The session API copies a session by replay (the scenario and every
/// call at its simulated time; the same scenario and seed give the same run), so a checkpoint is that
/// recipe: small, and a restored session continues bit-identically.
/// </summary>
internal sealed class CheckpointsService(SessionRegistry registry) : Checkpoints.CheckpointsBase
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The largest checkpoint Restore takes, bytes.</summary>
    public const int MaxCheckpointBytes = 256 * 1024 * 1024;

    public override Task<SessionInfo> Fork(ForkRequest request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        return Calls.Guard(async () =>
        {
            if (request.OutputFolder.Length == 0)
            {
                var (fork, calls) = await host.Fork().ConfigureAwait(false);
                return registry.Add(host.Create.Clone(), fork, calls).Info();
            }

            // A fork with its own run folder replays with its writer on from time zero.
            var data = await host.Checkpoint().ConfigureAwait(false);
            var create = data.Create.Clone();
            create.OutputFolder = request.OutputFolder;
            return await Task.Run(() => registry.Create(create, data.Calls, new SimTime(data.SimTimeUs), data.ScenarioHash).Info()).ConfigureAwait(false);
        });
    }

    public override async Task Checkpoint(CheckpointRequest request, IServerStreamWriter<CheckpointChunk> responseStream, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        var data = await Calls.Guard(host.Checkpoint).ConfigureAwait(false);
        byte[] bytes = data.ToByteArray();
        if (request.File.Length > 0)
        {
            try
            {
                string tmp = request.File + ".tmp";
                await File.WriteAllBytesAsync(tmp, bytes, context.CancellationToken).ConfigureAwait(false);
                File.Move(tmp, request.File, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"file: {request.File}: {ex.Message}"));
            }
        }

        for (int offset = 0; offset < bytes.Length; offset += ChunkBytes)
        {
            await responseStream.WriteAsync(new CheckpointChunk { Data = ByteString.CopyFrom(bytes, offset, Math.Min(ChunkBytes, bytes.Length - offset)) },
                context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<SessionInfo> Restore(IAsyncStreamReader<CheckpointChunk> requestStream, ServerCallContext context)
    {
        using var buffer = new MemoryStream();
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            if (buffer.Length + requestStream.Current.Data.Length > MaxCheckpointBytes)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the checkpoint is over {MaxCheckpointBytes} bytes"));
            }

            requestStream.Current.Data.WriteTo(buffer);
        }

        return await Calls.Guard(() =>
        {
            var data = CheckpointData.Parser.ParseFrom(buffer.ToArray());
            if (data.Create is null)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "the checkpoint names no scenario (empty or not a checkpoint)"));
            }

            // The restored session writes no run folder: the original's is its own.
            var create = data.Create.Clone();
            create.OutputFolder = "";
            return Task.Run(() => registry.Create(create, data.Calls, new SimTime(data.SimTimeUs), data.ScenarioHash).Info());
        }).ConfigureAwait(false);
    }
}
