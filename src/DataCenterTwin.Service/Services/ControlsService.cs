using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Grpc.Core;

namespace DataCenterTwin.Service.Services;

/// <summary>Manual controls and site events, applied on the session's thread between control steps.</summary>
internal sealed class ControlsService(SessionRegistry registry) : Controls.ControlsBase
{
    public override Task<ControlReply> ApplyControl(ControlRequest request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        Calls.RequireFinite(request.AtS, "at_s");
        return Calls.Guard(async () =>
        {
            var at = await host.Apply(request).ConfigureAwait(false);
            return new ControlReply { Session = host.Info(), AppliesAtS = at.TotalSeconds };
        });
    }

    public override Task<ControlReply> InjectEvent(EventRequest request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        return Calls.Guard(async () =>
        {
            var at = await host.Inject(request).ConfigureAwait(false);
            return new ControlReply { Session = host.Info(), AppliesAtS = at.TotalSeconds };
        });
    }
}
