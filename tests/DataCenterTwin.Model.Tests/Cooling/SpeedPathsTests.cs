using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Parallel;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Tests.Cooling;

/// <summary>
/// The speed paths of a cooling step give the bits of the plain ones: racks that reuse the previous
/// identical rack's temperatures against every rack worked on its own, YorkCalc with its wet-bulb
/// and range terms worked once against the full polynomial, a tower that keeps its last solution
/// against a fresh one, and the tower's bisection (its far steps decided on a quadratic) against the
/// plain one on the full polynomial.
/// </summary>
public class SpeedPathsTests
{
    // Runs of identical racks (direct-to-chip on each CDU, air, rear door), with a lone rack that breaks a run.
    private static List<RackThermalSpec> Racks() =>
    [
        .. Enumerable.Range(0, 6).Select(_ => RackThermalSpec.DirectToChip(80_000, 64, 0, 0.8)),
        .. Enumerable.Range(0, 5).Select(_ => RackThermalSpec.Air(50_000, 32)),
        .. Enumerable.Range(0, 6).Select(_ => RackThermalSpec.DirectToChip(80_000, 64, 1, 0.8)),
        .. Enumerable.Range(0, 4).Select(_ => new RackThermalSpec(RackCoolingType.RearDoor, 0.7, -1, 40_000, 32)),
    ];

