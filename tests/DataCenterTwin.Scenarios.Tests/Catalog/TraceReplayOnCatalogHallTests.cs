using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Workload;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Traces.Requests;

namespace DataCenterTwin.Scenarios.Tests.Catalog;

public class TraceReplayOnCatalogHallTests
{
    private sealed class Totals : IRequestSink
    {
        public long Count;
        public double EnergyJ;

        public void OnFinished(in RequestRecord record)
        {
            Count++;
            EnergyJ += record.EnergyJ;
        }
    }

    [Fact]
    public void AzureCodeTrace_EveryRequestCompletes_AndTokensServedEqualTheTrace()
    {
        var catalog = HardwareCatalog.LoadDefault();
        var trace = AzureLlmTraceReader.Read(AssetPaths.Asset("traces/AzureLLMInferenceTrace_code.csv")).Trace;
        var pool = catalog.Pool("h100", "DGX-H100-rack", 0, 2, "llama2-70b", 8, DispatchKind.PowerOfTwo);
        var cls = new RequestClass("code", "llama2-70b", TokenDistribution.Fixed(1), TokenDistribution.Fixed(1), new SloSpec(TtftS: 5));
        var sim = new Simulator(1);
        var totals = new Totals();
        var hall = new ComputeHall(sim, new ComputeHallSpec(2, [pool], [cls]), totals);
        _ = new RequestSource(sim, hall, "code", new TraceReplayArrivals(trace), "replay");
        sim.Run();
        hall.AdvanceTo(sim.Now);

        var m = hall.Metrics[0];
        Assert.Equal(8819, m.Arrived);
        Assert.Equal(8819, m.Completed + m.Rejected);
        Assert.Equal(0, m.Rejected);
        Assert.Equal(18_059_974, m.PromptTokensServed);
        Assert.Equal(245_896, m.OutputTokensServed);
        Assert.Equal(8819, totals.Count);
        Assert.InRange(m.Ttft.Quantile(0.5), 0.05, 5);

        // Energy attributed to requests is the busy part of the accelerator energy: at most all of it,
        // and at least all of it less idle power over the run.
        double accelJ = Enumerable.Range(0, hall.ReplicaCount).Sum(hall.ReplicaEnergyJ);
        double idleJ = 64 * 75.0 * sim.Now.TotalSeconds;
        Assert.InRange(totals.EnergyJ, accelJ - idleJ, accelJ * (1 + 1e-9));
    }
}
