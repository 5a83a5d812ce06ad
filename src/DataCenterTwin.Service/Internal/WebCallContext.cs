using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// The call context a web endpoint hands to the gRPC service it stands for, so that a button on the
/// page runs exactly the code a gRPC client runs.
/// </summary>
internal sealed class WebCallContext(HttpContext http, string method) : ServerCallContext
{
    private readonly Metadata _headers = Headers(http);
    private readonly Metadata _trailers = [];

    protected override string MethodCore => method;

    protected override string HostCore => http.Request.Host.Value ?? "";

    protected override string PeerCore => $"ipv4:{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore => _headers;

    protected override CancellationToken CancellationTokenCore => http.RequestAborted;

    protected override Metadata ResponseTrailersCore => _trailers;

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException("web calls do not propagate");

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;

    private static Metadata Headers(HttpContext http)
    {
        var m = new Metadata();
        if (http.Request.Headers.Authorization.ToString() is { Length: > 0 } auth)
        {
            m.Add("authorization", auth);
        }

        return m;
    }
}
