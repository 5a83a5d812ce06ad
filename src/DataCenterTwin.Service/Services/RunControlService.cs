using DataCenterTwin.Kernel;
using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Grpc.Core;

namespace DataCenterTwin.Service.Services;

/// <summary>Start, pause, step, run until, pacing. Every reply carries the session's time and state.</summary>
internal sealed class RunControlService(SessionRegistry registry) : RunControl.RunControlBase
{
    public override Task<SessionInfo> Start(SessionRef request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        return Calls.Guard(async () =>
        {
            await host.Start().ConfigureAwait(false);
            return host.Info();
        });
    }

    public override Task<SessionInfo> Pause(SessionRef request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        return Calls.Guard(async () =>
        {
            await host.Pause().ConfigureAwait(false);
            return host.Info();
        });
    }

    public override Task<SessionInfo> Step(StepRequest request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        Calls.RequireFinite(request.DurationS, "duration_s");
        if (request.DurationS < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"duration_s: {request.DurationS} s is negative; a step runs forward"));
        }

        if (request.ControlSteps < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"control_steps: {request.ControlSteps} is negative"));
        }

        if (request.DurationS == 0 && request.ControlSteps == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "give duration_s (s) or control_steps (more than 0)"));
        }

        return Calls.Guard(() => host.RunTo(h =>
        {
            var now = h.Session.Now;
            if (request.DurationS > 0)
            {
                return Clamp(now + SimTime.FromSeconds(request.DurationS), h);
            }

            long step = h.Session.ControlStep.Ticks;
            return Clamp(new SimTime((now.Ticks / step + request.ControlSteps) * step), h);
        }));
    }

    public override Task<SessionInfo> RunUntil(RunUntilRequest request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        Calls.RequireFinite(request.SimTimeS, "sim_time_s");
        return Calls.Guard(() => host.RunTo(_ => SimTime.FromSeconds(request.SimTimeS)));
    }

    public override Task<SessionInfo> SetPacing(SetPacingRequest request, ServerCallContext context)
    {
        var host = registry.Get(request.SessionId);
        double k = request.PacingFactor;
        if (k != 0 && !(k >= 0.1 && k <= 10_000))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"pacing_factor: {k} is outside 0.1 to 10000 (0: as fast as possible)"));
        }

        return Calls.Guard(async () =>
        {
            await host.SetPacing(k).ConfigureAwait(false);
            return host.Info();
        });
    }

    // A step past the horizon stops at the horizon.
    private static SimTime Clamp(SimTime t, SessionHost h) => t > h.Session.Horizon ? h.Session.Horizon : t;
}
