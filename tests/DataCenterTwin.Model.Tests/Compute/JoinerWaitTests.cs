using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// Where the fluid hall's joiners land and what they wait for (FluidHall.Dispatch.JoinsOnPrefill,
/// FluidHall.SolveAt), and the end-to-end latency of a class whose prompt and output lengths are
/// drawn independently, against values worked by hand.
/// </summary>
public class JoinerWaitTests
{
    [Fact]
    public void TwoDraws_LandOnAPromptHolder_WhenBothHoldOne_OrWhenOneDoesAndHasFewerTokens()
    {
        // q = 0.2 of busy replicas hold a prompt. K = μ·ln 2 makes s = ½·e^(−ln 2) = 0.25:
        // 0.2² + 2·0.2·0.8·0.25 = 0.04 + 0.08 = 0.12.
        Assert.Equal(0.12, FluidHall.JoinsOnPrefill(2, 0.2, 100 * Math.Log(2), 100), 12);

        // No prompt tokens: s = ½, no steering, the joiner lands at random (q).
        Assert.Equal(0.2, FluidHall.JoinsOnPrefill(2, 0.2, 0, 100), 12);

        // Prompts far longer than what is left to decode: only when both draws hold one, q² = 0.04.
        Assert.Equal(0.04, FluidHall.JoinsOnPrefill(2, 0.2, 2048, 36), 12);

        // A policy taken as balancing perfectly lands at random.
        Assert.Equal(0.2, FluidHall.JoinsOnPrefill(0, 0.2, 2048, 36), 12);
    }

    [Fact]
    public void TwoDraws_StallSmallerBatches_ThanARandomJoinerWould()
    {
        // Mean batch 2: batches 1 + Poisson(1), p = e^(−1)/k!. P(Erlang(i) < Erlang(j)) is a fair coin's
        // i heads before j tails, P(Binomial(i + j − 1, ½) ≥ i): 1 vs 1 ½, 1 vs 2 ¾, 2 vs 1 ¼, 1 vs 3 ⅞,
        // 2 vs 2 ½, 3 vs 1 ⅛, ... Σᵢ Σⱼ pᵢ pⱼ · 2·P(i wins)·i / 2 = 0.8316 (summed to i, j = 30 by the
        // binomial form, not the row recursion the model uses). Mean batch 1.5: 0.8664.
        Assert.Equal(0.8316, FluidHall.JoinedBatchRatio(2, 2), 4);
        Assert.Equal(0.8664, FluidHall.JoinedBatchRatio(2, 1.5), 4);

        // A lone request has no batch to be steered by; a balancing policy is taken to land at random.
        Assert.Equal(1, FluidHall.JoinedBatchRatio(2, 1), 12);
        Assert.Equal(1, FluidHall.JoinedBatchRatio(0, 2), 12);

        // Large batches: the spread of outstanding tokens shrinks against their mean, the ratio tends to 1.
        Assert.Equal(0.9506, FluidHall.JoinedBatchRatio(2, 64), 4);
        Assert.InRange(FluidHall.JoinedBatchRatio(2, 500), 0.95, 1);
    }

    [Fact]
    public void AtALightLoad_EndToEndPairsEveryPromptWithEveryOutput()
    {
        // One replica, prompts of 128 or 8,192 tokens and outputs of 2 or 201, each half the time and
        // drawn independently, at 1e-6 requests/s: no request meets another, so TTFT is the request's
        // own prefill (the profile made monotone: 128 to 512 tokens pool to (0.058185 + 0.051659 +
        // 0.053386)/3 = 0.054410 s; 0.844885 s at 8,192; mean 0.449648 s), and every
        // token after the first takes one decode step at batch 1 and the mean context
        // 4,160 + 101.5/2 = 4,210.75 tokens. The context curve made monotone (pool adjacent violators)
        // is 0.029751 s at 512 (the reference) and 0.030804 s at 4,096, 0.031412 s at 8,192, so the step
        // is 0.029762 + 0.030804 + (0.031412 − 0.030804)·114.75/4,096 − 0.029751 = 0.030832 s.
        // End to end, a quarter each: 0.054410 + 0.030832 = 0.085242 s, 0.844885 + 0.030832 = 0.875717 s,
        // 0.054410 + 200·0.030832 = 6.2208 s and 0.844885 + 6.1664 = 7.0113 s (pairing the j-th prompt
        // with the j-th output would leave out the middle two; the mean prefill would put the top at 6.6161 s).
        var pool = TestHardware.Pool(dispatch: DispatchKind.PowerOfTwo);
        var cls = new RequestClass("code", "llama2-70b", TokenDistribution.Empirical([128, 8192]), TokenDistribution.Empirical([2, 201]), new SloSpec());
        var spec = new ComputeHallSpec(1, [pool], [cls]);
        double[] flat = [.. Enumerable.Repeat(1.0, 24)];
        var fluid = new FluidHall(spec, [new DiurnalPoissonArrivals(1e-6, flat, null, new RandomStreams(1).For("a"))], new RandomStreams(1).For("tokens"));
        fluid.AdvanceTo(SimTime.FromSeconds(60));
        var m = fluid.Metrics[0];

        Assert.Equal(0.054410, TestHardware.Llama70B.PrefillTimeS(128), 6);
        Assert.Equal(0.844885, TestHardware.Llama70B.PrefillTimeS(8192), 6);
        Assert.Equal(0.030832, TestHardware.Llama70B.DecodeIterationTimeS(1, 4210.75), 6);

        // The sketches keep 2 % bins.
        Assert.InRange(m.Ttft.Quantile(0.25), 0.054410 * 0.98, 0.054410 * 1.02);
        Assert.InRange(m.Ttft.Quantile(0.99), 0.844885 * 0.98, 0.844885 * 1.02);
        Assert.InRange(m.Tpot.Quantile(0.5), 0.030832 * 0.98, 0.030832 * 1.02);
        Assert.InRange(m.E2e.Quantile(0.15), 0.085242 * 0.98, 0.085242 * 1.02);
        Assert.InRange(m.E2e.Quantile(0.40), 0.875717 * 0.98, 0.875717 * 1.02);
        Assert.InRange(m.E2e.Quantile(0.60), 6.2208 * 0.98, 6.2208 * 1.02);
        Assert.InRange(m.E2e.Quantile(0.99), 7.0113 * 0.98, 7.0113 * 1.02);
    }

