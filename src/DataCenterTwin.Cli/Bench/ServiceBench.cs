using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Service;
using DataCenterTwin.Service.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench service</c>: the gRPC server under load, on a loopback port in this process
/// (the memory and thread figures are the process's, server and clients together). 100 telemetry
/// streams on one session against none, measured in the same run; 32 sessions of quick for a day at
/// once; a stalled consumer; 1,000 sessions created and deleted with streams dropped mid-way.
/// </summary>
internal static class ServiceBench
{
    public static Command CreateCommand()
    {
        var days = new Option<int>("--days") { Description = "Simulated days of the streamed session (default 14).", DefaultValueFactory = _ => 14 };
        var streams = new Option<int>("--streams") { Description = "Concurrent telemetry streams (default 100).", DefaultValueFactory = _ => 100 };
        var sessions = new Option<int>("--sessions") { Description = "Concurrent sessions of quick (default 32).", DefaultValueFactory = _ => 32 };
        var churn = new Option<int>("--churn") { Description = "Sessions created and deleted (default 1000).", DefaultValueFactory = _ => 1000 };
        var stall = new Option<double>("--stall-s") { Description = "How long the stalled consumer stalls, wall s (default 60).", DefaultValueFactory = _ => 60 };
        var streamHz = new Option<double>("--stream-max-hz") { Description = "The server's per-stream rate limit, messages per wall s (default: dctwin serve's; 0: none).", DefaultValueFactory = _ => new ServerOptions().StreamMaxMessagesPerSecond };
        var allocations = new Option<bool>("--alloc-sample") { Description = "Also print which types the process allocated most during the streamed run (the runtime's allocation ticks, one per ~100 KB)." };
        var command = new Command("service", "gRPC server load: streams, concurrent sessions, a stalled consumer, churn.") { days, streams, sessions, churn, stall, streamHz, allocations };
        command.SetAction(parse => Run(parse.GetValue(days), parse.GetValue(streams), parse.GetValue(sessions), parse.GetValue(churn), parse.GetValue(stall), parse.GetValue(streamHz),
            parse.GetValue(allocations)).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> Run(int days, int streamCount, int sessionCount, int churn, double stallS, double streamMaxHz, bool sampleAllocations)
    {
        using var sampler = sampleAllocations ? new AllocationSampler() : null;
        var app = TwinServer.Build(new ServerOptions { Port = 0, MaxSessions = Math.Max(256, sessionCount + 8), StreamMaxMessagesPerSecond = streamMaxHz });
        await app.StartAsync().ConfigureAwait(false);
        try
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
            var sessionsClient = new Sessions.SessionsClient(channel);
            var run = new RunControl.RunControlClient(channel);
            var streamsClient = new Streams.StreamsClient(channel);
            string quick = File.ReadAllText(Path.Combine(Path.GetDirectoryName(AssetPaths.FindAssetsDirectory()!)!, "scenarios", "quick.yaml"));
            string longYaml = quick.Replace("horizon: 1 d", $"horizon: {days} d", StringComparison.Ordinal);
            Console.WriteLine($"dctwin bench service: server at {address}, {Environment.ProcessorCount} cores, streams limited to {streamMaxHz:G} messages/s each (0: no limit)");

            // 1. One session at full speed with no streams, with N streams, and with none again.
            async Task<(double WallS, long Delivered, ulong Dropped, RunCost Cost)> Streamed(int n)
            {
                var s = await sessionsClient.CreateSessionAsync(new CreateSessionRequest { ScenarioYaml = longYaml });
                using var stop = new CancellationTokenSource();
                var calls = Enumerable.Range(0, n).Select(_ => streamsClient.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EverySimS = 60 }, cancellationToken: stop.Token)).ToList();
                var counts = new long[n];
                var dropped = new ulong[n];
                var readers = calls.Select((c, i) => Task.Run(async () =>
                {
                    try
                    {
                        while (await c.ResponseStream.MoveNext(stop.Token))
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
                await Task.Delay(n > 0 ? 500 : 0);
                var cost = RunCost.Start("session " + s.SessionId);
                sampler?.Record(n > 0);
                var done = await run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = days * 86_400.0 });
                sampler?.Record(false);
                cost = cost.Stop();
                await Task.Delay(n > 0 ? 500 : 0);
                await stop.CancelAsync();
                await Task.WhenAll(readers);
                foreach (var c in calls)
                {
                    c.Dispose();
                }

                await sessionsClient.DeleteSessionAsync(new SessionRef { SessionId = s.SessionId });
                return (done.WallTimeS, counts.Sum(), (ulong)dropped.Select(d => (decimal)d).Sum(), cost);
            }

            await Streamed(0);
            var none1 = await Streamed(0);
            var with = await Streamed(streamCount);
            var none2 = await Streamed(0);
            double none = Math.Min(none1.WallS, none2.WallS);
            Console.WriteLine($"streams: {days} d of quick at full speed: {none:F3} s without streams (spread {Math.Abs(none1.WallS - none2.WallS):F3} s), " +
                $"{with.WallS:F3} s with {streamCount} telemetry streams asking for every control step: ratio {with.WallS / none:F3}");
            Console.WriteLine($"streams: delivered {with.Delivered} messages ({with.Delivered / with.WallS:F0}/s of simulation wall time), dropped {with.Dropped} (slow readers and the rate limit)");

            // Where the difference goes: blocking collections stop the simulation thread with every other,
            // and the process's CPU (server and these in-process readers) competes with it for cores.
            var quiet = none1.WallS <= none2.WallS ? none1.Cost : none2.Cost;
            Console.WriteLine($"streams: during the run without streams {quiet.Describe()}; with {streamCount} streams {with.Cost.Describe()}");
            if (quiet.SimCpuS > 0)
            {
                Console.WriteLine($"streams: the simulation thread's own CPU time: {quiet.SimCpuS:F2} s without streams, {with.Cost.SimCpuS:F2} s with: ratio {with.Cost.SimCpuS / quiet.SimCpuS:F3} " +
                    "(what streams cost the simulation itself, whatever else the machine runs)");
            }

            sampler?.Print(Console.Out);

            // 2. Many sessions of quick for a day at once.
            var clock = Stopwatch.StartNew();
            var created = await Task.WhenAll(Enumerable.Range(0, sessionCount).Select(_ => sessionsClient.CreateSessionAsync(new CreateSessionRequest { ScenarioName = "quick" }).ResponseAsync));
            var finished = await Task.WhenAll(created.Select(s => run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = 86_400 }).ResponseAsync));
            double allS = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"sessions: {sessionCount} sessions of quick for a day at once: {finished.Count(f => f.State == SessionState.Finished)} finished in {allS:F2} s wall " +
                $"({sessionCount / allS * 60:F0} sessions/min); per-session simulation wall {finished.Min(f => f.WallTimeS):F2} to {finished.Max(f => f.WallTimeS):F2} s");
            foreach (var s in created)
            {
                await sessionsClient.DeleteSessionAsync(new SessionRef { SessionId = s.SessionId });
            }

