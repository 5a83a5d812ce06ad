using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Scenarios.Sections;
using Xunit.Abstractions;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>
/// training-nvl72's CDU failure (cdu-2, 14:00 on the first day, 30 min): its eight racks' coolant
/// heats past what throttling can hold, their dies reach the 92 °C shutdown limit, the pre-training
/// job that spans them and the eight racks on cdu-1 stops with them and loses its work since the last
/// checkpoint, and the event is judged on that rather than on air inlets alone.
/// </summary>
public class TrainingFailureScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public void TrainingNvl72_CduFailure_ShutsDownItsRacks_StopsTheJob_AndIsNotSurvived()
    {
        var spec = TwinBuilderTests.Load("training-nvl72.yaml");
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        built.Twin.RunUntil(SimTime.FromDays(1));
        var twin = built.Twin;
        var protection = twin.Parts.Cooling.Protection;
        var outcome = Assert.Single(twin.Outcomes);
        output.WriteLine(outcome.Detail);

        // cdu-2 serves racks 8–15 (eight racks per CDU, in order): those, and only those, shut down.
        for (int r = 0; r < 20; r++)
        {
            Assert.True((r is >= 8 and < 16) == protection.DownSeconds(r) > 0, $"rack {r}: {protection.DownSeconds(r)} s down");
        }

        Assert.Equal(8, protection.Shutdowns);
        Assert.Equal(8, protection.Restarts);
        Assert.False(outcome.Survived);

        // One stop of frontier-pretrain, its work since the last 30-min checkpoint lost (at most 30 min of 16 racks × 72 accelerators), then back.
        var ledger = Assert.Single(twin.TrainingLedgers);
        Assert.Equal(1, ledger.Interruptions);
        Assert.InRange(ledger.LostWorkS, 1, 1800);
        Assert.Equal(ledger.LostWorkS * 16 * 72 / 3600, ledger.LostAcceleratorHours, 6);
        Assert.Collection(ledger.Notices,
            n => Assert.Equal(("frontier-pretrain", TrainingNoticeKind.Interrupted), (n.Job, n.Kind)),
            n => Assert.Equal(("frontier-pretrain", TrainingNoticeKind.Resumed), (n.Job, n.Kind)));

        // The stop comes after the failure starts; the restart after the CDU is back (14:30) and the 10-min job restart.
        Assert.InRange(ledger.Notices[0].TimeS, 14 * 3600, (14 * 3600) + 1800);
        Assert.True(ledger.Notices[1].TimeS >= (14.5 * 3600) + 600, $"resumed at {ledger.Notices[1].TimeS} s");
    }
}
