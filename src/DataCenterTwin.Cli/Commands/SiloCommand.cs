using System.CommandLine;
using System.Globalization;
using System.Net;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Sweeps.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DataCenterTwin.Cli.Commands;

/// <summary>
/// <c>dctwin silo --cluster REDIS</c>: joins (or forms) a sweep cluster as an Orleans silo and runs
/// the variants the board hands it until stopped; <c>dctwin sweep FILE --cluster REDIS</c> submits.
/// </summary>
internal static class SiloCommand
{
    /// <summary>The options that say how to join a cluster, shared with <c>sweep</c>.</summary>
    internal sealed class Cluster
    {
        public Option<string?> Redis { get; } = new("--cluster") { Description = "Join the Orleans cluster whose membership is in this Redis server (host:port, e.g. 127.0.0.1:6379)." };
        public Option<string> Id { get; } = new("--cluster-id") { Description = "The cluster's id (silos with the same Redis and id form one cluster).", DefaultValueFactory = _ => "dctwin" };
        public Option<string> Address { get; } = new("--address") { Description = "The address other silos reach this one at.", DefaultValueFactory = _ => "127.0.0.1" };
        public Option<int> Port { get; } = new("--silo-port") { Description = "Silo-to-silo port (default: any free one)." };

        public Option[] All => [Redis, Id, Address, Port];

        public SweepSiloOptions? Read(ParseResult parse, int workers) => parse.GetValue(Redis) is { } redis
            ? new SweepSiloOptions(redis, parse.GetValue(Id)!, workers, AssetPaths.FindAssetsDirectory(), Directory.GetCurrentDirectory(),
                IPAddress.Parse(parse.GetValue(Address)!), parse.GetValue(Port))
            : null;
    }

    public static Cluster ClusterOptions() => new();

    public static Command Create()
    {
        var cluster = new Cluster();
        cluster.Redis.Required = true;
        var workers = new Option<int>("--workers") { Description = "Variants at once (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("silo", "Join a sweep cluster (Orleans, membership in Redis) and run variants until stopped.") { workers };
        foreach (var o in cluster.All)
        {
            command.Options.Add(o);
        }

        command.SetAction(parse => Run(cluster.Read(parse, parse.GetValue(workers))!, Console.Out));
        return command;
    }

    public static int Run(SweepSiloOptions options, TextWriter output)
    {
        using var host = SweepCluster.BuildSilo(options);
        host.StartAsync().GetAwaiter().GetResult();
        var silo = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"silo {silo.ToParsableString()} joined cluster {options.ClusterId} (membership in Redis at {options.Redis}) with {options.Workers} workers"));
        output.Flush();
        host.WaitForShutdownAsync().GetAwaiter().GetResult();
        return Program.ExitOk;
    }
}
