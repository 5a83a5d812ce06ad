using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Runs;
using DataCenterTwin.Service.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ChillerMode = DataCenterTwin.Service.V1.ChillerMode;
using ControlKind = DataCenterTwin.Service.V1.ControlKind;

namespace DataCenterTwin.Service.Tests;

public sealed class ControlsTests
{
    [Fact]
    public async Task GasOnTheHybrid_SnapshotEqualsTheSessionApiDrivenAlike()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 12 * 3600 });
        var reply = await server.Controls.ApplyControlAsync(new ControlRequest
        {
            SessionId = s.SessionId, Kind = ControlKind.ChillerMode, Target = "hybrid-1", Mode = ChillerMode.Gas, AtNow = true,
        });
        Assert.Equal(12 * 3600, reply.AppliesAtS);
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        var snap = await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = s.SessionId });

        // The same calls on the session API directly, in this thread: the wire must carry what it computes.
        var direct = TwinSession.FromFile(Repo.Path("scenarios/quick.yaml"));
        direct.RunUntil(SimTime.FromHours(12));
        direct.Apply(new TwinControl(Model.Twin.ControlKind.ChillerMode, 0, "hybrid-1", ChillerModeSetting.Gas));
        direct.RunUntil(SimTime.FromHours(13));
        var want = direct.Snapshot();

        Assert.True(snap.Facility.FreedCapacityW > 0, $"freed {snap.Facility.FreedCapacityW} W");
        Assert.Equal(want.FreedW, snap.Facility.FreedCapacityW);
        Assert.Equal(want.TotalW, snap.Facility.TotalPowerW);
        Assert.Equal(want.TotalJ, snap.Facility.TotalEnergyJ);
        Assert.Equal("manual gas", snap.Plant.Chillers.Single(c => c.Name == "hybrid-1").Mode);
        Assert.Equal(want.RackInletC, snap.Racks.Select(r => r.InletC));
        Assert.Equal(3600 * 13, snap.SimTimeS);
    }

    [Theory]
    [InlineData("chiller-2", ChillerMode.Gas, "has no gas mode")]
    [InlineData("chiller-9", ChillerMode.Electric, "no chiller named \"chiller-9\"")]
    public async Task ChillerMode_Impossible_InvalidArgumentAndNothingChanged(string target, ChillerMode mode, string message)
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Controls.ApplyControlAsync(new ControlRequest
        {
            SessionId = s.SessionId, Kind = ControlKind.ChillerMode, Target = target, Mode = mode, AtNow = true,
        }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(message, e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(server.Registry.Get(s.SessionId).Session.Twin.Controls);
        Assert.Empty((await server.Registry.Get(s.SessionId).Checkpoint()).Calls);
    }

    [Theory]
    [InlineData(ControlKind.Unspecified, 1.0, "")]
    [InlineData(ControlKind.ItCap, -5.0, "hall")]
    [InlineData(ControlKind.ItCap, 1000.0, "rack-99")]
    [InlineData(ControlKind.ShedFraction, 1.5, "")]
    [InlineData(ControlKind.FacilityWaterSetpoint, 80.0, "")]
    [InlineData(ControlKind.ArrivalScale, 2.0, "no-class")]
    public async Task BadControl_InvalidArgument(ControlKind kind, double value, string target)
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Controls.ApplyControlAsync(new ControlRequest
        {
            SessionId = s.SessionId, Kind = kind, Value = value, Target = target, AtNow = true,
        }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Empty(server.Registry.Get(s.SessionId).Session.Twin.Controls);
    }

    [Fact]
    public async Task ControlInThePast_InvalidArgument_LaterTime_AppliesThen()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 7200 });
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Controls.ApplyControlAsync(new ControlRequest
        {
            SessionId = s.SessionId, Kind = ControlKind.ItCap, Target = "hall", Value = 50e3, AtS = 3600,
        }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var later = await server.Controls.ApplyControlAsync(new ControlRequest { SessionId = s.SessionId, Kind = ControlKind.ItCap, Target = "hall", Value = 50e3, AtS = 10_800 });
        Assert.Equal(10_800, later.AppliesAtS);
        await server.Run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 10_800 });
        var before = await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = s.SessionId, FieldMask = new FieldMask { Paths = { "facility" } } });
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        var after = await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = s.SessionId, FieldMask = new FieldMask { Paths = { "facility" } } });
        Assert.True(before.Facility.ItPowerW > 50e3, $"before the cap {before.Facility.ItPowerW} W");
        var uncapped = TwinSession.FromFile(Repo.Path("scenarios/quick.yaml"));
        uncapped.RunUntil(SimTime.FromHours(4));
        double freeW = uncapped.Snapshot().ItW;
        Assert.True(after.Facility.ItPowerW < freeW - 5e3, $"under a 50 kW cap {after.Facility.ItPowerW} W, without {freeW} W");
    }

    [Fact]
    public async Task Events_DemandResponseAndFailure_Logged_BadOnesRefused()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        using var events = server.Streams.StreamEvents(new EventsRequest { SessionId = s.SessionId });
        await events.ResponseHeadersAsync;
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 3600 });
        await server.Controls.InjectEventAsync(new EventRequest { SessionId = s.SessionId, Kind = EventKind.DemandResponse, AtNow = true, DurationS = 1800, MagnitudeW = 20e3 });
        await server.Controls.InjectEventAsync(new EventRequest { SessionId = s.SessionId, Kind = EventKind.EquipmentFailure, StartS = 5400, DurationS = 600, Target = "hybrid-1" });
        foreach (var bad in new[]
        {
            new EventRequest { SessionId = s.SessionId, Kind = EventKind.Outage, AtNow = true, DurationS = -1 },
            new EventRequest { SessionId = s.SessionId, Kind = EventKind.EquipmentFailure, AtNow = true, DurationS = 60, Target = "nothing" },
            new EventRequest { SessionId = s.SessionId, Kind = EventKind.Outage, StartS = 60, DurationS = 60 },
            new EventRequest { SessionId = s.SessionId, Kind = EventKind.Unspecified, AtNow = true, DurationS = 60 },
        })
        {
            var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Controls.InjectEventAsync(bad));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }

        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 7200 });
        var seen = new List<EventMessage>();
        while (!seen.Any(m => m.Description.Contains("hybrid-1", StringComparison.Ordinal) && m.Kind == "event-start"))
        {
            Assert.True(await events.ResponseStream.MoveNext());
            seen.Add(events.ResponseStream.Current);
        }

        Assert.Contains(seen, m => m.Kind == "event-start" && m.Description.Contains("demand response", StringComparison.Ordinal) && m.SimTimeS >= 3600);
        Assert.Equal(2, (await server.Registry.Get(s.SessionId).Checkpoint()).Calls.Count);
    }

    [Fact]
    public async Task Snapshot_FieldMask_OnlyWhatWasAsked_AndTopology()
    {
        await using var server = await TestServerHost.StartAsync();
        var s = await server.CreateQuickAsync();
        var first = await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = s.SessionId });
        Assert.Equal(0, first.SimTimeS);
        await server.Run.StepAsync(new StepRequest { SessionId = s.SessionId, DurationS = 600 });
        var racks = await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = s.SessionId, FieldMask = new FieldMask { Paths = { "racks" } } });
        Assert.Null(racks.Facility);
        Assert.Null(racks.Plant);
        Assert.Empty(racks.Classes);
        Assert.Equal(["rack-0", "rack-1", "rack-2", "rack-3"], racks.Racks.Select(r => r.Name));
        Assert.All(racks.Racks, r => Assert.InRange(r.PowerW, 1e3, 60e3));
        var all = await server.State.GetSnapshotAsync(new SnapshotRequest { SessionId = s.SessionId });
        Assert.NotNull(all.Facility);
        Assert.Equal(["hybrid-1", "chiller-2"], all.Plant.Chillers.Select(c => c.Name));
        Assert.Equal("chat", all.Classes.Single().Name);
        Assert.Equal(all.Racks.Sum(r => r.PowerW), all.Facility.ItPowerW, 6);

        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.State.GetSnapshotAsync(
            new SnapshotRequest { SessionId = s.SessionId, FieldMask = new FieldMask { Paths = { "weather" } } }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);

        var topology = await server.State.GetTopologyAsync(new SessionRef { SessionId = s.SessionId });
        Assert.Equal(4, topology.Racks.Count);
        var hybrid = topology.Chillers.Single(c => c.Name == "hybrid-1");
        Assert.Equal("hybrid", hybrid.Kind);
        Assert.Contains(ChillerMode.Gas, hybrid.Modes);
        Assert.DoesNotContain(ChillerMode.Gas, topology.Chillers.Single(c => c.Name == "chiller-2").Modes);
        Assert.Equal(100e3, hybrid.RatedCapacityW);
        Assert.Equal(["chat"], topology.Pools);
        Assert.Contains("least-work", topology.DispatchPolicies);
    }
}
