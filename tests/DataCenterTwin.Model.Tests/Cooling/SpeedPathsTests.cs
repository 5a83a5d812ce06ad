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
            StepBothAndCompare(alone, reusing, power, t);
        }

        AssertSameRacks(alone, reusing, racks.Count);
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

            StepBothAndCompare(alone, reusing, power, t);
        }

        AssertSameRacks(alone, reusing, count);
        if (threads > 1)
        {
            Assert.True(reusing.Workers.SlicedRuns > 0);
        }
    }

    // Long runs of racks of one design (lengths not multiples of four, so the four-lane blocks end
    // inside runs and leave tails), some on a CDU split in two runs, with powers that repeat over
    // blocks and break them one rack in, negative, -0 and zero powers among them, recirculation
    // weights high enough at some racks to ramp their server fans, and a rack inside a run spiking
    // to its shutdown: the heat split in vector lanes and the runs filled four racks at a time (one
    // thread, or slices) give the bits of every rack worked alone by the scalar loop.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RacksInVectorLanes_GiveTheBitsOfTheScalarLoop(int threads)
    {
        int count = 1_031;
        var racks = Enumerable.Range(0, count).Select(i => (i / 37) switch
        {
            < 9 => RackThermalSpec.DirectToChip(80_000, 64, i / 37 % 2, 0.8),
            < 12 => RackThermalSpec.Air(50_000, 32),
            < 17 => new RackThermalSpec(RackCoolingType.RearDoor, 0.7, -1, 40_000, 32),
            _ => RackThermalSpec.DirectToChip(60_000, 32, 0, 0.75),
        }).ToList();
        var spec = TestPlants.Hall(racks, TestPlants.Plant([TestPlants.Carrier19Xr, TestPlants.Carrier19Xr.ScaledTo(1e6, "chiller b")]));
        var weights = Enumerable.Range(0, count).Select(i => i % 61 == 0 ? 9.0 : i % 53 == 0 ? 0.5 : 1.0).ToArray();
        var alone = new CoolingSystem(spec) { ReuseIdenticalRacks = false };
        var lanes = new CoolingSystem(spec);
        if (threads > 1)
        {
            lanes.Workers = new StepWorkers(threads, TimeProvider.System) { AlwaysSlice = true };
        }

        alone.SetRecirculationWeights(weights);
        lanes.SetRecirculationWeights(weights);
        var power = new double[count];
        int ramped = 0;
        for (double t = 0; t < 4 * 3600; t += 10)
        {
            double swing = Math.Sin(t / 1800);
            for (int i = 0; i < count; i++)
            {
                power[i] = racks[i].DesignPowerW * (0.85 + (0.4 * swing)) * (1 + (0.01 * (i / 13 % 4)));
            }

            power[5] = -1_000;
            power[6] = -0.0;
            power[7] = 0;
            power[40 + ((int)(t / 10) % 9)] *= 0.5;
            if (t % 7200 < 300)
            {
                power[350] *= 1.6;
            }

            StepBothAndCompare(alone, lanes, power, t);
            AssertSameBits(alone.RackAirHeatW, lanes.RackAirHeatW, t);
            AssertSameBits(alone.RackLiquidHeatW, lanes.RackLiquidHeatW, t);
            ramped += lanes.RackInletMaxC > spec.Air.ServerFanRampStartC ? 1 : 0;
        }

        AssertSameRacks(alone, lanes, count);
        Assert.True(ramped > 0, "no rack's server fans ramped");
        if (threads > 1)
        {
            Assert.True(lanes.Workers.SlicedRuns > 0);
        }
    }

    // Two rows of direct-to-chip racks, each on a CDU of its own, the rows alike (the first rack of
    // each row weighted as at an open row end): while the two CDUs' coolant reads the same bits the
    // second row takes the first row's results; CDU 1 trips at 1 h and comes back at 1.5 h, after
    // which the rows differ. Either way every rack has the bits of racks worked alone.
    [Theory]
    [InlineData(40, 1)]
    [InlineData(300, 2)]
    public void RowsOnCdusOfTheirOwn_GiveTheBitsOfRacksWorkedAlone(int perRow, int threads)
    {
        int count = 2 * perRow;
        var racks = Enumerable.Range(0, count).Select(i => RackThermalSpec.DirectToChip(80_000, 64, i / perRow, 0.8)).ToList();
        var spec = TestPlants.Hall(racks, TestPlants.Plant([TestPlants.Carrier19Xr, TestPlants.Carrier19Xr.ScaledTo(1e6, "chiller b")]));
        var weights = Enumerable.Range(0, count).Select(i => i % perRow == 0 ? 2.0 : 1.0).ToArray();
        var alone = new CoolingSystem(spec) { ReuseIdenticalRacks = false };
        var reusing = new CoolingSystem(spec);
        if (threads > 1)
        {
            reusing.Workers = new StepWorkers(threads, TimeProvider.System) { AlwaysSlice = true };
        }

        alone.SetRecirculationWeights(weights);
        reusing.SetRecirculationWeights(weights);
        var power = new double[count];
        int sameRows = 0, otherRows = 0;
        for (double t = 0; t < 3 * 3600; t += 10)
        {
            double load = 80_000 * (0.85 + (0.4 * Math.Sin(t / 1800)));
            Array.Fill(power, load);
            StepBothAndCompare(alone, reusing, power, t);
            bool same = BitConverter.DoubleToInt64Bits(reusing.Cdus[0].SupplyTempC) == BitConverter.DoubleToInt64Bits(reusing.Cdus[1].SupplyTempC);
            sameRows += same ? 1 : 0;
            otherRows += same ? 0 : 1;
        }

        // The run saw both: rows alike, and rows apart after the trip.
        Assert.True(sameRows > 100 && otherRows > 100, $"{sameRows} steps alike, {otherRows} apart");
    }

    // One step of both systems (CDU 1 trips at 1 h and comes back at 1.5 h), then every rack's and
    // the hall's results compared bit for bit.
    // One run of racks alike over two CDUs of different sizes (20 and 30 racks), then rear-door and
    // air racks alike: the hall totals of the run are jumped through and each CDU's part of it
    // starts from a zero slot with the same liquid heat but another rack count, so neither CDU may
    // take the other's sum. Every total and rack has the bits of racks added one by one.
    [Fact]
    public void ARunOverCdusOfDifferentSizes_GivesTheBitsOfRacksAddedOneByOne()
    {
        var racks = Enumerable.Range(0, 90).Select(i => i switch
        {
            < 20 => RackThermalSpec.DirectToChip(80_000, 64, 0, 0.8),
            < 50 => RackThermalSpec.DirectToChip(80_000, 64, 1, 0.8),
            < 70 => new RackThermalSpec(RackCoolingType.RearDoor, 0.7, -1, 40_000, 32),
            _ => RackThermalSpec.Air(50_000, 32),
        }).ToList();
        var spec = TestPlants.Hall(racks, TestPlants.Plant([TestPlants.Carrier19Xr, TestPlants.Carrier19Xr.ScaledTo(1e6, "chiller b")]));
        var alone = new CoolingSystem(spec) { ReuseIdenticalRacks = false };
        var reusing = new CoolingSystem(spec);
        var power = new double[racks.Count];
        for (double t = 0; t < 3 * 3600; t += 10)
        {
            for (int i = 0; i < power.Length; i++)
            {
                power[i] = racks[i].DesignPowerW * (0.85 + (0.3 * Math.Sin(t / 1800)));
            }

            StepBothAndCompare(alone, reusing, power, t);
            AssertSameBits([.. alone.Cdus.Select(c => c.HeatToFacilityW)], [.. reusing.Cdus.Select(c => c.HeatToFacilityW)], t);
        }

        AssertSameRacks(alone, reusing, racks.Count);
    }

    private static void StepBothAndCompare(CoolingSystem alone, CoolingSystem reusing, double[] power, double t)
    {
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

    // After the run: the same throttling and down time per rack, and the run went through throttling,
    // shutdowns and restarts (the paths the reuse must not change).
    private static void AssertSameRacks(CoolingSystem alone, CoolingSystem reusing, int count)
    {
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

    // CoolingTower's bisection as it was, on the full polynomial at every step.
    private static double PlainBisection(double wb, double rangeK, double waterFlowRatio, double minAir, double needK)
    {
        double lo = minAir, hi = 1;
        for (int i = 0; i < 40; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (YorkCalc.ApproachK(wb, rangeK, waterFlowRatio / mid) > needK)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }

    [Fact]
    public void TowerBisectionOverRandomTowersAndDuties_GivesThePlainBisectionsBits_AndMostlyDecidesItsFarStepsByComparison()
    {
        var random = new Random(20261202);
        int bisected = 0, windowed = 0;
        for (int k = 0; k < 4000; k++)
        {
            double approachK = 2 + (random.NextDouble() * 6);
            int cells = 1 + random.Next(4);
            double cellFlow = 20 + (random.NextDouble() * 80);
            double designRange = 2 + (random.NextDouble() * 8);
            var spec = new CoolingTowerSpec(cells * cellFlow * Coolant.Water.SpecificHeatJPerKgK * designRange, approachK, 10_000 * cells)
            {
                MinAirFlowRatio = random.Next(3) == 0 ? 0.1 + (random.NextDouble() * 0.3) : 0.2,
            };
            var pumps = new PumpGroupSpec("condenser", cells, cellFlow, 5_000);
            var tower = new CoolingTower(spec, pumps);
            double wb = -10 + (random.NextDouble() * 42);
            double setpoint = wb + 1 + (random.NextDouble() * 10);
            double heatW = spec.DesignHeatRejectionW * (0.02 + (random.NextDouble() * 1.3));
            int on = 1 + random.Next(cells);
            double fan = tower.Run(heatW, on, wb, setpoint);
            if (tower.AirFlowRatio <= spec.MinAirFlowRatio || tower.AirFlowRatio >= 1)
            {
                continue; // full speed, cycling or free convection: no bisection
            }

            double range = heatW / on / (cellFlow * Coolant.Water.SpecificHeatJPerKgK);
            double air = PlainBisection(wb, range, tower.WaterFlowRatio, spec.MinAirFlowRatio, setpoint - wb);
            Assert.True(BitConverter.DoubleToInt64Bits(air) == BitConverter.DoubleToInt64Bits(tower.AirFlowRatio),
                $"case {k}: {air:R} against {tower.AirFlowRatio:R}");
            Assert.Equal(BitConverter.DoubleToInt64Bits(on * (10_000.0 * cells / cells) * air * air * air), BitConverter.DoubleToInt64Bits(fan));
            bisected++;
            var (below, above) = new YorkCalc.AtWetBulbAndRange(wb, range).SidesOfRoot(tower.WaterFlowRatio, spec.MinAirFlowRatio, setpoint - wb);
            if (double.IsFinite(below))
            {
                windowed++;
                Assert.True(below < air && air < above, $"case {k}: {air:R} outside ({below:R}, {above:R})");
            }
        }

        Assert.True(bisected > 500, $"{bisected} bisections");
        Assert.True(windowed > 0.95 * bisected, $"{windowed} of {bisected} bisections had a proven window");
    }

    [Fact]
    public void RootWindow_SidesAreThoseOfTheFullPolynomial()
    {
        // Each side of a proven window, probed at air ratios from the window's edge out to the
        // search range's ends, gives the full polynomial's answer.
        var random = new Random(77);
        int proven = 0;
        for (int k = 0; k < 300; k++)
        {
            double wb = -20 + (random.NextDouble() * 50);
            double range = 0.5 + (random.NextDouble() * 25);
            double waterFlowRatio = 0.75 + (random.NextDouble() * 0.5);
            double min = 0.2;
            var at = new YorkCalc.AtWetBulbAndRange(wb, range);
            double needK = at.At(waterFlowRatio / (min + (random.NextDouble() * (1 - min))));
            var (below, above) = at.SidesOfRoot(waterFlowRatio, min, needK);
            if (!double.IsFinite(below))
            {
                continue;
            }

            proven++;
            for (double step = 1e-16; step < 1; step *= 3)
            {
                double under = below - step, over = above + step;
                if (under >= min)
                {
                    Assert.True(YorkCalc.ApproachK(wb, range, waterFlowRatio / under) > needK, $"case {k} at {under:R}");
                }

                if (over <= 1)
                {
                    Assert.False(YorkCalc.ApproachK(wb, range, waterFlowRatio / over) > needK, $"case {k} at {over:R}");
                }
            }

            Assert.True(YorkCalc.ApproachK(wb, range, waterFlowRatio / below) > needK);
            Assert.False(YorkCalc.ApproachK(wb, range, waterFlowRatio / above) > needK);
        }

        Assert.True(proven > 100, $"{proven} windows proven");
    }

    [Fact]
    public void Economiser_StoppingAtItsFixedPoint_GivesTheFourPassCapacitysBits()
    {
        var econ = new WatersideEconomizerSpec(1.5, 500_000);
        var plantSpec = TestPlants.Plant([TestPlants.Carrier19Xr, TestPlants.Carrier19Xr], econ);
        var plant = new ChillerPlant(plantSpec);
        double econRate = plantSpec.CondenserPumps.DesignFlowKgPerS * Coolant.Water.SpecificHeatJPerKgK;
        double ua = econ.UaWPerK(econRate);
        int atLoad = 0, atZero = 0, between = 0;
        for (double wb = -8; wb < 28; wb += 0.37)
        {
            foreach (double returnC in new[] { 9.0, 14.5, 18.0, 22.0 })
            {
                foreach (double flowRate in new[] { 0.0, 40_000, 150_000, 400_000 })
                {
                    var w = new WeatherConditions(wb + 4, wb - 1, 60, 101_325, wb);
                    double setpoint = 7;
                    plant.Prepare(60, setpoint, returnC, flowRate, w);
                    plant.Run(plant.AvailableCapacityW, w);

                    // The economiser's capacity as Prepare worked it before: always four passes.
                    double expected = 0;
                    if (flowRate > 0)
                    {
                        double cMin = Math.Min(flowRate, econRate);
                        double eff = econ.Effectiveness(ua, flowRate, econRate);
                        double wanted = flowRate * Math.Max(0, returnC - setpoint);
                        double q = wanted;
                        for (int i = 0; i < 4; i++)
                        {
                            double towerC = Math.Max(econ.MinTowerWaterC, plant.Tower.FullSpeedLeavingC(wb, Math.Max(q, 1) / econRate));
                            q = Math.Clamp(eff * cMin * (returnC - towerC), 0, Math.Max(wanted, 0));
                            expected = Math.Max(0, eff * cMin * (returnC - towerC));
                        }

                        if (q == wanted)
                        {
                            atLoad++;
                        }
                        else if (q == 0)
                        {
                            atZero++;
                        }
                        else
                        {
                            between++;
                        }
                    }

                    Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(plant.EconomizerCoolingW),
                        $"wb {wb}, return {returnC}, flow {flowRate}: {expected:R} against {plant.EconomizerCoolingW:R}");
                }
            }
        }

        // Every kind of fixed point was met: the whole load, none of it, and a share.
        Assert.True(atLoad > 0 && atZero > 0 && between > 0, $"{atLoad} at the load, {atZero} at zero, {between} between");
    }

    [Fact]
    public void ElectricChillerKeepingItsCapacity_GivesAFreshChillersBits()
    {
        var spec = TestPlants.Carrier19Xr;
        var kept = new ElectricChiller(spec);
        var random = new Random(5);
        double chw = 6.7, cond = 20;
        for (int k = 0; k < 2000; k++)
        {
            // Temperatures that repeat, move a little, and jump past the curves' data; a trip now and then.
            switch (random.Next(4))
            {
                case 0:
                    break;
                case 1:
                    chw += (random.NextDouble() - 0.5) * 0.01;
                    break;
                case 2:
                    cond = 5 + (random.NextDouble() * 30);
                    break;
                default:
                    chw = 4 + (random.NextDouble() * 8);
                    break;
            }

            bool trip = random.Next(50) == 0;
            if (trip)
            {
                kept.Trip();
            }

            double load = random.NextDouble() * 2.2e6 * (random.Next(5) == 0 ? 0 : 1);
            var fresh = new ElectricChiller(spec);
            if (trip)
            {
                fresh.Trip();
            }

            fresh.Prepare(60, chw, cond, true);
            fresh.Run(load);
            kept.Prepare(60, chw, cond, true);
            kept.Run(load);
            Assert.Equal(BitConverter.DoubleToInt64Bits(fresh.AvailableCapacityW), BitConverter.DoubleToInt64Bits(kept.AvailableCapacityW));
            Assert.Equal(BitConverter.DoubleToInt64Bits(fresh.ElectricW), BitConverter.DoubleToInt64Bits(kept.ElectricW));
            Assert.Equal(BitConverter.DoubleToInt64Bits(fresh.PartLoadRatio), BitConverter.DoubleToInt64Bits(kept.PartLoadRatio));
            Assert.Equal(BitConverter.DoubleToInt64Bits(fresh.CoolingW), BitConverter.DoubleToInt64Bits(kept.CoolingW));
            Assert.Equal(BitConverter.DoubleToInt64Bits(spec.ElectricPowerW(kept.CoolingW, chw, cond)), BitConverter.DoubleToInt64Bits(kept.ElectricW));
            if (trip)
            {
                kept.Restore();
            }
        }
    }
}
