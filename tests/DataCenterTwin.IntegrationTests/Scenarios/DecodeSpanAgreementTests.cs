using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;
using Xunit.Abstractions;

namespace DataCenterTwin.IntegrationTests.Scenarios;

/// <summary>
/// The reference halls at request level, run with decode spans (one event for the iterations
/// between two changes of a replica's batch) and iteration by iteration: every request's replica,
/// first token and completion agree to the microsecond, token counts exactly, energies to rounding.
/// Spans cut short by arrivals leave their old ends to fire as no-ops (superseded ends), which only
/// the run with spans has.
/// </summary>
public class DecodeSpanAgreementTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("metro-inference.yaml", "10 min")]
    [InlineData("metro-campus-1184.yaml", "20 s")]
    [InlineData("quick.yaml", "30 min")]
    public void ReferenceHall_CoalescedAndIterationByIteration_Agree(string file, string horizon)
    {
        var iterative = Run(file, horizon, spanLimit: 1);
        var coalesced = Run(file, horizon, spanLimit: ComputeHall.MaxDecodeSpan);
        output.WriteLine($"{file} {horizon}: {coalesced.Records.Count} requests; kernel events {iterative.Events} iteration by iteration, {coalesced.Events} with spans, of which {coalesced.Superseded} superseded ends");

        Assert.True(iterative.Records.Count > 1000, $"{iterative.Records.Count} requests");
        Assert.Equal(iterative.Records.Count, coalesced.Records.Count);
        for (int i = 0; i < iterative.Records.Count; i++)
        {
            var a = iterative.Records[i];
            var b = coalesced.Records[i];
            Assert.Equal(a with { EnergyJ = 0 }, b with { EnergyJ = 0 });
            Assert.Equal(a.EnergyJ, b.EnergyJ, 1e-9 * Math.Max(1, a.EnergyJ));
        }

        Assert.Equal(iterative.Iterations, coalesced.Iterations);
        Assert.Equal(iterative.ItJ, coalesced.ItJ, 1e-9 * iterative.ItJ);
        Assert.True(coalesced.Events * 2 < iterative.Events, $"{coalesced.Events} events with spans, {iterative.Events} without");
        Assert.Equal(0, iterative.Superseded);
        Assert.True(coalesced.Superseded > 0, "no span was cut short: the superseded ends went untested");
    }

    private sealed record Outcome(List<RequestRecord> Records, long Iterations, long Events, long Superseded, double ItJ);

    private static Outcome Run(string file, string horizon, int spanLimit)
    {
        var (spec, errors) = ScenarioLoader.Load(Repository.Path(Path.Combine("scenarios", file)), AssetPaths.FindAssetsDirectory(),
            new Dictionary<string, string> { ["run.horizon"] = horizon, ["run.fidelity"] = "request" });
        Assert.True(spec is not null, string.Join("\n", errors));
        var sink = new ListSink();
        var built = TwinBuilder.Build(spec, Fidelity.Request, sink);
        built.RequestHall!.DecodeSpanLimit = spanLimit;
        built.Twin.RunUntil(spec.Run.Horizon);
        built.Twin.Flush();
        return new Outcome([.. sink.Records.OrderBy(r => r.Id)], built.RequestHall.Iterations, built.Simulator.EventsFired, built.RequestHall.SupersededSpanEnds, built.Twin.Ledger.ItJ);
    }

    private sealed class ListSink : IRequestSink
    {
        public List<RequestRecord> Records { get; } = [];

        public void OnFinished(in RequestRecord record) => Records.Add(record);
    }
}
