using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Grpc.Core;

namespace DataCenterTwin.Service.Services;

/// <summary>Snapshots with a field mask, and the topology.</summary>
internal sealed class StateService(SessionRegistry registry) : State.StateBase
{
    public override Task<Snapshot> GetSnapshot(SnapshotRequest request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        return Calls.Guard(async () =>
        {
            var parts = ProtoMap.Parts(request.FieldMask, SnapshotParts.All);
            var s = await host.Snapshot().ConfigureAwait(false);
            return ProtoMap.ToProto(s, host.Session, parts);
        });
    }

    public override Task<Topology> GetTopology(SessionRef request, ServerCallContext context) =>
        Task.FromResult(ProtoMap.Topology(registry.Get(request.SessionId).Session));
}
