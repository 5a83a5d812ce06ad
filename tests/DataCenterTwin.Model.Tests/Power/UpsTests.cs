using DataCenterTwin.Model.Power;

namespace DataCenterTwin.Model.Tests.Power;

public class UpsTests
{
    [Fact]
    public void Outage_WithATenSecondGeneratorStart_DrawsTheLoadTimesTheDelay()
    {
        // Issue 6: an outage at 12,512 kW with a 10 s generator start draws 12,512 kW × 10 s =
        // 34.76 kWh from the UPS, leaving a 500 kWh UPS at 93.05%.
        var ups = new Ups(new UpsSpec(500 * 3.6e6, 20e6, 1.0, 1e6));
        var generator = new Generator(new GeneratorSpec(15e6, 10, 2.8));
        generator.Start();
        double dt = 1;
        for (int s = 0; s < 30; s++)
        {
            double starting = generator.StartingSecondsWithin(dt);
            ups.Discharge(12_512e3 * starting / dt, dt);
            generator.Advance(dt, 12_512e3);
        }

        Assert.Equal(34.76, ups.EnergyDeliveredJ / 3.6e6, 2);
        Assert.Equal(0.9305, ups.StateOfCharge, 4);
        Assert.True(generator.IsRunning);
        Assert.Equal(12_512e3 * 20, generator.EnergyGeneratedJ, 3);
    }

    [Fact]
    public void Battery_ThatRunsOut_IsReportedWithTheTimeItDid()
    {
        // 1 kWh at 100% efficiency carrying 10 kW lasts 360 s: within the 300–400 s interval, 60 s in.
        var ups = new Ups(new UpsSpec(3.6e6, 1e6, 1.0, 1e3));
        Assert.Equal(0, ups.Discharge(10e3, 300));
        double dropped = ups.Discharge(10e3, 100);
        Assert.Equal(1, ups.Depletions);
        Assert.Equal(60, ups.LastDepletionOffsetS, 9);
        Assert.Equal(10e3 * 40, dropped, 6);
        Assert.Equal(0, ups.StateOfCharge);
    }

    [Fact]
    public void Discharge_CountsConversionLosses_AndRechargeRestoresCharge()
    {
        var ups = new Ups(new UpsSpec(3.6e7, 1e6, 0.9, 1e4));
        ups.Discharge(9e3, 360);
        Assert.Equal(1 - 9e3 * 360 / 0.9 / 3.6e7, ups.StateOfCharge, 12);
        double drawn = ups.Recharge(100);
        Assert.Equal(1e4, drawn, 9);
        Assert.Equal(1e6, ups.RechargeEnergyJ, 6);
    }
}
