using DataCenterTwin.Model.Cooling;

namespace DataCenterTwin.Model.Tests.Cooling;

public class GasEngineTests
{
    // 200 kW shaft, 35 % LHV at full load, mechanical efficiency 0.90, minimum load 20 %, natural gas.
    private static readonly GasEngineSpec Engine = GasEngineSpec.NaturalGas(200_000, 0.2);

    [Fact]
    public void FuelAtHalfLoad_KnownAnswer()
    {
        // By hand: indicated efficiency 0.35 / 0.90 = 0.388889; friction 200·(1/0.9 − 1) = 22.2222 kW.
        // At 100 kW shaft: fuel (LHV) = 122.2222 / 0.388889 = 314.2857 kW; HHV/LHV = 1089/983 =
        // 1.107833, so fuel (HHV) = 348.176 kW: 31.82 % LHV, 28.72 % HHV at half load against 35 %
        // (LHV) at full load.
        Assert.Equal(348_176, Engine.FuelHhvW(100_000), 0);
        Assert.Equal(0.31818, Engine.EfficiencyLhv(100_000), 5);
        Assert.Equal(0.28721, Engine.EfficiencyHhv(100_000), 5);
        Assert.Equal(0.35, Engine.EfficiencyLhv(200_000), 9);

        // Heat split of the 248.176 kW not turned into work: coolant 21.5/73.5 → 72.596 kW;
        // exhaust 39.5/73.5 → 133.374 kW; block 12.5/73.5 → 42.207 kW.
        var o = Engine.Deliver(100_000);
        Assert.Equal(72_596, o.CoolantHeatW, 0);
        Assert.Equal(133_374, o.ExhaustHeatW, 0);
        Assert.Equal(42_207, o.RadiatedHeatW, 0);
        Assert.Equal(o.FuelW, o.ShaftW + o.CoolantHeatW + o.ExhaustHeatW + o.RadiatedHeatW, 6);
    }

    [Fact]
    public void NoLoadAndMinimumLoad_KnownAnswers()
    {
        // Idle (a start): 22.2222 / 0.388889 = 57.1429 kW LHV → 63.305 kW HHV.
        Assert.Equal(63_305, Engine.NoLoadFuelHhvW, 0);

        // 20 kW asked, under the 40 kW minimum: the engine runs at 40 kW half the time:
        // fuel(40 kW) = 62.2222 / 0.388889 = 160.0 kW LHV; half → 80.0 kW LHV → 88.627 kW HHV.
        Assert.Equal(88_627, Engine.Deliver(20_000).FuelW, 0);
        Assert.Equal(0, Engine.Deliver(0).FuelW);
    }
}
