using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Tests.Thermal;

public class DieProtectionTests
{
    [Fact]
    public void Die_AtTheShutdownLimit_StopsTheRack_UntilBelowTheLimitPlusTheRestartTime()
    {
        // Defaults: throttle from 85 °C at 5 % per K, shutdown at 92 °C, restart 300 s after the die is back below 85 °C.
        var spec = new AcceleratorThermalSpec();
        var p = new DieProtection(spec, racks: 2);

        // 91 °C throttles (1 − 0.05 × 6 = 0.7) and does not trip.
        Assert.Equal(0.7, p.Step(0, 91, 60), 12);
        Assert.False(p.IsDown(0));

        // 92 °C trips: clock 0.
        Assert.Equal(0, p.Step(0, 92, 60));
        Assert.True(p.IsDown(0));
        Assert.Equal(1, p.Shutdowns);

        // Cooling but still above the throttle limit: the cause has not cleared.
        Assert.Equal(0, p.Step(0, 88, 60));

        // Below the limit from this step: five more 60-s steps make the 300 s restart; the sixth serves.
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(0, p.Step(0, 80, 60));
        }

        Assert.Equal(1, p.Step(0, 80, 60));
        Assert.False(p.IsDown(0));
        Assert.Equal(1, p.Restarts);
        Assert.Equal(8 * 60, p.DownSeconds(0), 9);

        // The other rack never tripped.
        Assert.Equal(0, p.DownSeconds(1));
    }

    [Fact]
    public void Restart_StartsOver_WhenTheDieGoesBackAboveTheLimit()
    {
        var p = new DieProtection(new AcceleratorThermalSpec(RestartS: 120), racks: 1);
        p.Step(0, 95, 60);
        Assert.Equal(0, p.Step(0, 80, 60));     // restart clock 0
        Assert.Equal(0, p.Step(0, 86, 60));     // above the limit again: clock cleared
        Assert.Equal(0, p.Step(0, 80, 60));     // 0
        Assert.Equal(0, p.Step(0, 80, 60));     // 60
        Assert.Equal(1, p.Step(0, 80, 60));     // 120: back
    }
}
