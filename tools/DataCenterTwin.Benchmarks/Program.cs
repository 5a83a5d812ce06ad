using BenchmarkDotNet.Running;

namespace DataCenterTwin.Benchmarks;

/// <summary>
/// Micro-benchmarks (BenchmarkDotNet, with allocations): <c>dotnet run -c Release --project
/// tools/DataCenterTwin.Benchmarks -- --filter '*'</c>. Whole runs are measured by <c>dctwin bench</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
