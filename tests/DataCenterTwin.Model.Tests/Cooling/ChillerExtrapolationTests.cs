using DataCenterTwin.Model.Cooling;

namespace DataCenterTwin.Model.Tests.Cooling;

public class ChillerExtrapolationTests
{
    // ElectricEIRChiller York YS 1758kW/5.84COP/Valve (EnergyPlus datasets/Chillers.idf): data to
    // 8.89 °C leaving chilled water, 12.78–35 °C entering condenser water.
    private static readonly ElectricChillerSpec YorkYs = new(
        "ElectricEIRChiller York YS 1758kW/5.84COP/Valve", 1_758_300, 5.84, 6.67, 29.44, 0.2, 1.04,
        new BiquadraticCurve(0.8130185, -0.01425368, -0.001618007, 0.02638417, -0.0009154379, 0.001696015, 4.44, 8.89, 12.78, 35.0),
        new BiquadraticCurve(0.6381264, 0.006304193, 0.0009233511, -0.004552881, 0.0008256904, -0.001561533, 4.44, 8.89, 12.78, 35.0),
        new QuadraticCurve(0.3149879, 0.3171267, 0.3709077, 0.2, 1.04));

    [Fact]
    public void WarmChilledWater_BeyondTheData_KnownAnswer()
    {
        // 14 °C leaving chilled water (the metro hall), 24 °C condenser water. By hand:
        // edge point (8.89, 24): EIRFT = 0.6381264 + 0.006304193·8.89 + 0.0009233511·8.89²
        //   − 0.004552881·24 + 0.0008256904·24² − 0.001561533·8.89·24 = 0.800305 → COP 5.84/0.800305 = 7.297.
        // Carnot on refrigerant temperatures (2 K approaches): edge evaporating 6.89 °C = 280.04 K,
        //   lift (24+2) − (8.89−2) = 19.11 K → 14.654; here evaporating 12 °C = 285.15 K, lift
        //   (24+2) − (14−2) = 14 K → 20.368. Fraction of Carnot at the edge 7.297/14.654 = 0.4980.
        // COP here 0.4980 × 20.368 = 10.142 (full load, where EIRFPLR(1) = 1.0030).
        const double chw = 14, cond = 24;
        Assert.True(YorkYs.IsOutsideData(chw, cond));
        Assert.Equal(5.84 / 10.1425, YorkYs.EirFtAt(chw, cond), 4);

        // The clamped curve alone would have given the edge COP, 7.297, whatever the water temperature.
        Assert.Equal(5.84 / 7.2972, YorkYs.EirFromTemps.Value(chw, cond), 4);

        // Inside the data nothing changes.
        Assert.False(YorkYs.IsOutsideData(6.67, 29.44));
        Assert.Equal(YorkYs.EirFromTemps.Value(6.67, 29.44), YorkYs.EirFtAt(6.67, 29.44), 12);
    }

    [Fact]
    public void NegativeLift_IsFlooredAtTheMinimumLift()
    {
        // 14 °C chilled water against 12.78 °C condenser water (negative water lift): the lift is
        // floored at the data's lowest, (12.78+2) − (8.89−2) = 7.89 K; Carnot 285.15/7.89 = 36.141.
        // COP = fraction at the edge (8.89, 12.78) × 36.141. Edge EIRFT by hand: 0.6381264 +
        // 0.0560443 + 0.0729744 − 0.0581858 + 0.1348587 − 0.1774123 = 0.666406 → COP 8.7634;
        // Carnot at the edge 280.04/7.89 = 35.493 → fraction 0.24690 → COP 8.9233.
        Assert.Equal(7.89, YorkYs.EffectiveMinLiftK, 9);
        Assert.Equal(5.84 / 8.9233, YorkYs.EirFtAt(14, 12.78), 4);
        Assert.Equal(YorkYs.EirFtAt(14, 12.78), YorkYs.EirFtAt(14, 5), 12);

        // A stated minimum lift from the maker's data replaces the data's.
        var limited = YorkYs with { MinLiftK = 12 };
        Assert.True(limited.EirFtAt(14, 12.78) > YorkYs.EirFtAt(14, 12.78));
    }
}
