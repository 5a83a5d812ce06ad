using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Tests.Cooling;

public class CoolingSystemTests
{
    private static readonly WeatherSeries s_weather = new(
        [.. Enumerable.Range(0, 24).Select(h => 24 + (6 * Math.Sin((h - 9) * Math.PI / 12)))],
        [.. Enumerable.Range(0, 24).Select(_ => 17.0)],
        [.. Enumerable.Range(0, 24).Select(_ => 60.0)],
        [.. Enumerable.Range(0, 24).Select(_ => 101_000.0)]);

    private static List<RackThermalSpec> MixedRacks() =>
        [.. Enumerable.Range(0, 24).Select(i => i % 3 == 0
            ? RackThermalSpec.Air(30_000, 32)
            : i % 3 == 1 ? RackThermalSpec.DirectToChip(80_000, 64, i % 2, 0.8)
            : new RackThermalSpec(RackCoolingType.RearDoor, 0.7, -1, 40_000, 32))];

    private static CoolingSystem Hall(bool economizer = false) => new(TestPlants.Hall(MixedRacks(),
        TestPlants.Plant([TestPlants.Hybrid(), TestPlants.Carrier19Xr.ScaledTo(1e6, "chiller b"), TestPlants.BigChiller with { NominalCapacityWValue = 5e5 }],
            economizer ? new WatersideEconomizerSpec(1.5, 1e6) : null, new GridResponsivePolicy(200_000))));

    private static void Load(double t, Span<double> power, IReadOnlyList<RackThermalSpec> racks)
    {
        for (int i = 0; i < power.Length; i++)
        {
            power[i] = racks[i].DesignPowerW * (0.6 + (0.35 * Math.Sin((t / 3600) + i)));
        }
    }

