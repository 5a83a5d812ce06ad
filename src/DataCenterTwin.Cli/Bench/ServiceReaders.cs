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
/// as much as the server; here they only compete for cores, and that cost is printed apart. One process
/// serves every streamed run of a bench, as a fleet of dashboards stays up while runs come and go: a
/// fresh one compiled its receive path during each timed run.
/// Per message a reader does what a dashboard that only counts would: the client parses the
/// TelemetryMessage (the snapshot's facility part, about a dozen numbers), the reader counts it and keeps
/// its count of dropped messages.
/// Protocol on stdin and stdout: at <c>stream SESSION</c> it opens the streams on that session and, once
/// every stream has its response headers (the server sends them once the stream is subscribed), prints
/// <c>ready</c>; at the next line it stops reading, closes those streams and prints one JSON line of
/// counts; at the end of stdin it exits.
/// </summary>
internal static class ServiceReaders
{
    private const string CommandName = "service-readers";

    public static Command CreateCommand()
    {
        var address = new Option<string>("--address") { Description = "The server, e.g. http://127.0.0.1:5000.", Required = true };
        var streams = new Option<int>("--streams") { Description = "Concurrent telemetry streams.", DefaultValueFactory = _ => 100 };
        var everySimS = new Option<double>("--every-sim-s") { Description = "A message every this many simulated seconds.", DefaultValueFactory = _ => 60 };
        var command = new Command(CommandName, "The readers of bench service, out of the server's process.") { address, streams, everySimS };
        command.Hidden = true;
        command.SetAction(parse => Serve(parse.GetValue(address)!, parse.GetValue(streams), parse.GetValue(everySimS)).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> Serve(string address, int streamCount, double everySimS)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var client = new Streams.StreamsClient(channel);
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("stream ", StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync($"service-readers: expected 'stream SESSION', got '{line}'").ConfigureAwait(false);
                return Program.ExitFailure;
            }

            Console.Out.WriteLine(await Read(client, line["stream ".Length..], streamCount, everySimS).ConfigureAwait(false));
            Console.Out.Flush();
        }

        return Program.ExitOk;
    }

    // Streams one session until the next line on stdin; the counts as one JSON line.
    private static async Task<string> Read(Streams.StreamsClient client, string sessionId, int streamCount, double everySimS)
    {
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

        return counted.ToJsonString();
    }

    /// <summary>The readers' counts, from the moment every stream was subscribed until told to stop.</summary>
    public readonly record struct Counts(long Delivered, ulong Dropped, double CpuS, double WallS, int Gen0);

    /// <summary>A running reader process (the same program, <c>bench service-readers</c>), streaming one session at a time.</summary>
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
        /// Starts a process of <paramref name="streams"/> readers. With <paramref name="ownSession"/> (Linux,
        /// where setsid is found) the readers run in a session of their own, as a client on another machine
        /// or started by another user would: under the kernel's autogroup scheduling (on by default) a
        /// session's threads share one slice of a loaded machine, so in the server's session every second
        /// of the readers' CPU would be taken from the server's slice.
        /// </summary>
        public static Child Start(string address, int streams, double everySimS, bool ownSession)
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

            foreach (string a in new[] { "bench", CommandName, "--address", address,
                "--streams", streams.ToString(CultureInfo.InvariantCulture), "--every-sim-s", everySimS.ToString("R", CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(a);
            }

            return new Child(Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {exe}."));
        }

        /// <summary>Opens the streams on a session and returns once all of them are subscribed.</summary>
        public async Task Stream(string sessionId)
        {
            await _process.StandardInput.WriteLineAsync("stream " + sessionId).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            string? line = await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
            if (line != "ready")
            {
                throw new InvalidOperationException($"the reader process did not get ready: {line} {await StandardError().ConfigureAwait(false)}");
            }
        }

        /// <summary>Stops reading the session's streams and returns what they read.</summary>
        public async Task<Counts> Stop()
        {
            await _process.StandardInput.WriteLineAsync("stop").ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            string? line = await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
            if (line is null || !line.StartsWith('{'))
            {
                throw new InvalidOperationException($"the reader process failed: {line} {await StandardError().ConfigureAwait(false)}");
            }

            var o = JsonNode.Parse(line)!.AsObject();
            return new Counts(o["delivered"]!.GetValue<long>(), (ulong)o["dropped"]!.GetValue<decimal>(), o["cpu_s"]!.GetValue<double>(),
                o["wall_s"]!.GetValue<double>(), o["gen0"]!.GetValue<int>());
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill();
                }
            }

            _process.Dispose();
        }

        // What the process said on stderr, once it has exited (a process that runs on is not waited for).
        private async Task<string> StandardError() => _process.WaitForExit(2000) ? await _stderr.ConfigureAwait(false) : "(still running)";
    }
}
