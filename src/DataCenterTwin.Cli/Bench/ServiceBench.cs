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
/// <c>dctwin bench service</c>: the gRPC server under load, on a loopback port in this process. The
/// 100 telemetry streams are read by a child process (<see cref="ServiceReaders"/>), so this process
/// only serves them; the other clients run here (the memory and thread figures of the stalled
/// consumer and the churn are this process's, server and those clients together). 100 telemetry
/// streams on one session against none, measured in the same run; 32 sessions of quick for a day at
/// once; a stalled consumer; 1,000 sessions created and deleted with streams dropped mid-way.
/// </summary>
internal static class ServiceBench
{
    // Control steps each streamed and unstreamed session runs before it is timed.
    private const int WarmUpSteps = 5;

    // Issue #13's load goal: 100 streams raise the simulation's wall time by less than 10 %.
    private const double Goal = 1.10;

    // The interval of a stream that asks none (StreamsService.DefaultMinIntervalWallMs, internal to the service).
    private const int StreamsDefaultIntervalMs = 100;

    public static Command CreateCommand()
    {
        var days = new Option<int>("--days") { Description = "Simulated days of each timed session, with streams and without (default 365: about 5 s a run on two idle cores).", DefaultValueFactory = _ => 365 };
        var streams = new Option<int>("--streams") { Description = "Concurrent telemetry streams (default 100).", DefaultValueFactory = _ => 100 };
        var sessions = new Option<int>("--sessions") { Description = "Concurrent sessions of quick (default 32).", DefaultValueFactory = _ => 32 };
        var churn = new Option<int>("--churn") { Description = "Sessions created and deleted (default 1000).", DefaultValueFactory = _ => 1000 };
        var stall = new Option<double>("--stall-s") { Description = "How long the stalled consumer stalls, wall s (default 60).", DefaultValueFactory = _ => 60 };
        var streamHz = new Option<double>("--stream-max-hz") { Description = "The server's per-stream rate limit, messages per wall s (default: dctwin serve's; 0: none).", DefaultValueFactory = _ => new ServerOptions().StreamMaxMessagesPerSecond };
        var rounds = new Option<int>("--rounds") { Description = "Pairs of timed runs, one without streams and one with, in alternating order (default 12; 6 or more give a 95 % interval of the median ratio).", DefaultValueFactory = _ => 12 };
        var sharedSession = new Option<bool>("--readers-in-server-session") { Description = "Start the readers' process in the server's session (Linux autogroup: their CPU then comes out of the server's share of a loaded machine)." };
        var allocations = new Option<bool>("--alloc-sample") { Description = "Also print which types the process allocated most during the streamed run (the runtime's allocation ticks, one per ~100 KB)." };
        var command = new Command("service", "gRPC server load: streams, concurrent sessions, a stalled consumer, churn.") { days, streams, sessions, churn, stall, streamHz, rounds, sharedSession, allocations };
        command.SetAction(parse => Run(parse.GetValue(days), parse.GetValue(streams), parse.GetValue(sessions), parse.GetValue(churn), parse.GetValue(stall), parse.GetValue(streamHz),
            Math.Max(1, parse.GetValue(rounds)), !parse.GetValue(sharedSession), parse.GetValue(allocations)).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> Run(int days, int streamCount, int sessionCount, int churn, double stallS, double streamMaxHz, int rounds, bool readersOwnSession, bool sampleAllocations)
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
            Console.WriteLine($"dctwin bench service: server at {address}, {Environment.ProcessorCount} cores, streams limited to {streamMaxHz:G} messages/s each (0: no limit); " +
                $"readers in {(readersOwnSession ? "a session of their own" : "the server's session")}; GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, " +
                $"latency mode {System.Runtime.GCSettings.LatencyMode} (Batch: not concurrent)");

            // 1. One session at full speed with no streams and with N streams, in pairs.
            using var readers = ServiceReaders.Child.Start(address, streamCount, everySimS: 60, readersOwnSession);
            async Task<Timed> Streamed(int n)
            {
                var s = await sessionsClient.CreateSessionAsync(new CreateSessionRequest { ScenarioYaml = longYaml });
                if (n > 0)
                {
                    await readers.Stream(s.SessionId);
                }

                // Warm-up, the same with streams and without: a few steps, so that the first messages' code
                // (the server's frames and HTTP/2 writes, the readers' receive and parse) is compiled before
                // the timed run instead of during it.
                var warm = await run.StepAsync(new StepRequest { SessionId = s.SessionId, ControlSteps = WarmUpSteps });
                await Task.Delay(n > 0 ? 500 : 0);
                var cost = RunCost.Start("session " + s.SessionId);
                sampler?.Record(n > 0);
                var done = await run.RunUntilAsync(new RunUntilRequest { SessionId = s.SessionId, SimTimeS = days * 86_400.0 });
                sampler?.Record(false);
                cost = cost.Stop();
                await Task.Delay(n > 0 ? 500 : 0);
                var read = n > 0 ? await readers.Stop() : default;
                await sessionsClient.DeleteSessionAsync(new SessionRef { SessionId = s.SessionId });
                return new Timed(done.WallTimeS - warm.WallTimeS, read, cost);
            }

            // A run of each, not counted: the first of each compiles its code (the server's tier-1 code of
            // the stream path, the readers' receive path) and would count that as the streams' cost.
            await Streamed(0);
            await Streamed(streamCount);

            // Pairs of runs, one without streams and one with, their order alternating (A B, B A, A B, ...)
            // so that neither always runs first; each pair gives a ratio, with the two runs a few seconds
            // apart, so that the machine's load changing between pairs shows in the spread of the ratios,
            // not in their median.
            var wallRatios = new List<double>();
            var cpuRatios = new List<double>();
            var otherCpuPerMessageS = new List<double>();
            var wakesPerSecond = new List<double>();
            long delivered = 0;
            ulong dropped = 0;
            double streamedWallS = 0, readersCpuS = 0;
            for (int r = 0; r < rounds; r++)
            {
                bool streamsFirst = r % 2 == 1;
                var first = await Streamed(streamsFirst ? streamCount : 0);
                var second = await Streamed(streamsFirst ? 0 : streamCount);
                var (with, quiet) = streamsFirst ? (first, second) : (second, first);
                wallRatios.Add(with.WallS / quiet.WallS);
                delivered += with.Read.Delivered;
                dropped += with.Read.Dropped;
                streamedWallS += with.WallS;
                if (with.Read.Delivered > 0)
                {
                    // What the streams cost the server's threads other than the simulation's, the run without streams subtracted.
                    double otherS = (with.Cost.Cpu.TotalSeconds - with.Cost.SimCpuS) - (quiet.Cost.Cpu.TotalSeconds - quiet.Cost.SimCpuS);
                    otherCpuPerMessageS.Add(otherS / with.Read.Delivered);
                    if (with.Cost.Wakes >= 0 && quiet.Cost.Wakes >= 0)
                    {
                        wakesPerSecond.Add((with.Cost.Wakes - quiet.Cost.Wakes) / with.WallS);
                    }
                }

                readersCpuS += with.Read.CpuS;
                string cpu = "";
                if (quiet.Cost.SimCpuS > 0)
                {
                    cpuRatios.Add(with.Cost.SimCpuS / quiet.Cost.SimCpuS);
                    cpu = $"; simulation thread CPU {quiet.Cost.SimCpuS:F2} s and {with.Cost.SimCpuS:F2} s: ratio {cpuRatios[^1]:F3}";
                }

                Console.WriteLine($"streams: pair {r + 1} ({(streamsFirst ? "streams first" : "none first")}): {days} d of quick at full speed " +
                    $"{quiet.WallS:F3} s without streams, {with.WallS:F3} s with {streamCount}: wall ratio {wallRatios[^1]:F3}{cpu}; " +
                    $"delivered {with.Read.Delivered / with.WallS:F0}/s, dropped {with.Read.Dropped / with.WallS:F0}/s; " +
                    $"server process CPU {quiet.Cost.Cpu.TotalSeconds:F2} s and {with.Cost.Cpu.TotalSeconds:F2} s, its other threads woken {WakesText(quiet.Cost.Wakes)} and {WakesText(with.Cost.Wakes)} times, " +
                    $"gen0 {quiet.Cost.Gen0} and {with.Cost.Gen0}; readers' process CPU {with.Read.CpuS:F2} s, gen0 {with.Read.Gen0}");
            }

            Console.WriteLine($"streams: {streamCount} telemetry streams asking for every control step (the defaults: a latest-wins slot, at most one message a " +
                $"{StreamsDefaultIntervalMs} ms) delivered {delivered / streamedWallS:F0} messages/s and dropped {dropped / streamedWallS:F0}/s " +
                $"(decimated by the rate limit or lost to slow readers) over {rounds} streamed runs; the readers' process took {readersCpuS / streamedWallS:F2} of a core");
            if (otherCpuPerMessageS.Count > 0)
            {
                Console.WriteLine($"streams: the server's threads other than the simulation's, with streams less without (medians of {otherCpuPerMessageS.Count} pairs): " +
                    $"{Median(otherCpuPerMessageS) * 1e6:F1} us of CPU a delivered message and {(wakesPerSecond.Count > 0 ? Median(wakesPerSecond).ToString("F1", CultureInfo.InvariantCulture) : "?")} wake-ups a second (0 where Linux's per-thread figures are missing)");
            }

            var wall = RatioSpread.Of(wallRatios);
            Console.WriteLine($"streams: wall time with streams over without, {rounds} pairs: {wall.Describe()}");
            if (cpuRatios.Count == wallRatios.Count)
            {
                Console.WriteLine($"streams: the simulation thread's own CPU time with streams over without, {rounds} pairs: {RatioSpread.Of(cpuRatios).Describe()}");
            }

            Console.WriteLine($"streams: goal (wall time up by less than {Goal - 1:P0} with {streamCount} streams): {wall.Verdict(Goal)}");

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
    // A thread that ends during a run takes its count with it, so a run's difference can come out negative: not a count.
    private static string WakesText(long wakes) => wakes >= 0 ? wakes.ToString(CultureInfo.InvariantCulture) : "? (a thread ended)";

    private readonly record struct RunCost(string Thread, int Gen0, int Gen2, TimeSpan Pause, TimeSpan Cpu, double SimCpuS, long Wakes, long Clock)
    {
        public static RunCost Start(string thread) => new(thread, GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration(),
            Process.GetCurrentProcess().TotalProcessorTime, ThreadCpuS(thread), OtherThreadsWakes(thread), Stopwatch.GetTimestamp());

        public RunCost Stop()
        {
            var end = Start(Thread);
            return new(Thread, end.Gen0 - Gen0, end.Gen2 - Gen2, end.Pause - Pause, end.Cpu - Cpu, end.SimCpuS - SimCpuS, end.Wakes - Wakes, end.Clock - Clock);
        }

        public string Describe() =>
            $"{Gen0} gen0 and {Gen2} gen2 collections pausing every thread {Pause.TotalMilliseconds:F0} ms, " +
            $"process CPU {Cpu.TotalSeconds:F2} s in {Clock / (double)Stopwatch.Frequency:F2} s wall";

        // How often the process's threads other than the simulation's blocked and were woken again (Linux:
        // voluntary_ctxt_switches in /proc/self/task/*/status, summed; a thread that ended meanwhile takes
        // its count with it); 0 elsewhere. Each is a thread the scheduler had to put on a core.
        private static long OtherThreadsWakes(string name)
        {
            string comm = name.Length > 15 ? name[..15] : name;
            if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/task"))
            {
                return 0;
            }

            long sum = 0;
            foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == comm)
                    {
                        continue;
                    }

                    foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            sum += long.Parse(line.AsSpan("voluntary_ctxt_switches:".Length).Trim(), CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }

            return sum;
        }

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

    private static double Median(List<double> values) => RatioSpread.Of(values).Median;

    /// <summary>One timed run: its simulation wall time, what the readers read, what it cost the process.</summary>
    private readonly record struct Timed(double WallS, ServiceReaders.Counts Read, RunCost Cost);

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
