using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// Bearer tokens with two roles: viewers read and stream, operators do everything. With no tokens
/// configured every call is let in (the server then listens on loopback only). Health and
/// reflection stay open so that probes and tools can find the server.
/// </summary>
internal sealed class AuthInterceptor(ServerOptions options) : Interceptor
{
    private static readonly HashSet<string> ViewerMethods = new(StringComparer.Ordinal)
    {
        "/datacentertwin.v1.Sessions/GetSession",
        "/datacentertwin.v1.Sessions/ListSessions",
        "/datacentertwin.v1.State/GetSnapshot",
        "/datacentertwin.v1.State/GetTopology",
        "/datacentertwin.v1.Streams/StreamTelemetry",
        "/datacentertwin.v1.Streams/StreamEvents",
        "/datacentertwin.v1.Frames/GetFrame",
        "/datacentertwin.v1.Frames/StreamFrames",
    };

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>Whether a method is open to anyone (health, reflection).</summary>
    internal static bool IsOpen(string method) => method.StartsWith("/grpc.health.v1.", StringComparison.Ordinal)
        || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);

    private void Check(ServerCallContext context)
    {
        if (Refusal(options, context.Method, context.RequestHeaders.GetValue("authorization")) is { } status)
        {
            throw new RpcException(status);
        }
    }

    /// <summary>
    /// Why a call to <paramref name="method"/> with this authorization header is refused, or null when
    /// it is let in. The web endpoints call it with the gRPC method they stand for, so both doors
    /// check the same tokens and roles.
    /// </summary>
    internal static Status? Refusal(ServerOptions options, string method, string? header)
    {
        if (options.Tokens.Count == 0 || IsOpen(method))
        {
            return null;
        }

        const string Prefix = "Bearer ";
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return new Status(StatusCode.Unauthenticated, "no bearer token: send the header \"authorization: Bearer <token>\"");
        }

        if (!options.Tokens.TryGetValue(header[Prefix.Length..].Trim(), out var role))
        {
            return new Status(StatusCode.Unauthenticated, "the bearer token is not one this server knows");
        }

        if (role == Role.Viewer && !ViewerMethods.Contains(method))
        {
            return new Status(StatusCode.PermissionDenied, $"{method} needs the operator role; this token is a viewer's");
        }

        return null;
    }
}
