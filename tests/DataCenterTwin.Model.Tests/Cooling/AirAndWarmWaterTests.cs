using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Tests.Cooling;

/// <summary>Known answers, worked by hand, for the air path that balances and the warm-water loop with its dry cooler.</summary>
public class AirAndWarmWaterTests
{
    private const double RhoCp = 1.2 * 1006; // J/(m³·K)

    private static readonly WeatherConditions s_mild = new(20, 10, 50, 101_325, 14);

    // One air-cooled rack, one CRAH of 5 m³/s and 4 kW of fan at design (lowest speed 20 %), its coil
    // far larger than the rack so it never runs short unless tripped; the hall air as given.
    private static CoolingSystem AirHall(double airPathCapacityW = 100_000, double roomJPerK = 1e6, double crahCoilW = 400_000)
    {
        var water = Coolant.Water;
        var air = new AirPathSpec(20, AirPathCapacityPerRackW: airPathCapacityW) { RoomAirHeatCapacityJPerK = roomJPerK };
        var spec = new CoolingSystemSpec([RackThermalSpec.Air(100_000, 32)], air,
            [new CrahSpec("crah", crahCoilW, 5, 4_000, 12, 35, MinAirflowFraction: 0.2)], new AcceleratorThermalSpec(), [],
            new CoolantLoopSpec("facility", water, 5_000, 6, 12), new PumpGroupSpec("facility", 1, 6, 3_000), 12,
            TestPlants.Plant([TestPlants.Carrier19Xr]));
        return new CoolingSystem(spec);
    }

    [Fact]
    public void ServerFans_AboveTheirRamp_DoubleTheirPowerEveryFourKelvin()
    {
        // Speed = 2^((T − 23)/(3·4)): fan power (the cube) doubles every 4 K above 23 °C.
        var air = new AirPathSpec(22);
        Assert.Equal(1, air.ServerFanSpeedRatio(20), 12);
        Assert.Equal(1, air.ServerFanSpeedRatio(23), 12);
        Assert.Equal(1.259921, air.ServerFanSpeedRatio(27), 6);
        Assert.Equal(2, Math.Pow(air.ServerFanSpeedRatio(27), 3), 9);
        // Full speed at 29 °C: 2^(6/12) = 1.414214, and no faster on a hotter inlet.
        Assert.Equal(1.414214, air.ServerFanSpeedRatio(29), 6);
        Assert.Equal(1.414214, air.ServerFanSpeedRatio(40), 6);
    }

    [Fact]
    public void RackAirflow_FollowsTheHeat_CrahAirflowIsItNetOfRecirculation_FanByTheCube()
    {
        // 30 kW of air heat at 0.0001 m³/s per W: 3.0 m³/s through the rack. The CRAH supplies it net
        // of 10 % recirculation, 2.7 m³/s: 54 % of its 5 m³/s, so its fan draws 4,000 × 0.54³ = 629.856 W.
        // Inlet: 20 °C + 0.1 × 30,000 / (1,207.2 × 3.0) = 20.8284 °C. At 15 kW everything halves but
        // the inlet: 1.5 m³/s, 1.35 m³/s from the CRAH (27 %), 4,000 × 0.27³ = 78.732 W, same inlet.
        var sys = AirHall();
        sys.Step(10, [30_000], s_mild);
        Assert.Equal(3.0, sys.RackAirflowM3PerS[0], 9);
        Assert.Equal(2.7, sys.CrahAirflowM3PerS, 9);
        Assert.Equal(0.1, sys.RecirculationFraction, 9);
        Assert.Equal(629.856, sys.CrahFanPowerW, 6);
        Assert.Equal(20 + (0.1 * 30_000 / (RhoCp * 3.0)), sys.RackInletTempC[0], 9);
        Assert.Equal(20.8284, sys.RackInletTempC[0], 4);
        Assert.Equal(0, sys.ServerFanExtraPowerW, 12);

        sys.Step(10, [15_000], s_mild);
        Assert.Equal(1.5, sys.RackAirflowM3PerS[0], 9);
        Assert.Equal(1.35, sys.CrahAirflowM3PerS, 9);
        Assert.Equal(78.732, sys.CrahFanPowerW, 6);
        Assert.Equal(20.8284, sys.RackInletTempC[0], 4);
    }

    [Fact]
    public void CrahsShortOfAir_TheRacksDrawTheRestFromTheHotAisle()
    {
        // 60 kW: 6.0 m³/s through the rack, 5.4 m³/s asked of a CRAH that moves 5: recirculation
        // 1 − 5/6 = 1/6, fan at full speed (4 kW), inlet 20 + (1/6) × 60,000 / (1,207.2 × 6) = 21.3806 °C.
        var sys = AirHall();
        sys.Step(10, [60_000], s_mild);
        Assert.Equal(5.0, sys.CrahAirflowM3PerS, 9);
        Assert.Equal(1.0 / 6, sys.RecirculationFraction, 9);
        Assert.Equal(4_000, sys.CrahFanPowerW, 9);
        Assert.Equal(21.3806, sys.RackInletTempC[0], 4);
    }

