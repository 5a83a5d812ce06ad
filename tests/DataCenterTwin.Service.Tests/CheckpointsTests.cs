using DataCenterTwin.Runs;
using DataCenterTwin.Runs.Checkpoints;
using DataCenterTwin.Service.V1;
using Google.Protobuf;
using Grpc.Core;

namespace DataCenterTwin.Service.Tests;

public sealed class CheckpointsTests
{
    [Fact]
    public async Task CheckpointRestoreAndFork_ContinueBitIdentically()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("dctwin-ckpt").FullName, "quick.ckpt");
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 10 * 3600 });
        await server.Controls.InjectEventAsync(new EventRequest { SessionId = s.SessionId, Kind = EventKind.DemandResponse, AtNow = true, DurationS = 7200, MagnitudeW = 20e3 });
        await server.Controls.ApplyControlAsync(new ControlRequest { SessionId = s.SessionId, Kind = ControlKind.ChillerMode, Target = "hybrid-1", Mode = ChillerMode.GasShare, Value = 0.5, AtS = 11 * 3600 });
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 1800 });

        var chunks = new List<CheckpointChunk>();
        using (var call = server.Checkpoints.Checkpoint(new CheckpointRequest { SessionId = s.SessionId, File = file }))
        {
            while (await call.ResponseStream.MoveNext())
            {
                chunks.Add(call.ResponseStream.Current);
            }
        }

        byte[] bytes = [.. chunks.SelectMany(c => c.Data.ToByteArray())];
        Assert.Equal(bytes, File.ReadAllBytes(file));
        var data = CheckpointData.Parser.ParseFrom(bytes);
        Assert.Equal(2, data.Calls.Count);
        Assert.Equal(37_800L * 1_000_000, data.SimTimeUs);
        Assert.Equal(37_800L * 1_000_000, TwinSession.ReadHeader(data.TwinCheckpoint.Span).SimTimeUs);

        using var restore = server.Checkpoints.Restore();
        await restore.RequestStream.WriteAsync(new CheckpointChunk { Data = ByteString.CopyFrom(bytes, 0, bytes.Length / 2) });
        await restore.RequestStream.WriteAsync(new CheckpointChunk { Data = ByteString.CopyFrom(bytes, bytes.Length / 2, bytes.Length - (bytes.Length / 2)) });
        await restore.RequestStream.CompleteAsync();
        var restored = await restore;
        var forked = await server.Checkpoints.ForkAsync(new ForkRequest { SessionId = s.SessionId });
        Assert.Equal(37_800, restored.SimTimeS);
        Assert.Equal(37_800, forked.SimTimeS);
        Assert.NotEqual(s.SessionId, restored.SessionId);

        var finals = new List<Snapshot>();
        foreach (string id in new[] { s.SessionId, restored.SessionId, forked.SessionId })
        {
            var done = await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = id, SimTimeS = 86_400 });
            Assert.Equal(SessionState.Finished, done.State);
            finals.Add(await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = id }));
        }

        Assert.Equal(finals[0].ToByteArray(), finals[1].ToByteArray());
        Assert.Equal(finals[0].ToByteArray(), finals[2].ToByteArray());

        // The calls mattered: a session without them ends elsewhere.
        var plain = await server.CreateQuickAsync();
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = plain.SessionId, SimTimeS = 86_400 });
        var plainFinal = await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = plain.SessionId });
        Assert.NotEqual(plainFinal.Facility.TotalEnergyJ, finals[0].Facility.TotalEnergyJ);
    }

    [Fact]
    public async Task Restore_PoursTheTwinCheckpointIn_NoReplay_SummariesIdentical()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 8 * 3600 });
        await server.Controls.InjectEventAsync(new EventRequest { SessionId = s.SessionId, Kind = EventKind.DemandResponse, AtNow = true, DurationS = 5400, MagnitudeW = 25e3 });
        await server.Controls.ApplyControlAsync(new ControlRequest { SessionId = s.SessionId, Kind = ControlKind.ChillerMode, Target = "hybrid-1", Mode = ChillerMode.Gas, AtNow = true });
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 2 * 3600 });
        var data = await Checkpoint(server, s.SessionId);

        // The blob is the session API's own, as it is: its header names this scenario, seed and time.
        var header = TwinSession.ReadHeader(data.TwinCheckpoint.Span);
        var original = server.Registry.Get(s.SessionId).Session;
        Assert.Equal(original.Spec.Hash, header.ScenarioHash);
        Assert.Equal(original.Spec.Run.Seed, header.Seed);
        Assert.Equal(10L * 3600 * 1_000_000, header.SimTimeUs);

        // Without its call log the checkpoint still restores the calls' effects: the state comes from the blob, not a replay.
        var stateOnly = data.Clone();
        stateOnly.Calls.Clear();
        var restored = await Restore(server, stateOnly);
        Assert.Equal(10 * 3600, restored.SimTimeS);
        Assert.Equal(SessionState.Paused, restored.State);

        foreach (string id in new[] { s.SessionId, restored.SessionId })
        {
            Assert.Equal(SessionState.Finished, (await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = id, SimTimeS = 86_400 })).State);
        }

        string Summary(string id) => server.Registry.Get(id).Session.Summary().ToJsonText();
        Assert.Equal(Summary(s.SessionId), Summary(restored.SessionId));

        // A plain day without the demand response and the gas mode ends elsewhere, so the equality above says something.
        var plain = await server.CreateQuickAsync();
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = plain.SessionId, SimTimeS = 86_400 });
        Assert.NotEqual(Summary(s.SessionId), Summary(plain.SessionId));
    }

    [Fact]
    public async Task Restore_TwinCheckpointOfAnotherFidelityOrSeed_Refused_NothingCreated()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        var data = await Checkpoint(server, s.SessionId);
        await server.Sessions.DeleteSessionAsync(new SessionRef { SessionId = s.SessionId });

        // Fluid-level state under a request for request level (the same scenario and hash): the session API refuses it, the server says why.
        Assert.Equal("fluid", HeaderOf(data).Fidelity);
        var otherFidelity = data.Clone();
        otherFidelity.Create.Fidelity = Fidelity.Request;
        var e = await Assert.ThrowsAsync<RpcException>(() => Restore(server, otherFidelity));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("request level", e.Status.Detail, StringComparison.Ordinal);

        // Another seed is another resolved scenario: refused too.
        var otherSeed = data.Clone();
        otherSeed.Create.Seed = HeaderOf(data).Seed + 1;
        Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(() => Restore(server, otherSeed))).StatusCode);

        // A blob that is not a checkpoint at all, and one from another time than the envelope's.
        var garbage = data.Clone();
        garbage.TwinCheckpoint = ByteString.CopyFrom(0x0a, 0xff, 0xff);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => Restore(server, garbage))).StatusCode);
        var otherTime = data.Clone();
        otherTime.SimTimeUs += 1_000_000;
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => Restore(server, otherTime))).StatusCode);
        Assert.Empty((await server.Sessions.ListSessionsAsync(new ListSessionsRequest())).Sessions);

        static CheckpointHeader HeaderOf(CheckpointData d) => TwinSession.ReadHeader(d.TwinCheckpoint.Span);
    }

    private static async Task<CheckpointData> Checkpoint(TestServerHost server, string id)
    {
        using var call = server.Checkpoints.Checkpoint(new CheckpointRequest { SessionId = id });
        using var bytes = new MemoryStream();
        while (await call.ResponseStream.MoveNext())
        {
            call.ResponseStream.Current.Data.WriteTo(bytes);
        }

        return CheckpointData.Parser.ParseFrom(bytes.ToArray());
    }

    private static async Task<SessionInfo> Restore(TestServerHost server, CheckpointData data)
    {
        using var restore = server.Checkpoints.Restore();
        await restore.RequestStream.WriteAsync(new CheckpointChunk { Data = data.ToByteString() });
        await restore.RequestStream.CompleteAsync();
        return await restore;
    }

    [Fact]
    public async Task Restore_Garbage_InvalidArgument()
    {
        await using var server = await TestServerHost.StartAsync();
        using var restore = server.Checkpoints.Restore();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            // Inside the assertion: the server may refuse the chunk before the write completes.
            await restore.RequestStream.WriteAsync(new CheckpointChunk { Data = ByteString.CopyFrom(0xff, 0xff, 0xff, 0x01) });
            await restore.RequestStream.CompleteAsync();
            await restore;
        });
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Empty((await server.Sessions.ListSessionsAsync(new ListSessionsRequest())).Sessions);
    }
}
