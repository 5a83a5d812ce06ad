using DataCenterTwin.Model.Reference;

namespace DataCenterTwin.Kernel.Tests;

public class AllocationTests
{
    [Fact]
    public void SteadyState_AllocatesNothing()
    {
        var model = TimeoutModel.Create(processes: 1_000, seed: 42);
        model.Run(100_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Run(1_000_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SteadyState_WithCancelAndMove_AllocatesNothing()
    {
        var sim = new DataCenterTwin.Kernel.Simulator(3);
        var model = new ChurnModel(sim, processes: 200);
        sim.Run(1_000_000);              // warm up: heap, cancelled set and its queue at size
        model.Log.Clear();
        model.Log.Capacity = 300_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        sim.Run(200_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