    [Fact]
    public void HotInlet_SpeedsTheServerFans_WhichDrawMoreAirAndPower()
    {
        // Rack air capacity 25 kW: 30 kW puts 1 K/kW × 5 kW on the inlet, 25.83 °C, above the 23 °C
        // ramp. Next step the fans turn 2^((25.8284 − 23)/12) = 1.17748 times faster: 3.5324 m³/s, and
        // draw 10 % × 30 kW × (1.17748³ − 1) = 1,897.5 W more.
        var sys = AirHall(airPathCapacityW: 25_000);
        sys.Step(10, [30_000], s_mild);
        double inlet = sys.RackInletTempC[0];
        Assert.Equal(25.8284, inlet, 4);
        sys.Step(10, [30_000], s_mild);
        double ratio = Math.Pow(2, (inlet - 23) / 12);
        Assert.Equal(1.17748, ratio, 5);
        Assert.Equal(3.0 * ratio, sys.RackAirflowM3PerS[0], 9);
        Assert.Equal(0.1 * 30_000 * ((ratio * ratio * ratio) - 1), sys.ServerFanExtraPowerW, 6);
        Assert.Equal(1_897.5, sys.ServerFanExtraPowerW, 1);
        Assert.Equal(sys.ItHeatW + sys.CrahFanPowerW + sys.ServerFanExtraPowerW + sys.PumpPowerW, sys.HeatGeneratedW, 6);
    }

    [Fact]
    public void CoilsDown_TheHallAirWarmsAtItsHeatCapacity_AndGivesTheHeatBackWhenTheyReturn()
    {
        // CRAH tripped: no coil, no fan. 30 kW for 10 s into 1 MJ/K of hall air: +0.3 K, so supply
        // air 20.3 °C. The racks now breathe their own exhaust (inlet 28.58 °C, above the fans' ramp),
        // so the next 10 s add 30 kW plus the server fans' extra power. Restored, the coil (400 kW
        // rated) takes the step's heat and all the heat held in the air at once, and the supply air is
        // back at its set point.
        var sys = AirHall();
        sys.TripCrah(0);
        sys.Step(10, [30_000], s_mild);
        Assert.Equal(0, sys.CrahFanPowerW);
        Assert.Equal(300_000, sys.RoomAirStoredHeatJ, 6);
        Assert.Equal(20.3, sys.SupplyAirC, 9);
        Assert.Equal(1.0, sys.RecirculationFraction, 9);
        Assert.Equal(28.5836, sys.RackInletTempC[0], 4);
        sys.Step(10, [30_000], s_mild);
        Assert.True(sys.ServerFanExtraPowerW > 0);
        Assert.Equal(20.3 + ((30_000 + sys.ServerFanExtraPowerW) * 10 / 1e6), sys.SupplyAirC, 9);
        double held = sys.RoomAirStoredHeatJ;

        sys.RestoreCrah(0);
        sys.Step(10, [30_000], s_mild);
        Assert.Equal(0, sys.RoomAirStoredHeatJ);
        Assert.Equal(20, sys.SupplyAirC, 12);
        Assert.Equal(30_000 + sys.CrahFanPowerW + sys.ServerFanExtraPowerW + (held / 10), sys.CrahLoadW[0], 6);
        Assert.True(sys.EnergyBalanceRelativeResidual < 1e-12, $"residual {sys.EnergyBalanceRelativeResidual}");
    }

    [Fact]
    public void DryCooler_RatedAtItsApproach_GivesItsConductance_AndFanPowerAtPartDuty()
    {
        // Rated 1 MW at a 10 K approach with 100 kW/K of water (a 10 K range): water in at dry-bulb +
        // 20 K, so the conductance is 1 MW / 20 K = 50 kW/K. With water at 40 °C and 25 °C outside, full
        // speed rejects 50 × 15 = 750 kW. Half of that needs air flow 0.5^(1/0.8) = 0.42045, and the fans
        // 10.5 kW × 0.42045³ = 780.42 W.
        var spec = new DryCoolerSpec(1e6, 10, DryCoolerSpec.EnergyPlusFanPowerPerW * 1e6);
        Assert.Equal(10_500, spec.DesignFanPowerW, 9);
        var dc = new DryCooler(spec, 100_000);
        Assert.Equal(50_000, dc.DesignConductanceWPerK, 9);
        Assert.Equal(750_000, dc.MaxDutyW(40, 25, 100_000), 6);
        double fan = dc.Run(375_000, 40, 25, 100_000);
        Assert.Equal(0.42045, dc.AirFlowRatio, 5);
        Assert.Equal(780.417, fan, 3);
        Assert.Equal(10_500, dc.Run(750_000, 40, 25, 100_000), 6);
        Assert.Equal(0, dc.MaxDutyW(24, 25, 100_000));
    }

