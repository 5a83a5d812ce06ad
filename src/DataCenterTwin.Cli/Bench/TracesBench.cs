using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Traces.Datasets;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench traces</c>: Parquet writing speed and memory: request rows, and a year of
/// one-minute facility rows partitioned by month.
/// </summary>
internal static class TracesBench
{
    public static Command CreateCommand()
    {
        var rows = new Option<long>("--requests") { Description = "Request rows to write.", DefaultValueFactory = _ => 10_000_000 };
        var keep = new Option<bool>("--keep") { Description = "Keep the files (printed folder)." };
        var compression = new Option<string>("--compression") { Description = "zstd (the default of run.traces) or snappy.", DefaultValueFactory = _ => "zstd" };
        compression.AcceptOnlyFromAmong("zstd", "snappy");
        var command = new Command("traces", "Parquet rows written per second and peak memory.") { rows, keep, compression };
        command.SetAction(parse => Run(parse.GetValue(rows), parse.GetValue(keep),
            parse.GetValue(compression) == "snappy" ? Parquet.CompressionMethod.Snappy : Parquet.CompressionMethod.Zstd));
        return command;
    }

    private static int Run(long requestRows, bool keep, Parquet.CompressionMethod compression)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"dctwin-bench-traces-{Environment.ProcessId}");
        var meta = new Dictionary<string, string> { ["scenario"] = "bench" };
        var start = new DateTime(2026, 1, 1, 5, 0, 0, DateTimeKind.Utc);
        try
        {
            var clock = Stopwatch.StartNew();
            using (var requests = new RequestDataset(folder, start, [("chat", "llama2-70b"), ("code", "llama2-70b")], new TraceFileOptions(compression, PartitionByMonth: true), meta))
            {
                for (long i = 0; i < requestRows; i++)
                {
                    var t = new SimTime(i * 3_000);
                    requests.Write(new RequestRecord
                    {
                        Id = i, ClassIndex = (int)(i & 1), Arrival = t, Dispatch = t, FirstToken = t + SimTime.FromMilliseconds(120),
                        Completion = t + SimTime.FromSeconds(6), PromptTokens = 1000 + (int)(i % 977), OutputTokens = 200 + (int)(i % 311),
                        Replica = (int)(i % 64), Accelerator = (int)(i % 64) * 8, Rack = (int)(i % 64) / 4, TtftS = 0.12, TpotS = 0.03,
                        E2eS = 6, SloMet = true, EnergyJ = 900,
                    });
                }

                requests.Complete();
            }

            double requestS = clock.Elapsed.TotalSeconds;
            clock.Restart();
            const int minutes = 365 * 24 * 60;
            using (var facility = new FacilityDataset(folder, start, new TraceFileOptions(compression, PartitionByMonth: true), meta))
            {
                for (int m = 0; m < minutes; m++)
                {
                    facility.Write(new FacilitySample { StartS = m * 60.0, DurationS = 60, ItW = 2e6, CoolingElectricW = 3e5, GridW = 2.4e6, GridCapW = 3e6 });
                }

                facility.Complete();
            }

            double facilityS = clock.Elapsed.TotalSeconds;
            long bytes = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"compression: {compression}");
            Console.WriteLine(string.Format(inv, "requests: {0:N0} rows in {1:F2} s = {2:N0} rows/s", requestRows, requestS, requestRows / requestS));
            Console.WriteLine(string.Format(inv, "facility: {0:N0} one-minute rows (a year, 12 month partitions) in {1:F2} s = {2:N0} rows/s", minutes, facilityS, minutes / facilityS));
            Console.WriteLine(string.Format(inv, "files: {0:N1} MB; peak working set {1:N0} MB", bytes / 1e6, Process.GetCurrentProcess().PeakWorkingSet64 / 1e6));
            if (keep)
            {
                Console.WriteLine($"kept: {folder}");
            }
        }
        finally
        {
            if (!keep && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        return Program.ExitOk;
    }
}
