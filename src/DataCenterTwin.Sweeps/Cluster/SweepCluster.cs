using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace DataCenterTwin.Sweeps.Cluster;

/// <summary>How a silo joins the sweep cluster.</summary>
/// <param name="Redis">The Redis server holding the membership table ("127.0.0.1:6379").</param>
/// <param name="ClusterId">The cluster's id: silos with the same Redis and id form one cluster.</param>
/// <param name="Workers">Variants this silo runs at once (0: it only submits).</param>
/// <param name="AssetsDirectory">This silo's assets folder, where the scenarios' <c>assets/…</c> paths resolve.</param>
/// <param name="WorkDirectory">Where a received base scenario is taken to live (its relative paths resolve there).</param>
/// <param name="Address">The address other silos reach this one at.</param>
/// <param name="SiloPort">Silo-to-silo port (0: any free one).</param>
/// <param name="GatewayPort">Client gateway port (0: any free one).</param>
public sealed record SweepSiloOptions(string Redis, string ClusterId, int Workers, string? AssetsDirectory, string WorkDirectory,
    IPAddress Address, int SiloPort = 0, int GatewayPort = 0);

/// <summary>Builds the silos and clients of a sweep cluster: Orleans with its membership in Redis.</summary>
public static class SweepCluster
{
    /// <summary>The key of the cluster's one work board.</summary>
    public const string BoardKey = "board";

    /// <summary>A silo host with <paramref name="options"/>'s workers; start it to join (or form) the cluster.</summary>
    public static IHost BuildSilo(SweepSiloOptions options)
    {
        int siloPort = options.SiloPort > 0 ? options.SiloPort : FreePort(options.Address);
        int gatewayPort = options.GatewayPort > 0 ? options.GatewayPort : FreePort(options.Address);
        return new HostBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleans(silo =>
            {
                silo.UseRedisClustering(options.Redis);
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = "dctwin-sweeps";
                });
                silo.ConfigureEndpoints(options.Address, siloPort, gatewayPort);
                silo.Configure<ClusterMembershipOptions>(Membership);
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
                silo.Services.AddSingleton(options);
                silo.Services.AddHostedService<SweepWorkerService>();
            })
            .Build();
    }

    /// <summary>A client host that finds the cluster's gateways in Redis; start it to connect.</summary>
    public static IHost BuildClient(string redis, string clusterId) =>
        new HostBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleansClient(client =>
            {
                client.UseRedisClustering(redis);
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = "dctwin-sweeps";
                });
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            })
            .Build();

    // A call to a silo that has just died waits this long before the caller tries again.
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    // Declare a silo dead after two missed probes of 2 s each (Orleans' defaults, 5 s and 3, take
    // 15 s or more): a sweep's variants last seconds to minutes, so a dead silo's leases should not
    // wait longer than a variant.
    private static void Membership(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(2);
        o.NumMissedProbesLimit = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
