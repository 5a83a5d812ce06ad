using DataCenterTwin.Model.Cooling;

namespace DataCenterTwin.Model.Tests.Cooling;

public class HybridChillerTests
{
    private const double ChwC = 6.67;
    private const double CondC = 24;

    private static void Step(HybridChiller h, double dtS, double loadW, bool electric = true)
    {
        h.Prepare(dtS, ChwC, CondC, electric);
        h.Run(loadW);
    }

    [Fact]
    public void GasMode_DrawsOnlyParasitics_FuelFollowsTheShaftWork()
    {
        var spec = TestPlants.Hybrid(startDelayS: 60, rampPerS: 0.05);
        var h = new HybridChiller(spec) { Mode = HybridMode.Gas };
        for (int i = 0; i < 20; i++)
        {
            Step(h, 10, 1e6);
        }

        Assert.Equal(EngineState.Running, h.Engine);
        Assert.Equal(1, h.GasShare);
        Assert.Equal(0.01 * 1e6, h.ElectricW, 6);
        double allElectric = spec.Compressor.ElectricPowerW(1e6, ChwC, CondC);
        Assert.Equal(allElectric, h.AllElectricEquivalentW, 6);
        Assert.Equal(allElectric - (0.01 * 1e6), h.AllElectricEquivalentW - h.ElectricW, 6);
        // The engine carries the shaft work the compressor's own curves ask at this lift.
        double shaftW = allElectric * HybridChillerSpec.NemaPremiumMotorEfficiency;
        Assert.Equal(spec.Engine.Deliver(shaftW).FuelW, h.FuelW, 6);
        Assert.Equal(shaftW, h.CompressorWorkW, 6);

        // Jacket and lube heat go to the condenser water with the cooling and the shaft work; the
        // books close: rejected + recovered = cooling + electric + fuel.
        Assert.Equal(1e6 + shaftW + h.EngineOutput.CoolantHeatW, h.CondenserHeatW, 6);
        Assert.Equal(0, h.EnergyBalanceResidualW, 6);
    }

    [Fact]
    public void GasCop_FallsAsTheLiftRises()
    {
        // Same machine, same load: colder condenser water needs less shaft work, so less fuel
        // (the old fixed gas COP curve gave the same fuel at every lift).
        var spec = TestPlants.Hybrid(startDelayS: 0, rampPerS: 1);
        var cold = new HybridChiller(spec) { Mode = HybridMode.Gas };
        var warm = new HybridChiller(spec) { Mode = HybridMode.Gas };
        for (int i = 0; i < 3; i++)
        {
            cold.Prepare(10, ChwC, 15, true);
            cold.Run(1e6);
            warm.Prepare(10, ChwC, 24, true);
            warm.Run(1e6);
        }

        Assert.True(cold.FuelW < 0.9 * warm.FuelW, $"{cold.FuelW} vs {warm.FuelW}");
        Assert.True(cold.GasCopAt(1e6) > warm.GasCopAt(1e6));
    }

    [Fact]
    public void EngineStartDelay_IsRespected()
    {
        var h = new HybridChiller(TestPlants.Hybrid(startDelayS: 120, rampPerS: 1)) { Mode = HybridMode.Gas };
        double t = 0;
        while (t < 110)
        {
            Step(h, 10, 1e6);
            t += 10;

            // Starting: the engine burns its no-load fuel but drives nothing yet.
            Assert.Equal(h.Engine == EngineState.Starting ? ((HybridChillerSpec)h.Spec).Engine.NoLoadFuelHhvW : 0, h.FuelW, 6);
            Assert.Equal(EngineState.Starting, h.Engine);
            Assert.Equal(0, h.EngineOutput.ShaftW);
        }

        Step(h, 10, 1e6); // t = 120: the engine has started
        Step(h, 10, 1e6);
        Assert.Equal(EngineState.Running, h.Engine);
        Assert.True(h.FuelW > ((HybridChillerSpec)h.Spec).Engine.NoLoadFuelHhvW);
    }

    [Fact]
    public void Ramp_LimitsHowFastGasTakesOver()
    {
        var h = new HybridChiller(TestPlants.Hybrid(startDelayS: 0, rampPerS: 0.01)) { Mode = HybridMode.Gas };
        Step(h, 10, 1e6); // starts, running part 10 s → share 0.1
        Assert.InRange(h.GasShare, 0.09, 0.11);
        Step(h, 10, 1e6);
        Assert.InRange(h.GasShare, 0.19, 0.21);
    }

