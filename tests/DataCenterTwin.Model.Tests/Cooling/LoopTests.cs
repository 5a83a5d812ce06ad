using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Tests.Cooling;

public class LoopTests
{
    // 600 kJ/K, a flow carrying 10 kW/K (τ = 60 s), inlet 25 °C; heat steps from 50 to 100 kW at t = 0.
    private static CoolantLoop StepLoop() =>
        new(new CoolantLoopSpec("lumped", new Coolant("c", 1000, 1000), 600, 10, 30));

    private static double Closed(double t) => 35 - (5 * Math.Exp(-t / 60));

    [Theory]
    [InlineData(60, 33.1606)]
    [InlineData(180, 34.7511)]
    public void ExactStep_FollowsTheClosedForm(double t, double expected)
    {
        var loop = StepLoop();
        foreach (double dt in new[] { t, t / 7, 1.0 })
        {
            loop = StepLoop();
            for (double s = 0; s < t - 1e-9; s += dt)
            {
                loop.Advance(dt, 100_000, 25, 10_000);
            }

            Assert.Equal(expected, loop.TemperatureC, 3);
            Assert.Equal(Closed(t), loop.TemperatureC, 9);
        }
    }

    [Fact]
    public void SteppedSolver_ConvergesAsTheStepShrinks()
    {
        double previous = double.PositiveInfinity;
        foreach (double dt in new[] { 4.0, 2.0, 1.0, 0.5 })
        {
            double x = 30;
            for (int i = 0; i < (int)(180 / dt); i++)
            {
                x = FirstOrder.ImplicitEuler(x, 35, 60, dt);
            }

            double error = Math.Abs(x - Closed(180));
            Assert.True(error <= previous / 2 + 1e-12, $"dt {dt}: {error} vs {previous}");
            previous = error;
        }

        double oneSecond = 30;
        for (int i = 0; i < 180; i++)
        {
            oneSecond = FirstOrder.ImplicitEuler(oneSecond, 35, 60, 1);
        }

        Assert.True(Math.Abs(oneSecond - Closed(180)) < 0.01);
    }

    [Fact]
    public void HeatOut_ClosesTheLedger()
    {
        var loop = StepLoop();
        double outJ = 0;
        for (int i = 0; i < 100; i++)
        {
            outJ += loop.Advance(3, 100_000, 25, 10_000) * 3;
        }

        Assert.Equal(100_000 * 300, outJ + loop.StoredHeatJ, 6);
    }

    [Fact]
    public void CappedRemoval_WarmsLinearly()
    {
        var loop = StepLoop();
        double removed = loop.AdvanceCapped(10, 100_000, 25, 10_000, 20_000);
        Assert.Equal(20_000, removed);
        Assert.Equal(30 + (80_000 * 10 / 600_000.0), loop.TemperatureC, 12);
    }

    [Fact]
    public void LiquidRack_120kW_Capture085_CoolantRise()
    {
        // One 120 kW direct-to-chip rack, capture 0.85, on one CDU sized at 1.5 L/min per kW of
        // liquid heat (the usual cold-plate design figure), run through the production rack split,
        // CDU exchanger, secondary loop and facility loop to steady state.
        // By hand: liquid 120 × 0.85 = 102 kW, air 18 kW. Flow 1.5 × 102 = 153 L/min = 2.55 L/s ×
        // 0.997 kg/L = 2.5424 kg/s; C = 2.5424 × 4,180 = 10,627 W/K; rise across the cold plates
        // 102,000 / 10,627 = 9.598 K. The exchanger (ε = 0.8 on the secondary side) passes
        // Q = ε·C·(T_return − T_facility), so with facility water held at 27.6 °C the return is
        // 27.6 + 9.598 / 0.8 = 39.597 °C and the CDU supply 39.597 − 9.598 = 30.0 °C: coolant enters
        // the cold plates at 30 °C and leaves at 39.6 °C.
        var water = Coolant.Water;
        double flow = water.MassFlowKgPerS(1.5 * 102);
        Assert.Equal(2.5424, flow, 4);
        var rack = RackThermalSpec.DirectToChip(120_000, 8, 0, 0.85);
        var cdu = new CduSpec("cdu", 0.8, new CoolantLoopSpec("secondary", water, 400, flow, 30), new PumpGroupSpec("cdu pumps", 2, flow / 2, 2_000));
        var spec = new CoolingSystemSpec([rack], new AirPathSpec(20), [new CrahSpec("crah", 100_000, 20, 5_000, 12, 35)], new AcceleratorThermalSpec(),
            [cdu], new CoolantLoopSpec("facility", water, 5_000, 6, 27.6), new PumpGroupSpec("facility", 1, 6, 3_000), 27.6,
            TestPlants.Plant([TestPlants.Carrier19Xr]));
        var system = new CoolingSystem(spec);
        var weather = new WeatherConditions(20, 10, 50, 101_325, 14);
        double[] power = [120_000];
        for (int step = 0; step < 6 * 360; step++)
        {
            system.Step(10, power, weather);
        }

        Assert.Equal(102_000, system.RackLiquidHeatW[0], 6);
        Assert.Equal(18_000, system.RackAirHeatW[0], 6);
        Assert.Equal(27.6, system.FacilitySupplyC, 3);
        Assert.Equal(39.597, system.RackCoolantOutletTempC[0], 2);
        Assert.Equal(30.0, system.RackCoolantOutletTempC[0] - (102_000 / (flow * water.SpecificHeatJPerKgK)), 2);
    }

    [Fact]
    public void PropyleneGlycol_HasLowerHeatCapacityAndHigherDensity()
    {
        var pg = Coolant.PropyleneGlycol(0.3);
        Assert.True(pg.SpecificHeatJPerKgK < Coolant.Water.SpecificHeatJPerKgK);
        Assert.True(pg.DensityKgPerM3 > Coolant.Water.DensityKgPerM3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Coolant.PropyleneGlycol(0.9));
    }

    [Fact]
    public void CounterFlowEffectiveness_KnownValues()
    {
        Assert.Equal(0.5, HeatExchanger.CounterFlowEffectiveness(1, 1), 12);
        Assert.Equal(1 - Math.Exp(-2), HeatExchanger.CounterFlowEffectiveness(2, 0), 12);
        Assert.Equal(0.8 * 1000 * 10, HeatExchanger.Duty(0.8, 1000, 2000, 40, 30), 9);
    }
}
