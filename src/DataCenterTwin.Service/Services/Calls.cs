using DataCenterTwin.Runs;
using Grpc.Core;

namespace DataCenterTwin.Service.Services;

/// <summary>Turns the session API's exceptions into gRPC statuses with their messages.</summary>
internal static class Calls
{
    public static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public static Status? Map(Exception ex) => ex switch
    {
        RpcException => null,
        ScenarioException s => new Status(StatusCode.InvalidArgument, s.Message),
        ArgumentException a => new Status(StatusCode.InvalidArgument, a.ParamName is null ? a.Message : a.Message.Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal)),
        InvalidOperationException o => new Status(StatusCode.FailedPrecondition, o.Message),
        Google.Protobuf.InvalidProtocolBufferException p => new Status(StatusCode.InvalidArgument, $"the checkpoint is not readable: {p.Message}"),
        _ => null,
    };

    public static void RequireFinite(double value, string field)
    {
        if (!double.IsFinite(value))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field}: {value} is not a finite number"));
        }
    }
}
