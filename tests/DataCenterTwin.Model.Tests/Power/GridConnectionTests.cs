using DataCenterTwin.Model.Power;

namespace DataCenterTwin.Model.Tests.Power;

public class GridConnectionTests
{
    [Fact]
    public void Meter_TracksPeakEnergyAndTimeOverCapacity()
    {
        var grid = new GridConnection(1e6);
        grid.Meter(0.9e6, 60);
        grid.SetCapacity(0.8e6);
        grid.Meter(0.9e6, 60);
        grid.SetCapacity(null);
        grid.Meter(1e6, 60);
        Assert.Equal(1e6, grid.PeakDrawW);
        Assert.Equal(60, grid.SecondsOverCapacity);
        Assert.Equal(0.1e6 * 60, grid.EnergyOverCapacityJ, 6);
        Assert.Equal((0.9e6 + 0.9e6 + 1e6) * 60, grid.EnergyJ, 6);
        Assert.Equal(0, grid.HeadroomW);
    }

    [Fact]
    public void DuringAnOutage_NothingIsDrawn()
    {
        var grid = new GridConnection(1e6);
        grid.SetAvailable(false);
        grid.Meter(0.5e6, 60);
        Assert.Equal(0, grid.EnergyJ);
        Assert.False(grid.IsAvailable);
    }
}
