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
    public async Task Restore_Garbage_InvalidArgument()
    {
        await using var server = await TestServerHost.StartAsync();
        using var restore = server.Checkpoints.Restore();
        await restore.RequestStream.WriteAsync(new CheckpointChunk { Data = ByteString.CopyFrom(0xff, 0xff, 0xff, 0x01) });
        await restore.RequestStream.CompleteAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await restore);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Empty((await server.Sessions.ListSessionsAsync(new ListSessionsRequest())).Sessions);
    }
}