    private static CoolingSystem RunDay(double dtS, bool economizer, Action<CoolingSystem, double>? atStep = null)
    {
        var sys = Hall(economizer);
        var power = new double[sys.RackCount];
        double stored = 0;
        for (double t = 0; t < 86_400; t += dtS)
        {
            Load(t, power, sys.Spec.Racks);
            atStep?.Invoke(sys, t);
            var w = s_weather.At(t);
            sys.Step(dtS, power, w);
            double storedNow = sys.StoredHeatJ;
            double generated = (sys.ItHeatW + sys.CrahFanPowerW + sys.ServerFanExtraPowerW + sys.PumpPowerW) * dtS;
            double residual = generated - (sys.HeatRemovedW * dtS) - (storedNow - stored);
            Assert.True(Math.Abs(residual) <= 1e-9 * Math.Max(generated, 1), $"step at {t}: residual {residual} J");
            stored = storedNow;
            Assert.True(sys.MaxChillerBalanceResidualW <= 1e-6, "every chiller balances");
        }

        return sys;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EnergyBalance_ClosesEveryStepAndOverADay(bool economizer)
    {
        var sys = RunDay(30, economizer);
        Assert.True(sys.EnergyBalanceRelativeResidual < 1e-12, $"{sys.EnergyBalanceRelativeResidual}");
        Assert.True(sys.EnergyBalanceRelativeResidual < 1e-3);
        Assert.InRange((sys.HeatRemovedJ + sys.StoredHeatJ) / sys.HeatGeneratedJ, 1 - 1e-12, 1 + 1e-12);
        Assert.InRange(sys.HeatRemovedJ / sys.HeatGeneratedJ, 0.99, 1.03); // the loops start warmer than they run

        // Fan and pump work becomes heat in the building and is cooled with the IT heat.
        Assert.True(sys.HeatGeneratedJ > sys.ItHeatJ * 1.01);
    }

    [Fact]
    public void HallInletAndDieExtremes_AreThoseOfTheRacksEveryStep()
    {
        // The step works them in its pass over the racks; here they are worked from the per-rack
        // outputs with LINQ, on a mixed hall whose air racks throttle now and then.
        int steps = 0;
        RunDay(60, economizer: false, (sys, _) =>
        {
            if (sys.ElapsedS == 0)
            {
                return;
            }

            var inlet = sys.RackInletTempC.ToArray();
            var die = sys.RackAcceleratorTempC.ToArray();
            var speed = sys.RackSpeedFactor.ToArray();
            Assert.Equal(inlet.Min(), sys.RackInletMinC);
            Assert.Equal(inlet.Max(), sys.RackInletMaxC);
            Assert.Equal(inlet.Sum() / inlet.Length, sys.RackInletMeanC, 12);
            Assert.Equal(die.Max(), sys.RackAcceleratorMaxC);
            Assert.Equal(speed.Count(f => f < 1), sys.ThrottledRacks);
            steps++;
        });
        Assert.Equal(1439, steps);
    }

    [Fact]
    public void HalvingTheStep_ChangesTheDaysCoolingEnergyByUnderATenthPercent()
    {
        var coarse = RunDay(60, economizer: true);
        var fine = RunDay(30, economizer: true);
        double relative = Math.Abs(coarse.CoolingElectricJ - fine.CoolingElectricJ) / fine.CoolingElectricJ;
        Assert.True(relative < 1e-3, $"{relative}");
        Assert.True(Math.Abs(coarse.HeatRemovedJ - fine.HeatRemovedJ) / fine.HeatRemovedJ < 1e-3);
    }

    [Fact]
    public void Step_DoesNotAllocate()
    {
        var sys = Hall(true);
        sys.SetHybridMode(HybridMode.GridResponsive);
        var power = new double[sys.RackCount];
        Load(0, power, sys.Spec.Racks);
        var w = s_weather.At(0.0);
        var it = new RecordingItLoad(sys.RackCount);
        for (int i = 0; i < 100; i++)
        {
            sys.SetGridSignal(100_000);
            sys.Step(10, power, w);
            sys.PushTo(it);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sys.SetGridSignal(i % 2 == 0 ? 100_000 : 900_000);
            sys.Step(10, power, w);
            sys.PushTo(it);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class RecordingItLoad(int racks) : DataCenterTwin.Model.Compute.IItLoad
    {
        public double[] Speed { get; } = new double[racks];

        public double[] TemperatureC { get; } = new double[racks];

        public int RackCount => Speed.Length;

        public double MeanUtilisation => 0;

        public DataCenterTwin.Model.Compute.ItBusy Busy => default;

        public int RackAccelerators(int rack) => 0;

        public void RackUtilisation(Span<double> utilisation) => utilisation.Clear();

        public void AdvanceTo(DataCenterTwin.Kernel.SimTime now)
        {
        }

        public double RackEnergyJ(int rack) => 0;

        public void SetRackSpeedFactor(int rack, double speedFactor) => Speed[rack] = speedFactor;

        public void SetRackTemperatureC(int rack, double temperatureC) => TemperatureC[rack] = temperatureC;
    }

    [Fact]
    public void PushTo_HandsSpeedAndTemperatureToTheItModel()
    {
        var sys = OneRack(RackThermalSpec.Air(50_000, 32), 50_000, throttleReducesPower: false);
        var it = new RecordingItLoad(2);
        sys.PushTo(it);
        Assert.Equal(sys.RackSpeedFactor[0], it.Speed[0]);
        Assert.True(it.Speed[0] < 1);
        Assert.Equal(sys.RackAcceleratorTempC[1], it.TemperatureC[1]);
    }

    [Fact]
    public void PerChillerState_IsReadable()
    {
        var sys = OneRack(RackThermalSpec.Air(30_000, 32), 30_000);
        var c = sys.Plant.Chillers[0];
        Assert.Equal(10, c.LeavingChilledWaterC);
        Assert.Equal(sys.Plant.Tower.LeavingWaterC, c.EnteringCondenserC);
        Assert.True(c.CoolingW > 0 && c.Cop > 3 && c.PartLoadRatio > 0);
        Assert.Equal(sys.HeatRemovedW, c.CoolingW, 6);
    }

    [Fact]
    public void CduPumpTrip_HalvesTheFlow()
    {
        var sys = Hall();
        var power = new double[sys.RackCount];
        Load(0, power, sys.Spec.Racks);
        sys.Step(10, power, s_weather.At(0.0));
        double flow = sys.Cdus[1].FlowKgPerS;
        sys.TripCduPump(1);
        sys.Step(10, power, s_weather.At(0.0));
        Assert.Equal(flow / 2, sys.Cdus[1].FlowKgPerS, 9);
        sys.RestoreCduPump(1);
        sys.Step(10, power, s_weather.At(0.0));
        Assert.Equal(flow, sys.Cdus[1].FlowKgPerS, 9);
    }

    private static CoolingSystem OneRack(RackThermalSpec rack, double powerW, double seconds = 600, bool throttleReducesPower = true)
    {
        var racks = new List<RackThermalSpec> { rack, RackThermalSpec.DirectToChip(50_000, 32, 1, 0.8) };
        var sys = new CoolingSystem(TestPlants.Hall(racks, TestPlants.Plant([TestPlants.Carrier19Xr]), throttleReducesPower));
        var w = new WeatherConditions(25, 15, 50, 101_325, 18.6);
        for (double t = 0; t < seconds; t += 10)
        {
            sys.Step(10, [powerW, 30_000], w);
        }

        return sys;
    }

    [Fact]
    public void AirRack_InletRisesAboveItsAirPathCapacity()
    {
        var at30 = OneRack(RackThermalSpec.Air(50_000, 32), 30_000).RackInletTempC[0];
        var at35 = OneRack(RackThermalSpec.Air(50_000, 32), 35_000).RackInletTempC[0];
        var at45 = OneRack(RackThermalSpec.Air(50_000, 32), 45_000).RackInletTempC[0];
        Assert.InRange(at35 - at30, 0, 1); // recirculation only
        Assert.True(at45 - at35 > 9, $"{at35} → {at45}");
    }

    [Fact]
    public void FiftyKilowattAirRack_LeavesTheEnvelopeAndThrottles_LiquidRackDoesNot()
    {
        var air = OneRack(RackThermalSpec.Air(50_000, 32), 50_000);
        Assert.Equal(EnvelopeZone.Outside, AshraeEnvelope.A1.Classify(air.RackInletTempC[0]));
        Assert.True(air.RackSpeedFactor[0] < 1);
        Assert.True(air.ThrottledAcceleratorHours > 0);
        Assert.True(air.RackThrottleFraction(0) > 0);
        Assert.True(air.InletOutsideAllowableRackHours > 0);
        Assert.True(air.ItHeatW < 80_000, "throttling lowers the rack's power");

        var liquid = OneRack(RackThermalSpec.DirectToChip(50_000, 32, 0, 0.8), 50_000);
        Assert.NotEqual(EnvelopeZone.Outside, AshraeEnvelope.A1.Classify(liquid.RackInletTempC[0]));
        Assert.Equal(1, liquid.RackSpeedFactor[0]);
        Assert.Equal(0, liquid.ThrottledAcceleratorHours);
        Assert.Equal(0, liquid.RackThrottleFraction(0));
    }

    [Fact]
    public void ThrottleReducesItPower_False_LeavesHeatToTheCaller()
    {
        var sys = OneRack(RackThermalSpec.Air(50_000, 32), 50_000, throttleReducesPower: false);
        Assert.True(sys.RackSpeedFactor[0] < 1);
        Assert.Equal(80_000, sys.ItHeatW, 6);
    }

    [Fact]
    public void GasMode_FreedCapacityEqualsTheChillerElectricRemoved()
    {
        var sys = new CoolingSystem(TestPlants.Hall(MixedRacks(), TestPlants.Plant([TestPlants.Hybrid(startDelayS: 60, rampPerS: 0.05)])));
        var power = new double[sys.RackCount];
        Load(0, power, sys.Spec.Racks);
        var w = s_weather.At(0.0);
        for (int i = 0; i < 100; i++)
        {
            sys.Step(10, power, w);
        }

        var hybrid = (HybridChiller)sys.Plant.Chillers[0];
        double electricBefore = sys.CoolingElectricPowerW;
        Assert.Equal(0, sys.FreedCapacityW, 6);
        sys.SetHybridMode(HybridMode.Gas);
        for (int i = 0; i < 60; i++)
        {
            sys.Step(10, power, w);
        }

        Assert.Equal(1, hybrid.GasShare);
        // Freed = the chiller electricity gas took over, less the tower-fan work the engine's
        // jacket heat adds (the all-electric plant's towers see no engine heat).
        var tower = sys.Plant.Tower;
        double extraFansW = tower.FanPowerW - tower.FanPowerFor(tower.HeatRejectedW - hybrid.EngineOutput.CoolantHeatW
            - (hybrid.CompressorWorkW - hybrid.AllElectricEquivalentW), tower.CellsOn, w.WetBulbC, tower.SetpointC);
        Assert.True(extraFansW > 0);
        Assert.Equal(hybrid.AllElectricEquivalentW - hybrid.ElectricW - extraFansW, sys.FreedCapacityW, 6);
        Assert.True(sys.FuelPowerW > 0);
        Assert.InRange(sys.CoolingElectricPowerW, electricBefore - hybrid.AllElectricEquivalentW - 50_000, electricBefore - 0.8 * hybrid.AllElectricEquivalentW);
        Assert.True(sys.PeakFreedCapacityW >= sys.FreedCapacityW && sys.FreedJ > 0);
    }

    [Fact]
    public void ChillerTrip_TheOthersPickUp_OrSupplyDrifts()
    {
        var plant = TestPlants.Plant([TestPlants.Carrier19Xr.ScaledTo(0.45e6, "a"), TestPlants.Carrier19Xr.ScaledTo(0.45e6, "b"), TestPlants.Carrier19Xr.ScaledTo(0.45e6, "c")]);
        var sys = new CoolingSystem(TestPlants.Hall(MixedRacks(), plant));
        var power = new double[sys.RackCount];
        Load(0, power, sys.Spec.Racks);
        var w = s_weather.At(0.0);
        for (int i = 0; i < 360; i++)
        {
            sys.Step(10, power, w);
        }

        double supply = sys.FacilitySupplyC;
        Assert.Equal(10, supply, 2);
        sys.TripChiller(0);
        sys.TripChiller(1);
        for (int i = 0; i < 60; i++)
        {
            sys.Step(10, power, w);
        }

        Assert.Equal(0, sys.Plant.Chillers[0].CoolingW);
        Assert.True(sys.Plant.Chillers[2].CoolingW > 0);
        Assert.True(sys.FacilitySupplyC > supply + 0.5, "one 0.45 MW chiller cannot carry the hall: supply drifts up");

        sys.RestoreChiller(0);
        sys.RestoreChiller(1);
        for (int i = 0; i < 360; i++)
        {
            sys.Step(10, power, w);
        }

        Assert.Equal(10, sys.FacilitySupplyC, 2);
    }

    [Fact]
    public void GridOutage_ElectricChillersStop_GasKeepsRunning()
    {
        var sys = Hall();
        var power = new double[sys.RackCount];
        Load(0, power, sys.Spec.Racks);
        var w = s_weather.At(0.0);
        sys.ElectricChillersAvailable = false;
        sys.Step(10, power, w);
        Assert.Equal(0, sys.Plant.Chillers[1].CoolingW);
        Assert.Equal(0, sys.Plant.Chillers[0].CoolingW); // the hybrid's engine is starting
        Assert.True(sys.Plant.Chillers[2].CoolingW > 0, "the engine chiller runs");
        for (int i = 0; i < 60; i++)
        {
            sys.Step(10, power, w);
        }

        Assert.Equal(0, sys.Plant.Chillers[1].CoolingW);
        Assert.True(sys.Plant.Chillers[0].CoolingW > 0, "the hybrid runs on its engine");
        Assert.True(sys.FuelPowerW > 0);
    }

    [Fact]
    public void CduTrip_SecondaryLoopWarms_RacksThrottle()
    {
        var sys = Hall();
        var power = new double[sys.RackCount];
        Load(0, power, sys.Spec.Racks);
        var w = s_weather.At(0.0);
        for (int i = 0; i < 60; i++)
        {
            sys.Step(10, power, w);
        }

        double before = sys.Cdus[0].ReturnTempC;
        sys.TripCdu(0);
        for (int i = 0; i < 60; i++)
        {
            sys.Step(10, power, w);
        }

        Assert.True(sys.Cdus[0].ReturnTempC > before + 5);
        Assert.Equal(0, sys.Cdus[0].HeatToFacilityW, 6);
        Assert.True(sys.EnergyBalanceRelativeResidual < 1e-12);
    }
}
