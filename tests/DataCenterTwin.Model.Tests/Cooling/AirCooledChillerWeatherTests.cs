using DataCenterTwin.Model.Cooling;

namespace DataCenterTwin.Model.Tests.Cooling;

/// <summary>
/// The air-cooled Carrier 30XA follows the outdoor dry-bulb: on its curve inside the data, on lift
/// below it, flat only under the published minimum lift.
/// </summary>
public class AirCooledChillerWeatherTests
{
    // ElectricEIRChiller Carrier 30XA400 1348kW/3COP (EnergyPlus datasets/AirCooledChiller.idf,
    // assets/chillers/chiller_reference_curves.json): EIRFT data 4.44–10 °C leaving chilled water,
    // 29.44–46.11 °C entering condenser air; EIRFPLR = PLR (c1 0, c2 1, c3 0) from 0.15.
    private static readonly ElectricChillerSpec Carrier30Xa = new(
        "ElectricEIRChiller Carrier 30XA400 1348kW/3COP", 1_348_000, 3.0, 6.67, 35, 0.1, 1.15,
        new BiquadraticCurve(0.0322203622, 0.0708503482, -0.0002846855, 0.0458012364, -0.0006440302, -0.001261153, 4.44, 10.0, 29.44, 46.11),
        new BiquadraticCurve(-0.0499492489, 0.0398844283, 0.0003767003, 0.0289000732, 7.61174e-05, -0.0013970133, 4.44, 10.0, 29.44, 46.11),
        new QuadraticCurve(0.0, 1.0, 0.0, 0.15, 1.0),
        CondenserType.AirCooled);

    // The aircooled-retrofit hall's chilled water leaves at 10 °C.
    private const double LeavingChilledWaterC = 10;

    [Fact]
    public void Cop_FollowsOutdoorDryBulb_KnownAnswersAtTwoTemperatures()
    {
        // 32 °C outdoor, inside the data. EIRFT(10, 32) by hand:
        //   −0.0499492489 + 0.0398844283·10 + 0.0003767003·100 + 0.0289000732·32
        //   + 0.0000761174·1024 − 0.0013970133·320
        //   = −0.0499492 + 0.3988443 + 0.0376700 + 0.9248023 + 0.0779442 − 0.4470443 = 0.9422674
        //   → COP 3.0/0.9422674 = 3.18381.
        Assert.False(Carrier30Xa.IsOutsideData(LeavingChilledWaterC, 32));
        Assert.Equal(0.9422674, Carrier30Xa.EirFtAt(LeavingChilledWaterC, 32), 6);

        // 24 °C outdoor, below the data: a constant fraction of Carnot fitted at the edge (10, 29.44).
        //   Edge EIRFT: −0.0499492 + 0.3988443 + 0.0376700 + 0.8508182 + 0.0659720 − 0.4112807
        //   = 0.8920745 → COP 3.36295. Refrigerant temperatures (5 K air approach, 2 K water):
        //   evaporating 10 − 2 = 8 °C = 281.15 K; edge lift 29.44 + 5 − 8 = 26.44 K → Carnot 10.63351,
        //   fraction 3.36295/10.63351 = 0.316259. Here lift 24 + 5 − 8 = 21 K (over the 18.1 K floor)
        //   → Carnot 13.38810 → COP 0.316259 × 13.38810 = 4.23411, EIRFT 3.0/4.23411 = 0.708531.
        Assert.True(Carrier30Xa.IsOutsideData(LeavingChilledWaterC, 24));
        Assert.Equal(0.708531, Carrier30Xa.EirFtAt(LeavingChilledWaterC, 24), 5);

        // EIRFPLR is the part-load ratio itself, so power is load × EIRFT / rated COP at any PLR
        // from 0.15: 500 kW of cooling draws 500/3.18381 = 157.04 kW at 32 °C and 500/4.23411 =
        // 118.09 kW at 24 °C.
        Assert.Equal(157_045, Carrier30Xa.ElectricPowerW(500_000, LeavingChilledWaterC, 32), 0);
        Assert.Equal(118_089, Carrier30Xa.ElectricPowerW(500_000, LeavingChilledWaterC, 24), 0);
    }

    [Fact]
    public void Cop_IsFlatOnlyUnderThePublishedMinimumLift()
    {
        // Default floor: the lower of the data's lowest lift (26.44 K) and EnergyPlus's 11.1 K fluid
        // lift plus the approaches, 11.1 + 5 + 2 = 18.1 K. Carnot 281.15/18.1 = 15.53315 → COP
        // 0.316259 × 15.53315 = 4.91251, EIRFT 0.610686. The lift reaches the floor at 21.1 °C
        // outdoor (21.1 + 5 − 8 = 18.1); every colder hour runs at that COP.
        Assert.Equal(18.1, Carrier30Xa.EffectiveMinLiftK, 9);
        Assert.Equal(0.610686, Carrier30Xa.EirFtAt(LeavingChilledWaterC, 21.1), 5);
        Assert.Equal(Carrier30Xa.EirFtAt(LeavingChilledWaterC, 21.1), Carrier30Xa.EirFtAt(LeavingChilledWaterC, -5), 12);

        // Between the floor and the data the COP rises steadily as the air cools.
        double previous = double.PositiveInfinity;
        for (double outdoorC = 29.4; outdoorC > 21.1; outdoorC -= 1)
        {
            double eir = Carrier30Xa.EirFtAt(LeavingChilledWaterC, outdoorC);
            Assert.True(eir < previous, $"EIRFT {eir} at {outdoorC} °C not below {previous}");
            previous = eir;
        }

        // The curve's data edge held (the old floor) would have given COP 3.363 at every one of them.
        Assert.True(Carrier30Xa.EirFtAt(LeavingChilledWaterC, 25) < 0.8920745 - 0.1);
    }
}
