namespace DataCenterTwin.Kernel.Tests;

public class CheckpointTests
{
    [Theory]
    [InlineData(1UL, 1_234)]
    [InlineData(2UL, 7_777)]
    [InlineData(3UL, 15_001)]
    public void Restore_IntoAFreshKernel_ContinuesIdentically(ulong seed, int eventsBeforeCheckpoint)
    {
        var sim = new Simulator(seed);
        var model = new ChurnModel(sim, processes: 40);
        sim.Run(eventsBeforeCheckpoint);

        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            sim.SaveCheckpoint(w);
            model.Save(w);
        }

        int logged = model.Log.Count;
        sim.Run(10_000);
        var original = model.Log.Skip(logged).ToList();
        var originalNow = sim.Now;

        var restored = new Simulator(seed);
        var restoredModel = new ChurnModel(restored, processes: 40, scheduleFirst: false);
        buffer.Position = 0;
        using (var r = new BinaryReader(buffer))
        {
            restored.RestoreCheckpoint(r);
            restoredModel.Restore(r);
        }

        Assert.Equal(sim.EventsFired - 10_000, restored.EventsFired);
        restored.Run(10_000);
        Assert.Equal(original, restoredModel.Log);
        Assert.Equal(originalNow, restored.Now);
        Assert.Equal(sim.PendingCount, restored.PendingCount);
    }

    [Fact]
    public void Restore_RefusesAnotherSeedOrOtherHandlers()
    {
        var sim = new Simulator(5);
        _ = new ChurnModel(sim, processes: 3);
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            sim.SaveCheckpoint(w);
        }

        buffer.Position = 0;
        var otherSeed = new Simulator(6);
        _ = new ChurnModel(otherSeed, processes: 3, scheduleFirst: false);
        Assert.Throws<InvalidDataException>(() => otherSeed.RestoreCheckpoint(new BinaryReader(buffer)));

        buffer.Position = 0;
        var otherHandlers = new Simulator(5);
        otherHandlers.Register(new RecordingHandler(), "something-else");
        Assert.Throws<InvalidDataException>(() => otherHandlers.RestoreCheckpoint(new BinaryReader(buffer)));

        Assert.Throws<InvalidDataException>(() => new Simulator(5).RestoreCheckpoint(new BinaryReader(new MemoryStream(new byte[64]))));
    }
}