    private static CoolingSystem WarmHall(WarmWaterTrim trim = WarmWaterTrim.Chillers)
    {
        // Eight 100 kW direct-to-chip racks (80 % to the cold plates: 640 kW) on one CDU; the warm loop
        // supplies 32 °C and holds 10 K; its dry cooler is rated for the 640 kW at the 10 K approach.
        var racks = Enumerable.Range(0, 8).Select(_ => RackThermalSpec.DirectToChip(100_000, 32, 0, 0.8)).ToList();
        var hall = TestPlants.Hall(racks, TestPlants.Plant([TestPlants.Carrier19Xr.ScaledTo(1e6, "chiller")]));
        var water = Coolant.Water;
        double liquidW = 640_000;
        double flow = liquidW / (water.SpecificHeatJPerKgK * 10);
        var warm = new WarmWaterLoopSpec(new CoolantLoopSpec("warm", water, 8_000, flow, 39.5), new PumpGroupSpec("warm", 2, flow / 2, 4_000),
            32, 10, new DryCoolerSpec(liquidW, 10, DryCoolerSpec.EnergyPlusFanPowerPerW * liquidW), trim);
        return new CoolingSystem(hall with { Cdus = [hall.Cdus[0]], WarmLoop = warm });
    }

    private static void RunHours(CoolingSystem sys, double hours, double powerW, WeatherConditions w)
    {
        var power = Enumerable.Repeat(powerW, sys.RackCount).ToArray();
        double stored = sys.StoredHeatJ;
        for (int i = 0; i < hours * 360; i++)
        {
            sys.Step(10, power, w);
            double storedNow = sys.StoredHeatJ;
            double residual = (sys.HeatGeneratedW * 10) - (sys.HeatRemovedW * 10) - (storedNow - stored);
            Assert.True(Math.Abs(residual) <= 1e-9 * sys.HeatGeneratedW * 10, $"step {i}: residual {residual} J");
            stored = storedNow;
        }
    }

    [Fact]
    public void WarmLoop_OnACoolDay_RunsChillerless_AtItsSetPoint()
    {
        // 10 °C outside: the dry cooler alone holds the 32 °C supply; the loop returns about 32 + 10 = 42 °C
        // (the pumps hold 10 K), the CDUs see 32 °C, and the chillers carry only the hall air and the
        // electrical side (no trim).
        var sys = WarmHall();
        var cool = new WeatherConditions(10, 0, 50, 101_325, 5);
        RunHours(sys, 4, 80_000, cool);
        var warm = sys.WarmLoop!;
        Assert.True(warm.Chillerless);
        Assert.Equal(0, warm.TrimW);
        Assert.Equal(32, warm.SupplyTempC, 3);
        // (The pumps' own work, about 1 % of the heat, widens the 10 K a little: 42.08 °C.)
        Assert.InRange(warm.ReturnTempC, 42, 42.15);
        Assert.True(sys.ChillerlessSeconds >= 3 * 3600, $"{sys.ChillerlessSeconds} s chiller-less");
        // The dry cooler carries the cold plates' heat and the pumps' work.
        double liquid = 8 * 80_000 * 0.8;
        Assert.InRange(warm.DryCooler.HeatRejectedW, liquid, liquid + sys.PumpPowerW);
        Assert.InRange(warm.DryCooler.AirFlowRatio, 0.01, 0.99);
    }

    [Fact]
    public void WarmLoop_OnAHotDay_TheChillersTrim_OrWithoutThemTheSupplyDrifts()
    {
        // 38 °C outside, above the 32 °C supply: the dry cooler can only take the loop from its ~42 °C
        // return toward 38 °C, so the trim exchanger (chilled water) carries the rest; with no trim
        // the loop is chiller-less and its supply climbs above the set point.
        var hot = new WeatherConditions(38, 15, 20, 101_325, 21);
        var trimmed = WarmHall();
        RunHours(trimmed, 4, 80_000, hot);
        Assert.False(trimmed.WarmLoop!.Chillerless);
        Assert.True(trimmed.WarmLoop.TrimW > 100_000, $"trim {trimmed.WarmLoop.TrimW} W");
        Assert.Equal(32, trimmed.WarmLoop.SupplyTempC, 1);

        var alone = WarmHall(WarmWaterTrim.None);
        RunHours(alone, 4, 80_000, hot);
        Assert.Equal(0, alone.WarmLoop!.TrimW);
        Assert.True(alone.WarmLoop.SupplyTempC > 38, $"supply {alone.WarmLoop.SupplyTempC} °C");
        Assert.True(alone.Plant.CoolingW < trimmed.Plant.CoolingW - 100_000, "without trim the chillers carry less");
    }
}
