using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// The fluid time per token with prefills that come in runs and a first run after the request's own
/// prefill (FluidLatency.TpotPoints, clustered), and the decode step a request sees at its size-biased
/// batch (FluidHall.DecodeSeen): counts and moments worked by hand.
/// </summary>
public class StallRunTests
{
    private static (double[] Tpot, double[] P) Points(double iterations, double decodeS, double prefillS, double runs, double chain, double first, double cv2 = 0, double decodeVar = 0)
    {
        var t = new double[FluidLatency.MaxTpotPoints];
        var p = new double[FluidLatency.MaxTpotPoints];
        int n = FluidLatency.TpotPoints(iterations, decodeS, prefillS, runs, chain, first, t, p, cv2, decodeVar);
        return (t[..n], p[..n]);
    }

    private static double Mean(double[] t, double[] p)
    {
        double m = 0;
        for (int i = 0; i < t.Length; i++)
        {
            m += t[i] * p[i];
        }

        return m;
    }

    [Fact]
    public void FirstRunAlone_IsGeometric()
    {
        // No runs at the other iterations; the first decode step waits for a run with r0 = 0.3, each
        // prefill followed by another with r = 0.5: P(0) = 0.7, P(k ≥ 1) = 0.3·0.5^(k−1)·0.5 = 0.3·0.5^k.
        // 10 iterations of 20 ms, prefills of 0.4 s: k interruptions make 0.02 + 0.04·k s a token.
        var (t, p) = Points(10, 0.020, 0.4, 0, 0.5, 0.3);
        Assert.Equal(0.020, t[0], 12);
        Assert.Equal(0.7, p[0], 12);
        Assert.Equal(0.060, t[1], 12);
        Assert.Equal(0.15, p[1], 12);
        Assert.Equal(0.100, t[2], 12);
        Assert.Equal(0.075, p[2], 12);
        Assert.Equal(1, p.Sum(), 12);

        // Mean: 0.02 + 0.04 · r0/(1 − r) = 0.02 + 0.04 · 0.6 = 0.044 s, the tail beyond nine at its conditional mean.
        Assert.Equal(0.044, Mean(t, p), 12);
    }

    [Fact]
    public void RunsAtTheOtherIterations_ArePolyaAeppli()
    {
        // μ = 0.05 × 10 = 0.5 runs, r = 0.4, no first run. Pólya–Aeppli: P(0) = e^−μ = 0.606531,
        // P(1) = e^−μ·μ(1 − r) = 0.181959, P(2) = e^−μ·(μ(1 − r)r + μ²(1 − r)²/2) = e^−0.5·(0.12 + 0.045) = 0.100078.
        var (t, p) = Points(10, 0.020, 0.4, 0.05, 0.4, 0);
        double e = Math.Exp(-0.5);
        Assert.Equal(e, p[0], 9);
        Assert.Equal(e * 0.3, p[1], 9);
        Assert.Equal(e * 0.165, p[2], 9);
        Assert.Equal(0.100, t[2], 12);

        // Mean count μ/(1 − r) = 0.8333: 0.02 + 0.04 × 0.8333 = 0.053333 s.
        Assert.Equal(0.02 + (0.04 * 0.5 / 0.6), Mean(t, p), 12);
    }

    [Fact]
    public void WithoutRunsOrFirstStall_ItIsPoisson()
    {
        // r = r0 = 0: 0.05 interruptions an iteration over 30, Poisson(1.5): P(0) = e^−1.5 = 0.223130,
        // P(1) = 1.5·e^−1.5, P(2) = 1.125·e^−1.5, at 0.02 + k·0.01 s.
        var (t, p) = Points(30, 0.020, 0.3, 0.05, 0, 0);
        double e = Math.Exp(-1.5);
        Assert.Equal(e, p[0], 12);
        Assert.Equal(1.5 * e, p[1], 12);
        Assert.Equal(1.125 * e, p[2], 12);
        Assert.Equal(0.030, t[1], 12);
        Assert.Equal(0.020 + (1.5 * 0.01), Mean(t, p), 12);
    }

