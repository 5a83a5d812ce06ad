using System.CommandLine;

namespace DataCenterTwin.Cli.Bench;

/// <summary><c>dctwin bench …</c>: whole-run benchmarks that print comparable figures.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark and print its figures (--json for scripts).");
        bench.Subcommands.Add(KernelBench.CreateCommand());
        bench.Subcommands.Add(TracesBench.CreateCommand());
        bench.Subcommands.Add(TraceOverheadBench.CreateCommand());
        bench.Subcommands.Add(PlantBench.CreateCommand());
        bench.Subcommands.Add(RequestsBench.CreateCommand());
        bench.Subcommands.Add(YearBench.CreateCommand());
        bench.Subcommands.Add(TrafficBench.CreateCommand());
        bench.Subcommands.Add(RenderBench.CreateCommand());
        bench.Subcommands.Add(SessionBench.CreateCommand());
        bench.Subcommands.Add(ServiceBench.CreateCommand());
        bench.Subcommands.Add(ServiceReaders.CreateCommand());
        bench.Subcommands.Add(Fuzz.FuzzBench.CreateCommand());
        bench.Subcommands.Add(SoakBench.CreateCommand());
        bench.Subcommands.Add(CalibrateBench.CreateCommand());
        bench.Subcommands.Add(SweepBench.CreateCommand());
        bench.Subcommands.Add(TailsBench.CreateCommand());
        return bench;
    }
}
