using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>The slot wait at fluid level as a distribution (Erlang C: none, or exponential), worked by hand.</summary>
public class FluidLatencyTests
{
    [Fact]
    public void SlotWait_IsNoneOrExponential_WithTheMeanKept()
    {
        // C = 0.2, mean wait when waiting 0.5 s.
        Span<double> w = stackalloc double[FluidLatency.MaxWaitPoints];
        Span<double> p = stackalloc double[FluidLatency.MaxWaitPoints];
        int n = FluidLatency.SlotWaitPoints(0.2, 0.5, w, p);
        Assert.Equal(FluidLatency.MaxWaitPoints, n);

        // No wait with probability 1 − C.
        Assert.Equal(0, w[0]);
        Assert.Equal(0.8, p[0], 12);

        // The lowest half of the waits: X ~ Exp(1) below ln 2, E = 1 − ln 2·½/½ = 0.30685 → 0.15343 s, weight 0.2 × 0.5.
        Assert.Equal(0.5 * (1 - Math.Log(2)), w[1], 9);
        Assert.Equal(0.1, p[1], 12);

        // The top 0.1 % of the waits: memoryless, E = ln 1000 + 1 = 7.9078 → 3.9539 s, weight 0.2 × 0.001.
        Assert.Equal(0.5 * (Math.Log(1000) + 1), w[n - 1], 9);
        Assert.Equal(0.0002, p[n - 1], 12);

        double sumP = 0, mean = 0;
        for (int i = 0; i < n; i++)
        {
            sumP += p[i];
            mean += p[i] * w[i];
        }

        Assert.Equal(1, sumP, 12);
        Assert.Equal(0.2 * 0.5, mean, 12);
    }

    [Fact]
    public void SlotWait_Negligible_IsOnePointAtTheMean()
    {
        Span<double> w = stackalloc double[FluidLatency.MaxWaitPoints];
        Span<double> p = stackalloc double[FluidLatency.MaxWaitPoints];
        Assert.Equal(1, FluidLatency.SlotWaitPoints(1e-8, 0.5, w, p));
        Assert.Equal(5e-9, w[0], 15);
        Assert.Equal(1, p[0]);
    }

    [Fact]
    public void SlotWait_Certain_HasNoZeroPoint()
    {
        Span<double> w = stackalloc double[FluidLatency.MaxWaitPoints];
        Span<double> p = stackalloc double[FluidLatency.MaxWaitPoints];
        int n = FluidLatency.SlotWaitPoints(1, 2, w, p);
        Assert.Equal(FluidLatency.MaxWaitPoints - 1, n);
        Assert.True(w[0] > 0);
        Assert.Equal(0.5, p[0], 12);
    }

    [Fact]
    public void TpotPoints_InterruptionsOfVaryingLength_KeepTheMean_AndAddTheirVariance()
    {
        // 100 decode iterations of 40 ms, prefill batches of 0.2 s on average, 0.01 of them an iteration and
        // no runs (mean TPOT 42 ms): 2 ms an iteration of interruptions, λ = 100 × 0.01 = 1 interruption per request,
        // each adding 0.2/100 = 2 ms to its TPOT. With lengths of cv² = 1 the extra time per token
        // has variance λ(1 + cv²)·(2 ms)² = 8e-6 s², twice what equal lengths give (4e-6 s²).
        Span<double> t = stackalloc double[FluidLatency.MaxTpotPoints];
        Span<double> p = stackalloc double[FluidLatency.MaxTpotPoints];
        foreach (var (cv2, variance) in new[] { (0.0, 4e-6), (1.0, 8e-6) })
        {
            int n = FluidLatency.TpotPoints(100, 0.040, 0.2, 0.01, 0, 0, t, p, cv2);
            double sumP = 0, mean = 0, square = 0;
            for (int i = 0; i < n; i++)
            {
                sumP += p[i];
                mean += p[i] * t[i];
                square += p[i] * (t[i] - 0.042) * (t[i] - 0.042);
                Assert.True(t[i] >= 0.040, $"TPOT {t[i]} below the decode step");
            }

            // The Poisson tail past nine is lumped at its conditional mean: the mean exact, the variance to 1e-6 of itself.
            Assert.Equal(1, sumP, 12);
            Assert.Equal(0.042, mean, 12);
            Assert.Equal(variance, square, 8);
        }
    }
}
