using System.Net;
using System.Security.Cryptography.X509Certificates;
using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.Services;
using Grpc.Health.V1;
using Grpc.AspNetCore.Server.Model;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DataCenterTwin.Service;

/// <summary>
/// The gRPC server of <c>dctwin serve</c>: the datacentertwin.v1 services over the session API, the
/// standard health service (SERVING once sessions can be created) and server reflection.
/// </summary>
public static class TwinServer
{
    /// <summary>The services a health check can name.</summary>
    public static readonly IReadOnlyList<string> ServiceNames =
    [
        "datacentertwin.v1.Sessions", "datacentertwin.v1.RunControl", "datacentertwin.v1.State",
        "datacentertwin.v1.Controls", "datacentertwin.v1.Streams", "datacentertwin.v1.Checkpoints",
        "datacentertwin.v1.Frames",
    ];

    /// <summary>
    /// Builds the server. Throws <see cref="InvalidOperationException"/> for a non-loopback address
    /// that was not allowed, or allowed without tokens. <paramref name="configure"/> lets tests put
    /// an in-process server in Kestrel's place.
    /// </summary>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckExposure(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SessionRegistry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionRegistry>());
        builder.Services.AddSingleton<AuthInterceptor>();
        builder.Services.AddSingleton<HealthServiceImpl>();
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = options.MaxReceiveMessageBytes;
            o.MaxSendMessageSize = options.MaxSendMessageBytes;
            o.Interceptors.Add<AuthInterceptor>();
        });

        // Malformed request bytes are refused with InvalidArgument, not thrown as Unknown.
        builder.Services.RemoveAll(typeof(IServiceMethodProvider<>));
        builder.Services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(ValidatingServiceMethodProvider<>));
        builder.Services.AddGrpcReflection();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Address, options.Port, listen =>
            {
                if (options.CertificatePath is { } path)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(LoadCertificate(path, options.CertificateKeyOrPassword));
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http2;
                }
            });
            if (options.WebPort is { } webPort)
            {
                // The web page: HTTP/1.1 (with TLS when the server has a certificate).
                k.Listen(options.Address, webPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    if (options.CertificatePath is { } path)
                    {
                        listen.UseHttps(LoadCertificate(path, options.CertificateKeyOrPassword));
                    }
                });
            }
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGrpcService<SessionsService>();
        app.MapGrpcService<RunControlService>();
        app.MapGrpcService<StateService>();
        app.MapGrpcService<ControlsService>();
        app.MapGrpcService<StreamsService>();
        app.MapGrpcService<CheckpointsService>();
        app.MapGrpcService<FramesService>();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcReflectionService();
        WebEndpoints.Map(app);

        var health = app.Services.GetRequiredService<HealthServiceImpl>();
        var status = app.Services.GetRequiredService<SessionRegistry>().Ready ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing;
        health.SetStatus("", status);
        foreach (string name in ServiceNames)
        {
            health.SetStatus(name, status);
        }

        app.Lifetime.ApplicationStopping.Register(() => health.SetStatus("", HealthCheckResponse.Types.ServingStatus.NotServing));
        return app;
    }

    /// <summary>Loopback only unless allowed; a server others can reach must check tokens.</summary>
    public static void CheckExposure(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (IPAddress.IsLoopback(options.Address))
        {
            return;
        }

        if (!options.AllowRemote)
        {
            throw new InvalidOperationException($"{options.Address} is not a loopback address: pass --allow-remote (with --tokens) to listen where others can reach");
        }

        if (options.Tokens.Count == 0)
        {
            throw new InvalidOperationException($"refusing to listen on {options.Address} without tokens: give --tokens FILE or DCTWIN_TOKENS so that callers must authenticate");
        }
    }

    private static X509Certificate2 LoadCertificate(string path, string? keyOrPassword) =>
        path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
            ? X509Certificate2.CreateFromPemFile(path, keyOrPassword)
            : X509CertificateLoader.LoadPkcs12FromFile(path, keyOrPassword);
}
