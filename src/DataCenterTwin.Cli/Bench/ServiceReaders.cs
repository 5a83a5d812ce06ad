using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using DataCenterTwin.Service.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench service-readers</c> (hidden): the telemetry readers of <c>dctwin bench service</c>,
/// in a process of their own. In the server's process their parsing and its garbage made collections
/// that stop the server's simulation thread with every other, so the streamed run measured the readers
/// as much as the server; here they only compete for cores, and that cost is printed apart.
/// Protocol on stdin and stdout: once every stream has its response headers (the server sends them
/// once the stream is subscribed) it prints <c>ready</c>; at a line on stdin or its end it stops
/// reading and prints one JSON line of counts.
/// </summary>
internal static class ServiceReaders
{
    private const string CommandName = "service-readers";

    public static Command CreateCommand()
    {
        var address = new Option<string>("--address") { Description = "The server, e.g. http://127.0.0.1:5000.", Required = true };
        var session = new Option<string>("--session") { Description = "The session to stream.", Required = true };
        var streams = new Option<int>("--streams") { Description = "Concurrent telemetry streams.", DefaultValueFactory = _ => 100 };
        var everySimS = new Option<double>("--every-sim-s") { Description = "A message every this many simulated seconds.", DefaultValueFactory = _ => 60 };
        var command = new Command(CommandName, "The readers of bench service, out of the server's process.") { address, session, streams, everySimS };
        command.Hidden = true;
        command.SetAction(parse => Read(parse.GetValue(address)!, parse.GetValue(session)!, parse.GetValue(streams), parse.GetValue(everySimS)).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> Read(string address, string sessionId, int streamCount, double everySimS)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var client = new Streams.StreamsClient(channel);
        using var stop = new CancellationTokenSource();
        var calls = Enumerable.Range(0, streamCount)
            .Select(_ => client.StreamTelemetry(new TelemetryRequest { SessionId = sessionId, EverySimS = everySimS }, cancellationToken: stop.Token)).ToList();
        var counts = new long[streamCount];
        var dropped = new ulong[streamCount];
        var readers = calls.Select((c, i) => Task.Run(async () =>
        {
            try
            {
                while (await c.ResponseStream.MoveNext(stop.Token).ConfigureAwait(false))
                {
                    counts[i]++;
                    dropped[i] = c.ResponseStream.Current.DroppedMessages;
                }
            }
            catch (RpcException)
            {
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();

        await Task.WhenAll(calls.Select(c => c.ResponseHeadersAsync)).ConfigureAwait(false);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        int gen0 = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        Console.Out.WriteLine("ready");
        Console.Out.Flush();

        await Console.In.ReadLineAsync().ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(readers).ConfigureAwait(false);
        process.Refresh();
        var counted = new JsonObject
        {
            ["delivered"] = counts.Sum(),
            ["dropped"] = dropped.Select(d => (decimal)d).Sum(),
            ["cpu_s"] = (process.TotalProcessorTime - cpu).TotalSeconds,
            ["wall_s"] = clock.Elapsed.TotalSeconds,
            ["gen0"] = GC.CollectionCount(0) - gen0,
        };
        foreach (var c in calls)
        {
            c.Dispose();
        }

        Console.Out.WriteLine(counted.ToJsonString());
        return Program.ExitOk;
    }

    /// <summary>The readers' counts, from the moment every stream was subscribed until told to stop.</summary>
    public readonly record struct Counts(long Delivered, ulong Dropped, double CpuS, double WallS, int Gen0);

    /// <summary>A running reader process (the same program, <c>bench service-readers</c>).</summary>
    public sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _stderr;

        private Child(Process process)
        {
            _process = process;
            _stderr = process.StandardError.ReadToEndAsync();
        }

        /// <summary>
        /// Starts <paramref name="streams"/> readers of the session and returns once all of them are subscribed.
        /// With <paramref name="ownSession"/> (Linux, where setsid is found) the readers run in a session of
        /// their own, as a client on another machine or started by another user would: under the kernel's
        /// autogroup scheduling (on by default) a session's threads share one slice of a loaded machine, so
        /// in the server's session every second of the readers' CPU would be taken from the server's slice.
        /// </summary>
        public static async Task<Child> Start(string address, string sessionId, int streams, double everySimS, bool ownSession)
        {
            string exe = Environment.ProcessPath ?? "dotnet";
            const string SetSid = "/usr/bin/setsid";
            bool setsid = ownSession && OperatingSystem.IsLinux() && File.Exists(SetSid);
            var info = new ProcessStartInfo(setsid ? SetSid : exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            if (setsid)
            {
                info.ArgumentList.Add(exe);
            }

            if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
            {
                info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            }

            foreach (string a in new[] { "bench", CommandName, "--address", address, "--session", sessionId,
                "--streams", streams.ToString(CultureInfo.InvariantCulture), "--every-sim-s", everySimS.ToString("R", CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(a);
            }

            var child = new Child(Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {exe}."));
            string? line = await child._process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
            if (line != "ready")
            {
                child.Dispose();
                throw new InvalidOperationException($"the reader process did not get ready: {line} {await child._stderr.ConfigureAwait(false)}");
            }

            return child;
        }

        /// <summary>Stops the readers and returns what they read.</summary>
        public async Task<Counts> Stop()
        {
            await _process.StandardInput.WriteLineAsync("stop").ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            string? line = await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            if (_process.ExitCode != 0 || line is null || !line.StartsWith('{'))
            {
                throw new InvalidOperationException($"the reader process failed ({_process.ExitCode}): {line} {await _stderr.ConfigureAwait(false)}");
            }

            var o = JsonNode.Parse(line)!.AsObject();
            return new Counts(o["delivered"]!.GetValue<long>(), (ulong)o["dropped"]!.GetValue<decimal>(), o["cpu_s"]!.GetValue<double>(),
                o["wall_s"]!.GetValue<double>(), o["gen0"]!.GetValue<int>());
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
