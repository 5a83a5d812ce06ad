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
}