    [Fact]
    public void UnderLeastWork_JoinersWaitTheRestOfADecodeStep_UnlessEveryReplicaHoldsAPrompt()
    {
        // Joins per step nil (one arrival in a long while): the rest of the step is uniform.
        // 4 replicas, each holding a prompt half the time: a joiner lands on one only when all four do,
        // 0.5⁴ = 0.0625. 80 % of arrivals join. A prefill lander waits half the prefill in progress,
        // weighted by time: started alone 0.2·0.04 = 0.008 s per arrival of 0.04 s iterations, joined
        // 0.8·0.05/2 = 0.02 s of 0.05 s ones, (0.008·0.04 + 0.02·0.05)/0.028 = 0.0471429 s, half 0.0235714 s,
        // plus 0.05 − 0.04 = 0.01 s for the other prompt of its batch: 0.0335714 s, with probability
        // 0.8·0.0625 = 0.05. The rest (0.8·0.9375 = 0.75) wait uniformly over a 16 ms decode step, eight
        // points at its sixteenths 1, 3, …, 15 ms, 0.09375 each.
        Span<double> v = stackalloc double[10];
        Span<double> p = stackalloc double[10];
        int n = FluidHall.JoinerWaitPoints(4, 0.8, 0.5, 0.016, 0.04, 0.05, 2, 0, v, p);
        Assert.Equal(10, n);
        Assert.Equal(0, v[0], 12);
        Assert.Equal(0.2, p[0], 12);
        Assert.Equal(0.0335714286, v[1], 9);
        Assert.Equal(0.05, p[1], 12);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(0.001 + (0.002 * i), v[2 + i], 12);
            Assert.Equal(0.09375, p[2 + i], 12);
        }

        // Mean: 0.05·0.0335714 + 0.75·0.008 = 0.0076786 s.
        Assert.Equal(0.0076785714, FluidHall.JoinerMeanWaitS(4, 0.8, 0.5, 0.016, 0.04, 0.05, 2, 0), 9);

        // Every arrival joins, and a decoding replica is always there: no zero point, the decode step's eight
        // (the prefill point's weight 0.1²⁴ is nil).
        n = FluidHall.JoinerWaitPoints(24, 1, 0.1, 0.016, 0.04, 0.05, 2, 0, v, p);
        Assert.Equal(9, n);
        Assert.Equal(1, p[0] / 1e-24, 12);
        Assert.Equal(0.125, p[1], 12);
        Assert.Equal(0.015, v[8], 12);

        // Nobody joins: one point, no wait.
        n = FluidHall.JoinerWaitPoints(24, 0, 0.1, 0.016, 0.04, 0.05, 2, 0, v, p);
        Assert.Equal(1, n);
        Assert.Equal(0, v[0], 12);
        Assert.Equal(1, p[0], 12);
    }

    [Fact]
    public void UnderLeastWork_ManyJoinsPerStep_LeaveMostOfTheStepToWait()
    {
        // 15 joins per 36 ms step, every arrival joins, no replica holds a prompt: eight points of the
        // rest of the step, rising, each 1 − an age share of LeastWorkJoinAge, and their mean the mean wait.
        Span<double> v = stackalloc double[10];
        Span<double> p = stackalloc double[10];
        int n = FluidHall.JoinerWaitPoints(192, 1, 0, 0.036, 0.08, 0.08, 1, 15, v, p);
        Assert.Equal(8, n);
        var ages = new double[8];
        LeastWorkJoinAge.Shares(15, ages);
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(0.036 * (1 - ages[7 - i]), v[i], 9);
            Assert.Equal(0.125, p[i], 12);
            Assert.True(i == 0 || v[i] >= v[i - 1]);
            mean += v[i] * p[i];
        }

        Assert.Equal(mean, FluidHall.JoinerMeanWaitS(192, 1, 0, 0.036, 0.08, 0.08, 1, 15), 9);

        // Well above half a step: the request level's 0.79 of it with 192 replicas at this rate.
        Assert.InRange(mean / 0.036, 0.75, 0.85);
    }
}
