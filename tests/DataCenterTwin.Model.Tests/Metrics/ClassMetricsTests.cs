using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Tests.Metrics;

public class ClassMetricsTests
{
    private static RequestRecord Served(double ttftS, int outputTokens, double energyJ, bool sloMet) => new()
    {
        Arrival = SimTime.Zero,
        Completion = SimTime.FromSeconds(ttftS + 1),
        PromptTokens = 100,
        OutputTokens = outputTokens,
        TtftS = ttftS,
        TpotS = 0.02,
        E2eS = ttftS + 1,
        EnergyJ = energyJ,
        SloMet = sloMet,
    };

    [Fact]
    public void ClearedAndAddedFromParts_IsThePartsAddedUp_AgainEachTime_AndLeavesArrived()
    {
        // Two groups' parts: one with two served requests, one with a served and a rejected one.
        var a = new ClassMetrics("chat");
        a.Add(Served(0.5, 10, 30.0, sloMet: true));
        a.Add(Served(1.5, 20, 50.0, sloMet: false));
        var b = new ClassMetrics("chat");
        b.Add(Served(0.25, 1, 2.5, sloMet: true));
        b.Add(new RequestRecord { Reason = RejectReason.NoReplica });
        var whole = new ClassMetrics("chat") { Arrived = 7 };

        foreach (var parts in new[] { new[] { a, b }, [a, new ClassMetrics("chat"), b] })
        {
            // Summed twice, the second time with a lane that has no part of the class.
            whole.ClearFinished();
            foreach (var part in parts)
            {
                whole.AddFinishedOf(part);
            }
        }

        Assert.Equal(7, whole.Arrived);
        Assert.Equal(3, whole.Completed);
        Assert.Equal(1, whole.Rejected);
        Assert.Equal(2, whole.SloMet);
        Assert.Equal(300, whole.PromptTokensServed);
        Assert.Equal(31, whole.OutputTokensServed);
        Assert.Equal(82.5, whole.EnergyJ);
        Assert.Equal(3, whole.Ttft.Count);
        Assert.Equal(0.75, whole.Ttft.Mean, 12);
        Assert.Equal(2, whole.Tpot.Count); // a one-token output has no time per output token
        Assert.Equal(0.5, whole.SloAttainment);
    }
}
