using DataCenterTwin.Kernel;
using DataCenterTwin.Runs;
using DataCenterTwin.Runs.Checkpoints;
using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Google.Protobuf;
using Grpc.Core;

namespace DataCenterTwin.Service.Services;

/// <summary>
/// Fork, checkpoint and restore. A checkpoint carries the session API's TwinCheckpoint blob as it is
/// (the whole state) beside the request that made the session and its call log; restore builds the
/// scenario afresh and pours the state in, so it costs the same at day 300 as at day 1. Fork is the
/// session API's own (the same blob, in process). Only a fork into a run folder, whose traces start at
/// time zero, and a checkpoint from before the blob existed are made by replaying the calls.
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
            if (data.TwinCheckpoint.IsEmpty)
            {
                return Task.Run(() => registry.Create(create, data.Calls, new SimTime(data.SimTimeUs), data.ScenarioHash).Info());
            }

            CheckpointHeader header;
            try
            {
                header = TwinSession.ReadHeader(data.TwinCheckpoint.Span);
            }
            catch (CheckpointException ex)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"twin_checkpoint: {ex.Message}"));
            }

            if (header.SimTimeUs != data.SimTimeUs)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "twin_checkpoint: its time is not the checkpoint's sim_time_us (the two parts come from different checkpoints)"));
            }

            return Task.Run(() => registry.Restore(create, data.TwinCheckpoint.Span, data.Calls).Info());
        }).ConfigureAwait(false);
    }
}