            // 3. A consumer that opens a stream and never reads while the twin runs.
            long before = Memory();
            var stalled = await sessionsClient.CreateSessionAsync(new CreateSessionRequest { ScenarioYaml = longYaml.Replace($"horizon: {days} d", "horizon: 3650 d", StringComparison.Ordinal) });
            using (var stalledCall = streamsClient.StreamTelemetry(new TelemetryRequest { SessionId = stalled.SessionId, EverySimS = 60, FieldMask = new() { Paths = { "facility", "racks", "plant" } } }))
            {
                await run.StartAsync(new SessionRef { SessionId = stalled.SessionId });
                var peak = before;
                var stallClock = Stopwatch.StartNew();
                while (stallClock.Elapsed.TotalSeconds < stallS)
                {
                    await Task.Delay(250);
                    peak = Math.Max(peak, Memory());
                }

                var info = await run.PauseAsync(new SessionRef { SessionId = stalled.SessionId });
                Console.WriteLine($"stalled consumer: {stallS:F0} s wall unread while the session ran {info.SimTimeS / 86_400:F0} simulated days: " +
                    $"managed memory {before / 1e6:F1} MB before, peak {peak / 1e6:F1} MB");
            }

            await sessionsClient.DeleteSessionAsync(new SessionRef { SessionId = stalled.SessionId });