    [Fact]
    public void MinimumRunTime_KeepsTheEngineRunning()
    {
        var h = new HybridChiller(TestPlants.Hybrid(startDelayS: 0, rampPerS: 1, minRunS: 600)) { Mode = HybridMode.Gas };
        Step(h, 10, 1e6);
        Step(h, 10, 1e6);
        h.Mode = HybridMode.Electric;
        for (int i = 0; i < 55; i++)
        {
            Step(h, 10, 1e6);
            Assert.Equal(EngineState.Running, h.Engine);
            Assert.True(h.GasShare >= 0.2 - 1e-12, "the running engine keeps its minimum load");
        }

        for (int i = 0; i < 3; i++)
        {
            Step(h, 10, 1e6);
        }

        Assert.Equal(EngineState.Off, h.Engine);
        Assert.Equal(0, h.FuelW);
    }

    [Fact]
    public void FailedEngine_BurnsItsCrankingFuel_MotorKeepsTheLoad_StartsLockOut()
    {
        var spec = TestPlants.Hybrid(startDelayS: 30, rampPerS: 1, maxStarts: 2);
        var h = new HybridChiller(spec) { Mode = HybridMode.Gas, EngineFailed = true };
        double p = spec.Compressor.ElectricPowerW(1e6, ChwC, CondC);
        for (int i = 0; i < 30; i++)
        {
            Step(h, 10, 1e6);
            Assert.NotEqual(EngineState.Running, h.Engine);
            Assert.Equal(1e6, h.CoolingW, 6);
            Assert.True(h.ElectricW >= p - 1e-6, "the motor carries the compressor");
        }

        // Two attempts in the hour, each failed after 30 s of cranking at no-load fuel; then locked out.
        Assert.Equal(2, h.EngineStarts);
        Assert.Equal(2, h.FailedStarts);
        Assert.Equal(0, h.FuelW);
        Assert.Equal(0, h.EnergyBalanceResidualW, 6);
    }

    [Fact]
    public void StartsPerHour_AreLimited()
    {
        var h = new HybridChiller(TestPlants.Hybrid(startDelayS: 0, rampPerS: 1, minRunS: 0, maxStarts: 2));
        for (int i = 0; i < 10; i++)
        {
            h.Mode = HybridMode.Gas;
            Step(h, 10, 1e6);
            Step(h, 10, 1e6);
            h.Mode = HybridMode.Electric;
            Step(h, 10, 1e6);
        }

        Assert.Equal(2, h.EngineStarts);
    }

    [Fact]
    public void Split_SharesTheLoad()
    {
        var spec = TestPlants.Hybrid(startDelayS: 0, rampPerS: 1);
        var h = new HybridChiller(spec) { Mode = HybridMode.Split, SplitGasShare = 0.6 };
        Step(h, 10, 1e6);
        Step(h, 10, 1e6);
        Assert.Equal(0.6, h.GasShare, 12);
        double p = spec.Compressor.ElectricPowerW(1e6, ChwC, CondC);
        Assert.Equal((0.4 * p) + (0.01 * 0.6e6), h.ElectricW, 6);
        Assert.Equal(spec.Engine.Deliver(0.6 * p * spec.MotorEfficiency).FuelW, h.FuelW, 6);

        // A share under the engine's minimum load is raised to it: the engine never runs below it.
        h.SplitGasShare = 0.05;
        Step(h, 10, 1e6);
        Step(h, 10, 1e6);
        double minShaftW = spec.Engine.MinLoadFraction * spec.Engine.RatedShaftPowerW;
        Assert.Equal(minShaftW, h.EngineOutput.ShaftW, 6);
        Assert.Equal(spec.Engine.FuelHhvW(minShaftW), h.FuelW, 6);
    }

    [Fact]
    public void GridOutage_OnlyTheEngineDrives()
    {
        var h = new HybridChiller(TestPlants.Hybrid(startDelayS: 30, rampPerS: 0.1));
        Step(h, 10, 1e6, electric: false);
        Assert.Equal(0, h.AvailableCapacityW);
        for (int i = 0; i < 20; i++)
        {
            Step(h, 10, 1e6, electric: false);
        }

        Assert.Equal(1e6, h.CoolingW, 6);
        Assert.Equal(0.01 * 1e6, h.ElectricW, 6);
    }

    [Fact]
    public void GridResponsivePolicy_MovesLoadToGasWhenHeadroomIsShort()
    {
        var policy = new GridResponsivePolicy(ReserveW: 500_000, HysteresisW: 100_000);
        Assert.Equal(0.5, policy.GasShare(new HybridPolicyInput(300_000, 0.0, 400_000, true)), 12);
        Assert.Equal(0.5, policy.GasShare(new HybridPolicyInput(550_000, 0.5, 400_000, true)), 12);
        Assert.Equal(0.25, policy.GasShare(new HybridPolicyInput(700_000, 0.5, 400_000, true)), 12);
        Assert.Equal(1, policy.GasShare(new HybridPolicyInput(1e9, 0, 400_000, false)));
    }
}
