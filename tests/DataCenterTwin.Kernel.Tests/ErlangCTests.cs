using DataCenterTwin.Model.Reference;

namespace DataCenterTwin.Kernel.Tests;

public class ErlangCTests
{
    [Fact]
    public void ErlangC_OfMM8AtUtilisation09_Is0877()
    {
        // Kleinrock vol. 1 §3.5, c = 8, λ = 7.2, μ = 1: P(wait) = 0.7015, Wq = P(wait) / (cμ − λ).
        var (pw, wq) = MmcModel.ErlangC(8, 7.2, 1.0);
        Assert.Equal(0.7015, pw, 4);
        Assert.Equal(0.877, wq, 3);
    }

    // Over 2,000,000 customers at ρ = 0.9 the mean wait still varies by about 2.5% (one standard
    // deviation across seeds, measured): queue lengths are correlated over long stretches. So the
    // single run uses the benchmark's seed, and ten independent replications, whose mean varies
    // by about 0.8%, must agree within 2%: a kernel that biases waits by 2% fails one or the other.
    [Fact]
    public void MM8_MeanWaitInQueue_MatchesErlangC_Within3Percent()
    {
        double expected = MmcModel.ErlangC(8, 7.2, 1.0).MeanWaitS;
        Assert.InRange(MeanWait(seed: 42), expected * 0.97, expected * 1.03);
    }

    [Fact]
    public void MM8_MeanWaitOverTenReplications_MatchesErlangC_Within2Percent()
    {
        double expected = MmcModel.ErlangC(8, 7.2, 1.0).MeanWaitS;
        double mean = Enumerable.Range(1, 10).Average(seed => MeanWait((ulong)seed));
        Assert.InRange(mean, expected * 0.98, expected * 1.02);
    }

    private static double MeanWait(ulong seed)
    {
        var sim = new Simulator(seed);
        var model = new MmcModel(sim, servers: 8, arrivalsPerS: 7.2, servicePerS: 1.0, customers: 2_000_000);
        sim.Run();
        Assert.Equal(2_000_000, model.Served);
        return model.MeanWaitS;
    }
}
