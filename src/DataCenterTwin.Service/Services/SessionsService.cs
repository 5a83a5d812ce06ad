using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Grpc.Core;

namespace DataCenterTwin.Service.Services;

/// <summary>Sessions: create, get, list, delete.</summary>
internal sealed class SessionsService(SessionRegistry registry) : Sessions.SessionsBase
{
    public override Task<SessionInfo> CreateSession(CreateSessionRequest request, ServerCallContext context) =>
        Calls.Guard(() => Task.Run(() => registry.Create(request).Info(), context.CancellationToken));

    public override Task<SessionInfo> GetSession(SessionRef request, ServerCallContext context) => Task.FromResult(registry.Get(request.SessionId).Info());

    public override Task<ListSessionsReply> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        var reply = new ListSessionsReply();
        reply.Sessions.AddRange(registry.All.Select(s => s.Info()));
        return Task.FromResult(reply);
    }

    public override Task<SessionInfo> DeleteSession(SessionRef request, ServerCallContext context)
    {
        registry.Get(request.SessionId);
        return Task.Run(() => registry.Remove(request.SessionId).Info());
    }
}