            // 4. Churn: sessions created and deleted, streams opened and dropped mid-stream.
            long baseMemory = Memory();
            int baseThreads = Process.GetCurrentProcess().Threads.Count;
            clock.Restart();
            for (int i = 0; i < churn; i++)
            {
                var s = await sessionsClient.CreateSessionAsync(new CreateSessionRequest { ScenarioName = "quick" });
                using (var cts = new CancellationTokenSource())
                using (var call = streamsClient.StreamTelemetry(new TelemetryRequest { SessionId = s.SessionId, EverySimS = 60 }, cancellationToken: cts.Token))
                {
                    await run.StepAsync(new StepRequest { SessionId = s.SessionId, ControlSteps = 3 });

                    // The stream may subscribe only after those steps ran, and a paused session sends
                    // nothing more: step again until its first message arrives.
                    var first = call.ResponseStream.MoveNext(cts.Token);
                    for (int k = 0; k < 20 && await Task.WhenAny(first, Task.Delay(100)) != first; k++)
                    {
                        await run.StepAsync(new StepRequest { SessionId = s.SessionId, ControlSteps = 1 });
                    }

                    await cts.CancelAsync();
                    try
                    {
                        await first;
                    }
                    catch (RpcException)
                    {
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                await sessionsClient.DeleteSessionAsync(new SessionRef { SessionId = s.SessionId });
            }

            double churnS = clock.Elapsed.TotalSeconds;
            await Task.Delay(1000);
            long afterMemory = Memory();
            int afterThreads = Process.GetCurrentProcess().Threads.Count;
            int left = (await sessionsClient.ListSessionsAsync(new ListSessionsRequest())).Sessions.Count;
            Console.WriteLine($"churn: {churn} sessions created, stepped, streamed, dropped and deleted in {churnS:F1} s; {left} left; " +
                $"managed memory {baseMemory / 1e6:F1} MB before, {afterMemory / 1e6:F1} MB after; threads {baseThreads} before, {afterThreads} after");
            return Program.ExitOk;
        }
        finally
        {
            await app.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What a run cost the process: collections, their pauses, CPU time on every thread and on the session's own.</summary>
    private readonly record struct RunCost(string Thread, int Gen0, int Gen2, TimeSpan Pause, TimeSpan Cpu, double SimCpuS, long Clock)
    {
        public static RunCost Start(string thread) => new(thread, GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration(),
            Process.GetCurrentProcess().TotalProcessorTime, ThreadCpuS(thread), Stopwatch.GetTimestamp());

        public RunCost Stop()
        {
            var end = Start(Thread);
            return new(Thread, end.Gen0 - Gen0, end.Gen2 - Gen2, end.Pause - Pause, end.Cpu - Cpu, end.SimCpuS - SimCpuS, end.Clock - Clock);
        }

        public string Describe() =>
            $"{Gen0} gen0 and {Gen2} gen2 collections pausing every thread {Pause.TotalMilliseconds:F0} ms, " +
            $"process CPU {Cpu.TotalSeconds:F2} s in {Clock / (double)Stopwatch.Frequency:F2} s wall";

        // CPU seconds of this process's thread of that name (Linux: /proc/self/task, whose comm holds the
        // name's first 15 characters; utime and stime in clock ticks of 1/100 s); 0 elsewhere.
        private static double ThreadCpuS(string name)
        {
            string comm = name.Length > 15 ? name[..15] : name;
            if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/task"))
            {
                return 0;
            }

            foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != comm)
                    {
                        continue;
                    }

                    string stat = File.ReadAllText(Path.Combine(task, "stat"));
                    string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }

            return 0;
        }
    }

    /// <summary>The runtime's allocation ticks (one per ~100 KB allocated, naming the type), summed by type while recording.</summary>
    private sealed class AllocationSampler : EventListener
    {
        private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
        private volatile bool _recording;

        public void Record(bool on) => _recording = on;

        public void Print(TextWriter to)
        {
            long total = _bytes.Values.Sum();
            to.WriteLine($"allocations during the streamed run, sampled: {total / 1e6:F1} MB; most by type:");
            foreach (var (type, bytes) in _bytes.OrderByDescending(kv => kv.Value).Take(15))
            {
                to.WriteLine($"  {bytes / 1e6,8:F1} MB  {type}");
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: allocation ticks
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (!_recording || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is null)
            {
                return;
            }

            int type = eventData.PayloadNames.IndexOf("TypeName"), amount = eventData.PayloadNames.IndexOf("AllocationAmount64");
            if (type >= 0 && amount >= 0 && eventData.Payload![type] is string name && eventData.Payload[amount] is ulong bytes)
            {
                _bytes.AddOrUpdate(name, (long)bytes, (_, b) => b + (long)bytes);
            }
        }
    }

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
