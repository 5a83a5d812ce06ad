using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// Thermal-aware and power-aware packing answered from the hall's index (ComputeHall.IndexedDispatch.cs)
/// against the same rules called as policies of another type, which scan every replica per request:
/// every request must go where the scan sends it, at the same times, through clock changes, stopped
/// racks, rack temperatures crossing the threshold, pools that scale and policies replaced mid-run.
/// </summary>
public class IndexedDispatchTests
{
    [Theory]
    [InlineData("queue/packing", 4, 2, 40.0, null)]
    [InlineData("preempt/packing", 4, 2, 40.0, null)]
    [InlineData("queue/packing", 16, 4, 70.0, "scales")]
    [InlineData("queue/thermal", 4, 2, 14.0, null)]
    [InlineData("preempt/thermal", 16, 4, 70.0, "scales")]
    [InlineData("queue/mixed", 16, 4, 70.0, "scales")]
    public void IndexedChoices_AreTheScans(string variant, int racks, int servers, double ratePerS, string? scales)
    {
        var scaling = scales is null ? null
            : new ScalingSpec(ScalingMode.SloDriven, 0.7, ScaleDownDelayS: 20, WakeUpS: 5, ParkedAcceleratorW: double.NaN, MinReplicas: 4, IntervalS: 10);
        var indexed = DecodeSpanTests.Run(variant, ComputeHall.MaxDecodeSpan, racks, servers, ratePerS, scaling, horizonS: 120);
        var scanned = DecodeSpanTests.Run(variant + "-scan", ComputeHall.MaxDecodeSpan, racks, servers, ratePerS, scaling, horizonS: 120);

        Assert.True(indexed.Records.Count > 1000, $"{indexed.Records.Count} requests: the comparison needs a busy hall");
        Assert.Equal(scanned.Records.Count, indexed.Records.Count);
        for (int i = 0; i < scanned.Records.Count; i++)
        {
            Assert.Equal(scanned.Records[i], indexed.Records[i]);
        }

        Assert.Equal(scanned.Events, indexed.Events);
        Assert.Equal(scanned.RackEnergyJ, indexed.RackEnergyJ);
    }

    [Fact]
    public void Packing_UnderHeavyLoad_FillsReplicasToTheirBatch_ThenTakesTheLeastWork()
    {
        // 40 requests a second on 8 replicas of batch 32 keep more requests outstanding than the
        // batches hold: the packing rule's second branch (every replica full: least work) is taken,
        // which a replica found with 32 or more requests outstanding when one was sent to it shows.
        var outcome = DecodeSpanTests.Run("queue/packing", ComputeHall.MaxDecodeSpan, racks: 4, servers: 2, ratePerS: 40, horizonS: 120);
        var served = outcome.Records.Where(r => r.Replica >= 0).ToList();
        int full = 0;
        foreach (var group in served.GroupBy(r => r.Replica))
        {
            var spans = group.OrderBy(r => r.Dispatch).ToList();
            for (int i = 0; i < spans.Count; i++)
            {
                int outstanding = spans.Take(i).Count(r => r.Completion > spans[i].Dispatch);
                full += outstanding >= 32 ? 1 : 0;
            }
        }

        Assert.True(full > 100, $"{full} requests sent to a replica already holding a full batch");
    }

    [Theory]
    [InlineData("packing")]
    [InlineData("least-work")]
    [InlineData("thermal")]
    public void ArrivalsOnTheTickOfASpanEnd_SeeItsFinishingMembersDone(string rule)
    {
        // A flat serving profile (prefill 0.3 s, decode iterations 0.05 s) puts every boundary on a
        // 50 ms grid, and requests arrive on that grid before the events of their tick fire: a span
        // ending then has members the scan counts as finished (boundaries first). Batches of three
        // keep the packing rule at its limit, where one finished member decides the choice.
        var indexed = RunOnTheGrid(rule, scan: false);
        var scanned = RunOnTheGrid(rule, scan: true);
        Assert.True(indexed.Count > 1000, $"{indexed.Count} requests");
        Assert.Equal(scanned, indexed);
    }

    private static List<RequestRecord> RunOnTheGrid(string rule, bool scan)
    {
        var flat = new ServingModel(new ServingProfile("flat-70b", "H100-SXM", 8,
            [128, 32768], [0.3, 0.3], [1, 64], [0.05, 0.05], 512, [128, 8192], [0.05, 0.05], "test: flat profile"));
        var pool = new PoolSpec("pool", TestHardware.Dgx, 2, 0, 3, "llama2-70b", flat, 8, new BatchingSpec(MaxBatch: 3), AdmissionSpec.AcceptAll, DispatchKind.LeastWork);
        var sim = new Simulator(3);
        var sink = new ListSink();
        var hall = TestHardware.Hall(sim, pool, TestHardware.Chat(), sink);
        IDispatchPolicy policy = rule switch
        {
            "packing" => new PowerAwarePacking(),
            "thermal" => new ThermalAware(80),
            _ => new LeastOutstandingWork(),
        };
        hall.SetDispatchPolicy(0, scan ? new DecodeSpanTests.Scanning(policy) : policy);
        var draws = new System.Random(42);
        for (int k = 1; k <= 4000; k++)
        {
            sim.RunUntil(new SimTime(k * 50_000L));
            if (rule == "thermal" && k % 10 == 0)
            {
                for (int rack = 0; rack < hall.RackCount; rack++)
                {
                    hall.SetRackTemperatureC(rack, 70 + draws.Next(20));
                }
            }

            for (int n = draws.Next(3); n > 0; n--)
            {
                hall.Submit(0, 512, 2 + draws.Next(10));
            }
        }

        sim.RunUntil(SimTime.FromSeconds(400));
        hall.AdvanceTo(sim.Now);
        return [.. sink.Records.OrderBy(r => r.Id)];
    }
}