    // Each run of racks draws one power, swinging above design so that air racks throttle and shut
    // down; rack 8 (inside the air run) draws a little less half the time, breaking its run.
    private static void Load(double t, Span<double> power, List<RackThermalSpec> racks)
    {
        double swing = Math.Sin(t / 1800);
        for (int i = 0; i < power.Length; i++)
        {
            power[i] = racks[i].DesignPowerW * (0.85 + (0.4 * swing));
        }

        if (swing < 0)
        {
            power[8] *= 0.97;
        }

        // Rack 9 alone spikes to its shutdown, then draws its run's power again while still down.
        if (t % 7200 < 300)
        {
            power[9] *= 1.6;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RacksReusingTheirNeighboursResults_GiveTheBitsOfRacksWorkedAlone(bool throttleReducesPower)
    {
        var racks = Racks();
        var spec = TestPlants.Hall(racks, TestPlants.Plant([TestPlants.Carrier19Xr, TestPlants.Carrier19Xr.ScaledTo(1e6, "chiller b")]), throttleReducesPower);
        var reusing = new CoolingSystem(spec);
        var alone = new CoolingSystem(spec) { ReuseIdenticalRacks = false };
        var power = new double[racks.Count];
        for (double t = 0; t < 6 * 3600; t += 10)
        {
            Load(t, power, racks);
            var w = new WeatherConditions(25 + (5 * Math.Sin(t / 7200)), 15, 50, 101_325, 18.6);
            if (t == 3600)
            {
                reusing.TripCdu(1);
                alone.TripCdu(1);
            }
            else if (t == 5400)
            {
                reusing.RestoreCdu(1);
                alone.RestoreCdu(1);
            }

            reusing.Step(10, power, w);
            alone.Step(10, power, w);
            AssertSameBits(alone.RackInletTempC, reusing.RackInletTempC, t);
            AssertSameBits(alone.RackAcceleratorTempC, reusing.RackAcceleratorTempC, t);
            AssertSameBits(alone.RackCoolantOutletTempC, reusing.RackCoolantOutletTempC, t);
            AssertSameBits(alone.RackSpeedFactor, reusing.RackSpeedFactor, t);
            Assert.Equal(alone.ThrottledAcceleratorHours, reusing.ThrottledAcceleratorHours);
            Assert.Equal(alone.InletOutsideAllowableRackHours, reusing.InletOutsideAllowableRackHours);
            Assert.Equal(alone.CoolingElectricPowerW, reusing.CoolingElectricPowerW);
        }

        for (int i = 0; i < racks.Count; i++)
        {
            Assert.Equal(alone.RackThrottleFraction(i), reusing.RackThrottleFraction(i));
            Assert.Equal(alone.Protection.DownSeconds(i), reusing.Protection.DownSeconds(i));
        }

        // The day went through the paths the reuse must not change: throttling, shutdowns, restarts.
        Assert.True(reusing.ThrottledAcceleratorHours > 0);
        Assert.True(reusing.Protection.Shutdowns > 0 && reusing.Protection.Restarts > 0,
            $"{reusing.Protection.Shutdowns} shutdowns, {reusing.Protection.Restarts} restarts");
        Assert.Equal(alone.Protection.Shutdowns, reusing.Protection.Shutdowns);
        Assert.Equal(alone.Protection.Restarts, reusing.Protection.Restarts);
    }

    // Racks whose inputs repeat out of order: blocks of four racks alternate between the two CDUs,
    // then air and rear-door racks; each rack draws one of three powers in turn, the recirculation
    // weights repeat in a pattern of their own, and rack 8 (air) spikes to its shutdown while the
    // racks of its design draw their usual power. Reusing any earlier rack's results (one thread, or
    // slices of their own) gives the bits of every rack worked alone.
    [Theory]
    [InlineData(24, 1)]
    [InlineData(600, 2)]
    public void RacksReusingAnyEarlierRacksResults_GiveTheBitsOfRacksWorkedAlone(int count, int threads)
    {
        var racks = Enumerable.Range(0, count).Select(i => (i % 12) switch
        {
            < 4 => RackThermalSpec.DirectToChip(80_000, 64, 0, 0.8),
            < 8 => RackThermalSpec.DirectToChip(80_000, 64, 1, 0.8),
            < 10 => RackThermalSpec.Air(50_000, 32),
            _ => new RackThermalSpec(RackCoolingType.RearDoor, 0.7, -1, 40_000, 32),
        }).ToList();
        var spec = TestPlants.Hall(racks, TestPlants.Plant([TestPlants.Carrier19Xr, TestPlants.Carrier19Xr.ScaledTo(1e6, "chiller b")]));
        var weights = Enumerable.Range(0, count).Select(i => i % 5 == 0 ? 1.4 : i % 5 == 3 ? 0.8 : 1.0).ToArray();
        var alone = new CoolingSystem(spec) { ReuseIdenticalRacks = false };
        var reusing = new CoolingSystem(spec);
        if (threads > 1)
        {
            reusing.Workers = new StepWorkers(threads, TimeProvider.System) { AlwaysSlice = true };
        }

        alone.SetRecirculationWeights(weights);
        reusing.SetRecirculationWeights(weights);
        var power = new double[count];
        for (double t = 0; t < 6 * 3600; t += 10)
        {
            double swing = Math.Sin(t / 1800);
            for (int i = 0; i < count; i++)
            {
                power[i] = racks[i].DesignPowerW * (0.85 + (0.4 * swing)) * (1 + (0.05 * (i % 3)));
            }

            if (t % 7200 < 300)
            {
                power[8] *= 1.6;
            }

            var w = new WeatherConditions(25 + (5 * Math.Sin(t / 7200)), 15, 50, 101_325, 18.6);
            if (t == 3600)
            {
                reusing.TripCdu(1);
                alone.TripCdu(1);
            }
            else if (t == 5400)
            {
                reusing.RestoreCdu(1);
                alone.RestoreCdu(1);
            }

            reusing.Step(10, power, w);
            alone.Step(10, power, w);
            AssertSameBits(alone.RackInletTempC, reusing.RackInletTempC, t);
            AssertSameBits(alone.RackAcceleratorTempC, reusing.RackAcceleratorTempC, t);
            AssertSameBits(alone.RackCoolantOutletTempC, reusing.RackCoolantOutletTempC, t);
            AssertSameBits(alone.RackSpeedFactor, reusing.RackSpeedFactor, t);
            AssertSameBits(alone.RackAirflowM3PerS, reusing.RackAirflowM3PerS, t);
            AssertSameBits(
                [alone.ItHeatW, alone.HeatGeneratedW, alone.CoolingElectricPowerW, alone.RackInletMinC, alone.RackInletMaxC,
                    alone.RackInletMeanC, alone.RackAcceleratorMaxC, alone.ThrottledAcceleratorHours, alone.InletOutsideAllowableRackHours],
                [reusing.ItHeatW, reusing.HeatGeneratedW, reusing.CoolingElectricPowerW, reusing.RackInletMinC, reusing.RackInletMaxC,
                    reusing.RackInletMeanC, reusing.RackAcceleratorMaxC, reusing.ThrottledAcceleratorHours, reusing.InletOutsideAllowableRackHours],
                t);
            Assert.Equal(alone.ThrottledRacks, reusing.ThrottledRacks);
        }

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(alone.RackThrottleFraction(i), reusing.RackThrottleFraction(i));
            Assert.Equal(alone.Protection.DownSeconds(i), reusing.Protection.DownSeconds(i));
        }

        Assert.True(reusing.ThrottledAcceleratorHours > 0);
        Assert.True(reusing.Protection.Shutdowns > 0 && reusing.Protection.Restarts > 0,
            $"{reusing.Protection.Shutdowns} shutdowns, {reusing.Protection.Restarts} restarts");
        Assert.Equal(alone.Protection.Shutdowns, reusing.Protection.Shutdowns);
        Assert.Equal(alone.Protection.Restarts, reusing.Protection.Restarts);
        if (threads > 1)
        {
            Assert.True(reusing.Workers.SlicedRuns > 0);
        }
    }

    private static void AssertSameBits(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double t)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"rack {i} at {t} s: {expected[i]:R} against {actual[i]:R}");
        }
    }

    [Fact]
    public void YorkCalcAtAFixedWetBulbAndRange_GivesTheFullPolynomialsBits()
    {
        // Wet-bulbs inside and outside the data's limits (held to them), ranges and L/G across the data and past it.
        foreach (double wb in new[] { -40, -34.4, -5.3, 0, 12.7, 18.6, 25.6, 26.67, 31 })
        {
            foreach (double range in new[] { 0.3, 1.1, 2.5, 5.56, 9.87, 22.2, 30 })
            {
                var at = new YorkCalc.AtWetBulbAndRange(wb, range);
                for (double lg = 0.05; lg < 9; lg *= 1.173)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(YorkCalc.ApproachK(wb, range, lg)), BitConverter.DoubleToInt64Bits(at.At(lg)));
                }
            }
        }
    }

    [Fact]
    public void TowerBisection_GivesThePlainBisectionsBits()
    {
        var spec = new CoolingTowerSpec(DesignHeatRejectionW: 40 * 4180 * 5, DesignApproachK: 4, DesignFanPowerW: 10_000);
        var pumps = new PumpGroupSpec("condenser", 1, 40, 5_000);
        int bisected = 0;
        foreach (double wb in new[] { -10, 2.3, 11, 18.6, 20, 24.9, 26.67, 29 })
        {
            foreach (double setpointAboveWb in new[] { 2.5, 3.1, 4, 5.3, 7, 9.9 })
            {
                for (double heatW = 20_000; heatW < 1.2e6; heatW *= 1.37)
                {
                    var tower = new CoolingTower(spec, pumps);
                    double setpoint = wb + setpointAboveWb;
                    double fan = tower.Run(heatW, 1, wb, setpoint);
                    if (tower.AirFlowRatio <= spec.MinAirFlowRatio || tower.AirFlowRatio >= 1)
                    {
                        continue; // full speed, cycling or free convection: no bisection
                    }

                    // CoolingTower's bisection as it was, on the full polynomial at every step.
                    double range = heatW / (40 * Coolant.Water.SpecificHeatJPerKgK);
                    double lo = spec.MinAirFlowRatio, hi = 1;
                    for (int i = 0; i < 40; i++)
                    {
                        double mid = 0.5 * (lo + hi);
                        if (YorkCalc.ApproachK(wb, range, tower.WaterFlowRatio / mid) > setpoint - wb)
                        {
                            lo = mid;
                        }
                        else
                        {
                            hi = mid;
                        }
                    }

                    double air = 0.5 * (lo + hi);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(air), BitConverter.DoubleToInt64Bits(tower.AirFlowRatio));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(10_000 * air * air * air), BitConverter.DoubleToInt64Bits(fan));
                    bisected++;
                }
            }
        }

        Assert.True(bisected > 50, $"{bisected} bisections");
    }

    [Fact]
    public void TowerAskedTheSameAgain_GivesAFreshTowersBits()
    {
        var spec = new CoolingTowerSpec(DesignHeatRejectionW: 40 * 4180 * 5 * 2, DesignApproachK: 4, DesignFanPowerW: 20_000);
        var pumps = new PumpGroupSpec("condenser", 2, 40, 5_000);
        var kept = new CoolingTower(spec, pumps);

        // Repeats, a change of each input in turn, and back: every branch of the control sequence.
        (double HeatW, int Cells, double WetBulbC, double SetpointC)[] asks =
        [
            (418_000, 2, 20, 24), (418_000, 2, 20, 24), (300_000, 2, 20, 24), (418_000, 2, 20, 24),
            (418_000, 1, 20, 24), (418_000, 1, 20, 24), (418_000, 2, 18, 24), (418_000, 2, 18, 23),
            (418_000, 2, 20, 24), (1_000_000, 2, 20, 24), (20_000, 2, 20, 24), (20_000, 2, 20, 24),
            (0, 2, 20, 24), (418_000, 2, 20, 24), (418_000, 0, 20, 24), (418_000, 2, 20, 24),
        ];
        foreach (var (heatW, cells, wb, setpoint) in asks)
        {
            var fresh = new CoolingTower(spec, pumps);
            double expected = fresh.Run(heatW, cells, wb, setpoint);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(kept.FanPowerFor(heatW, cells, wb, setpoint)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(kept.Run(heatW, cells, wb, setpoint)));
            Assert.Equal(fresh.AirFlowRatio, kept.AirFlowRatio);
            Assert.Equal(fresh.LeavingWaterC, kept.LeavingWaterC);
            Assert.Equal(fresh.WaterUseM3PerS, kept.WaterUseM3PerS);
        }
    }
}
