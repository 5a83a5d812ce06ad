using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Tests.Cooling;

namespace DataCenterTwin.Model.Tests.Control;

/// <summary>
/// The capacity-unlock figures, through the chiller models the twin runs (the helper that
/// once worked them apart from the twin is gone): 10,000 kW of IT, 10,000 kW of cooling, other loads
/// 8 % of IT, PJM 2022 mean carbon 362.62 g/kWh.
/// </summary>
public class FreedCapacityTests
{
    private const double Kw = 1e3;
    private const double CoolingW = 10_000 * Kw;

    [Fact]
    public void HandWorkedCapacityUnlock_ComesOutOfTheChillerModels()
    {
        // Electric: the Carrier 19XR (EnergyPlus curves) at part-load ratio 1, 6.67 °C leaving
        // chilled water and 24.44 °C condenser water (the edge of the curves' data, so the curve
        // itself and no extrapolation on lift). By hand: EIRFT(6.67, 24.44) = 0.1743365
        // − 0.05054806·6.67 − 0.005424748·6.67² + 0.08244673·24.44 − 0.002400392·24.44²
        // + 0.00507872·6.67·24.44 = 1.00498; EIRFPLR(1) = 0.278458 − 0.5498632 + 1.269693 = 0.99829;
        // COP = 5.86 / (1.00498 × 0.99829) = 5.8409, and 10,000 kW of cooling draws
        // 10,000 / 5.8409 = 1,712.04 kW. (The unit may run to PLR 1.02; at that PLR the COP is 5.7267.)
        var carrier = TestPlants.Carrier19Xr;
        double fullLoadW = carrier.AvailableCapacityW(6.67, 24.44);
        var electric = new ElectricChiller(carrier);
        electric.Prepare(60, 6.67, 24.44, true);
        electric.Run(fullLoadW);
        Assert.Equal(1.0, electric.PartLoadRatio, 12);
        Assert.Equal(5.8409, electric.CoolingW / electric.ElectricW, 5.8409 * 5e-5); // hand figures rounded to 5 digits
        double chillerW = CoolingW * electric.ElectricW / electric.CoolingW;
        Assert.Equal(1712.04, chillerW / Kw, 0.05);

        // The hybrid on gas carries the same compressor on its engine: what the twin books as freed
        // is the motor's all-electric equivalent, the same 1,712.04 kW per 10,000 kW of cooling.
        var hybrid = new HybridChiller(TestPlants.Hybrid(startDelayS: 0, rampPerS: 1)) { Mode = HybridMode.Gas };
        for (int step = 0; step < 5; step++)
        {
            hybrid.Prepare(60, 6.67, 24.44, true);
            hybrid.Run(fullLoadW);
        }

        Assert.Equal(1.0, hybrid.GasShare);
        double freedW = CoolingW * hybrid.AllElectricEquivalentW / hybrid.CoolingW;
        Assert.Equal(1712.04, freedW / Kw, 0.05);

        // The site: 10,000 + 1,712.04 + 800 = 12,512.04 kW; freed share 1,712.04 / 12,512.04 =
        // 13.683 %; the freed power carries 1,712.04 / 1.08 = 1,585.22 kW more IT (its own 8 % paid).
        double siteW = (10_000 * Kw) + freedW + (0.08 * 10_000 * Kw);
        Assert.Equal(12_512.04, siteW / Kw, 0.05);
        Assert.Equal(0.13683, freedW / siteW, 5);
        Assert.Equal(1585.22, freedW / 1.08 / Kw, 0.05);

        // Gas: the EnergyPlus engine chiller at full load, fuel COP 1.5153: 10,000 / 1.5153 =
        // 6,599.4 kW of fuel, × 53.06 kg/MMBtu = 1,194.8 kg of CO2 an hour; the electric chillers'
        // 1,712.04 kW × 362.62 g/kWh = 620.8 kg an hour.
        var engine = new EngineDrivenChiller(TestPlants.BigChiller);
        engine.Prepare(60, 6.67, 24.44, true);
        engine.Run(engine.AvailableCapacityW);
        Assert.Equal(1.0, engine.PartLoadRatio, 12);
        double fuelW = CoolingW * engine.FuelW / engine.CoolingW;
        Assert.Equal(6599.4, fuelW / Kw, 0.1);
        Assert.Equal(1194.8, fuelW * TariffSpec.NaturalGasKgPerJ * 3600, 1194.8 * 0.005);
        Assert.Equal(620.8, chillerW / Kw * 0.36262, 620.8 * 0.005);
    }
}
