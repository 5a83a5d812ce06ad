namespace DataCenterTwin.Kernel.Tests;

public class DeterminismTests
{
    private static List<(long, int, long)> RunChurn(ulong seed)
    {
        var sim = new Simulator(seed);
        var model = new ChurnModel(sim, processes: 50);
        sim.Run(20_000);
        return model.Log;
    }

    [Fact]
    public void SameSeed_GivesIdenticalEventLogs()
    {
        Assert.Equal(RunChurn(7), RunChurn(7));
    }

    [Fact]
    public void DifferentSeed_GivesADifferentEventLog()
    {
        Assert.NotEqual(RunChurn(7), RunChurn(8));
    }
}
