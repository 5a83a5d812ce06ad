using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

public class AcceleratorPowerModelTests
{
    [Fact]
    public void DecodeAtBatch64_Clock08_Draws422W()
    {
        // H100 fit: floor 417 W, saturation 712 W, half-saturation 30 tokens; idle 75 W.
        // Busy at n = 64: 417 + 295 × 64 / 94 = 617.851 W. At clock 0.8 the part above idle scales
        // by 0.8² = 0.64: 75 + 542.851 × 0.64 = 422.425 W.
        var a = TestHardware.H100;
        Assert.Equal(617.851, a.PowerModel.BusyW(64, a.TdpW), 3);
        Assert.Equal(422.425, a.PowerW(AcceleratorPhase.Decode, 64, 0.8), 3);
        Assert.Equal(75, a.PowerW(AcceleratorPhase.Idle, 64, 0.8));
    }

    [Fact]
    public void PowerRisesWithTheBatch_AndStopsAtTheTdp()
    {
        // The measured pair (ML.ENERGY v3, Llama-3.1-8B on one H100): 486 W at batch 8,
        // 691 W at batch 255. The fit gives 417 + 295 × 8 / 38 = 479.1 W and 417 + 295 × 255 / 285 = 680.9 W.
        var a = TestHardware.H100;
        Assert.Equal(479.105, a.PowerW(AcceleratorPhase.Decode, 8, 1), 3);
        Assert.Equal(680.947, a.PowerW(AcceleratorPhase.Decode, 255, 1), 3);

        // A 16,384-token prefill on 8 GPUs (2,048 per GPU) would be 707.7 W unbounded: the TDP caps it.
        Assert.Equal(700, a.PowerW(AcceleratorPhase.Prefill, 2048, 1));
        Assert.Equal(695.672, a.PowerW(AcceleratorPhase.Prefill, 512, 1), 3);
    }

    [Fact]
    public void WithoutPublishedData_TheH100FitScalesByTdp()
    {
        var b200 = new AcceleratorSpec("B200", 1000, 107, 1000, 543, 180e9);
        Assert.Equal(417 * 1000 / 700.0, b200.PowerModel.FloorW, 9);
        Assert.Equal(712 * 1000 / 700.0, b200.PowerModel.SaturationW, 9);
        Assert.Equal(30, b200.PowerModel.HalfSaturationTokens);
    }

    [Fact]
    public void ExpectedDecodePower_IsTheMeanOverPoissonBatches_BelowThePowerAtTheMean()
    {
        // Poisson(2) truncated to 1..3 on TP 1: P(0)+P(1) = 3e⁻² = 0.406006 run at batch 1
        // (426.516 W), P(2) = 2e⁻² = 0.270671 at batch 2 (435.438 W), the rest 0.323324 at batch 3
        // (443.818 W): 434.525 W, below the 435.438 W at the mean batch (the curve is concave).
        double w = FluidHall.ExpectedDecodeBusyW(TestHardware.H100, 2, 3, 1);
        Assert.Equal(434.525, w, 3);
        Assert.True(w < TestHardware.H100.PowerModel.BusyW(2, 700));
    }

    [Fact]
    public void Roofline_DecodeAtBatch8UnderHalfClock_Slows2Point6Percent_Prefill2048_87Percent()
    {
        // H100 ridge 989.4 TFLOP/s / 3.35 TB/s = 295.3 FLOP/byte. Decode at batch 8: x = 8 / 295.3,
        // compute share c = x / (1 + x) = 0.026377; at clock 0.5 the step takes c / 0.5 + 1 − c =
        // 1.026377 of its full-clock time. Prefill of 2,048 tokens: c = 0.873981, 1.873981.
        var roof = new Roofline(295.3);
        Assert.Equal(1 / 1.026377, roof.StepSpeedAt(8, 0.5), 6);
        Assert.Equal(1 / 1.873981, roof.StepSpeedAt(2048, 0.5), 6);
        Assert.Equal(0, roof.StepSpeedAt(8, 0));
        Assert.Equal(0.5, new Roofline(0).StepSpeedAt(8, 0.5));
    }

    [Fact]
    public void CappedReplica_PrefillSlowsNearlyWithTheClock_DecodeBarely()
    {
        // One request of 2,048 prompt tokens and 2 output tokens on 8 H100s (ridge 295.3) capped to
        // clock 0.5: the prefill (c = 0.873981) takes 1.873981 × its full-clock time, the one decode
        // step at batch 1 (c = 0.003375) takes 1.003375 ×.
        var sim = new Simulator(1);
        var sink = new ListSink();
        var server = TestHardware.Dgx with { Accelerator = TestHardware.H100 with { RidgeFlopPerByte = 295.3 } };
        var hall = TestHardware.Hall(sim, TestHardware.Pool(server: server), TestHardware.Chat(prompt: 2048, output: 2), sink);
        hall.SetRackSpeedFactor(0, 0.5);
        hall.Submit(0, 0, 0, sim.Random.For("t"));
        sim.Run();
        var r = Assert.Single(sink.Records);
        double prefill = TestHardware.Llama70B.PrefillTimeS(2048);
        double decode = TestHardware.Llama70B.DecodeIterationTimeS(1, 2049);
        double c1 = (1 / 295.3) / (1 + (1 / 295.3));
        Assert.Equal(1.873981 * prefill, r.TtftS, 5);
        Assert.Equal(((c1 / 0.5) + 1 - c1) * decode, r.E2eS - r.TtftS, 5);
    }
}