    [Fact]
    public void ManyInterruptions_KeepMeanAndClusteredVariance()
    {
        // μ = 0.05 × 200 = 10 runs, r = 0.5, r0 = 0.2: mean count (10 + 0.2)/0.5 = 20.4; E[G²] = (1 + r)/(1 − r)² = 6,
        // variance 10·6 + 0.2·6 − 0.2²·4 = 61.04 counts², step 0.5/200 = 2.5 ms: sd = 7.8128 × 2.5 ms.
        var (t, p) = Points(200, 0.020, 0.5, 0.05, 0.5, 0.2);
        Assert.Equal(3, t.Length);
        double mean = 0.020 + (20.4 * 0.0025);
        Assert.Equal(mean, t[0], 12);
        Assert.Equal(mean + (Math.Sqrt(3) * Math.Sqrt(61.04) * 0.0025), t[1], 12);
        Assert.Equal(mean, Mean(t, p), 12);
    }

    [Fact]
    public void DecodeSpread_AddsItsVariance_KeepsTheMean()
    {
        // No interruptions: the decode step's own spread as ± one standard deviation (variance 1e-4 s², sd 10 ms).
        var (t, p) = Points(50, 0.100, 0.4, 0, 0, 0, 0, 1e-4);
        Assert.Equal(2, t.Length);
        Assert.Equal(0.090, t[0], 12);
        Assert.Equal(0.110, t[1], 12);
        Assert.Equal(0.5, p[0], 12);
        Assert.Equal(0.100, Mean(t, p), 12);
    }

    [Fact]
    public void StallRuns_KeepTheSolvedInterruptionsPerRequest()
    {
        // q̄ = 0.02 a iteration over 50 iterations on average; joiners land at 2 /s on a replica in a prefill of 0.3 s
        // (0.2 s alone), 60 % of requests joining: r = 1 − e^−0.6 = 0.451188, r0 = 0.4·(1 − e^−0.4) + 0.6·r = 0.402609.
        var (runs, chain, first) = FluidHall.StallRuns(0.02, 50, 2, 0.3, 0.2, 0.6);
        double r = 1 - Math.Exp(-0.6);
        Assert.Equal(r, chain, 12);
        Assert.Equal((0.4 * (1 - Math.Exp(-0.4))) + (0.6 * r), first, 12);

        // E[count] = (r0 + 50·c)/(1 − r) must be 50 × 0.02 = 1.
        Assert.Equal(1, (first + (50 * runs)) / (1 - chain), 12);

        // No joiners landing on prompts: no runs, the old uniform rate.
        Assert.Equal((0.02, 0.0, 0.0), FluidHall.StallRuns(0.02, 50, 0, 0.3, 0.2, 0.6));
    }

    [Fact]
    public void DecodeSeen_IsAtTheSizeBiasedBatch()
    {
        // A busy replica's batch 1 + Poisson(1), mean 2. A request sits in batch i with weight i·P(B = i),
        // Σ i/(i − 1)! = 2e; E = Σ i²/(i − 1)!/2e = Σ (j + 1)²/j!/2e = 5e/2e = 2.5; E[B²] = Σ (j + 1)³/j!/2e = 15e/2e = 7.5,
        // variance 7.5 − 6.25 = 1.25. With 10 ms a request more per step: +5 ms, variance 1.25e-4 s².
        var (d, v) = FluidHall.DecodeSeen(0.100, 0.010, 2);
        Assert.Equal(0.105, d, 12);
        Assert.Equal(1.25e-4, v, 15);

        // A batch of one holds one request: nothing changes.
        Assert.Equal((0.100, 0.0), FluidHall.DecodeSeen(0.100, 0.010, 1));
    }
}
