using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Tests.Cooling;

/// <summary>
/// The plant's calibration hook: with a staging band the plant's totals blend the one- and
/// two-chiller solutions smoothly about the stage-up ratio; without one (the default) staging is
/// crisp and the outputs are those of the crisp rule exactly.
/// </summary>
public class SmoothStagingTests
{
    private static readonly WeatherConditions s_weather = new(25, 18, 65, 101_325, 20);

    private static ChillerPlant Plant(double band)
    {
        var plant = new ChillerPlant(TestPlants.Plant([TestPlants.Carrier19Xr, TestPlants.Carrier19Xr]))
        {
            StagingBlendBandRatio = band,
        };
        return plant;
    }

    private static (double ElectricW, double CoolingW, double RejectedW, int Running, double OneChillerW) At(double band, double plr)
    {
        var plant = Plant(band);
        plant.Prepare(300, 6, 12, 1e6, s_weather);
        double load = plr * plant.Chillers[0].AvailableCapacityW;
        plant.Run(load, s_weather);
        return (plant.ElectricW, plant.CoolingW, plant.HeatRejectedW, plant.RunningChillers, plant.Chillers[0].AvailableCapacityW);
    }

    [Fact]
    public void Crisp_StepsAtTheStageUpRatio()
    {
        var below = At(0, 0.899);
        var above = At(0, 0.901);
        Assert.Equal(1, below.Running);
        Assert.Equal(2, above.Running);
        // One chiller at 0.9 against two at 0.45 and a second tower cell and pump: a step of several kW.
        Assert.True(Math.Abs(above.ElectricW - below.ElectricW) > 2_000, $"step {above.ElectricW - below.ElectricW} W");
    }

    [Fact]
    public void Band_OutsideItIsTheCrispSolution_InsideItBlendsByTheSmoothstep()
    {
        // Outside the band (0.85–0.95) the blended plant gives the crisp plant's numbers exactly.
        foreach (double plr in new[] { 0.5, 0.84, 0.96, 1.3 })
        {
            Assert.Equal(At(0, plr).ElectricW, At(0.1, plr).ElectricW);
        }

        // Inside: at the PLR p the crisp one- and two-chiller solutions (from PLRs just inside the
        // crisp rule's two sides would differ in load); so compare with both solutions at p itself,
        // got from crisp plants whose stage-up ratio puts p on either side.
        double p = 0.875;                         // x = (0.875 − 0.85) / 0.1 = 0.25: weight 3x² − 2x³ = 0.15625
        var one = RunWithStageUp(p, 0.95);
        var two = RunWithStageUp(p, 0.80);
        var blended = At(0.1, p);
        double w = 0.15625;
        Assert.Equal(((1 - w) * one.ElectricW) + (w * two.ElectricW), blended.ElectricW, 6);
        Assert.Equal(((1 - w) * one.RejectedW) + (w * two.RejectedW), blended.RejectedW, 6);
        Assert.Equal(one.CoolingW, blended.CoolingW, 6);
    }

    [Fact]
    public void Band_TotalsAreContinuousInTheLoad()
    {
        // Across the band in steps of 1e-4 of PLR, the largest change between neighbours stays a small
        // fraction of the crisp step (the smoothstep's slope is at most 1.5 / band: 1.5e-3 of the step
        // per 1e-4 step, plus the two solutions' own slopes).
        double step = Math.Abs(At(0, 0.901).ElectricW - At(0, 0.899).ElectricW);
        double largest = 0;
        double last = At(0.1, 0.8).ElectricW;
        for (double plr = 0.8001; plr < 1.0; plr += 1e-4)
        {
            double e = At(0.1, plr).ElectricW;
            largest = Math.Max(largest, Math.Abs(e - last));
            last = e;
        }

        Assert.True(largest < 0.02 * step, $"largest jump {largest} W against the crisp step {step} W");
    }

    private static (double ElectricW, double CoolingW, double RejectedW) RunWithStageUp(double plr, double stageUp)
    {
        var spec = TestPlants.Plant([TestPlants.Carrier19Xr, TestPlants.Carrier19Xr]) with { StageUpPartLoadRatio = stageUp };
        var plant = new ChillerPlant(spec);
        plant.Prepare(300, 6, 12, 1e6, s_weather);
        plant.Run(plr * plant.Chillers[0].AvailableCapacityW, s_weather);
        return (plant.ElectricW, plant.CoolingW, plant.HeatRejectedW);
    }
}
