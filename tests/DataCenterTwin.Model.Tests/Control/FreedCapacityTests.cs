using DataCenterTwin.Model.Control;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Tests.Control;

public class FreedCapacityTests
{
    private const double Kw = 1e3;

    [Fact]
    public void HandWorkedCapacityUnlock_MatchesTheIssuesFigures()
    {
        // Carrier 19XR at its AHRI full-load point: COP 5.8409; gas engine chiller fuel COP 1.5153;
        // PJM 2022 mean carbon 362.62 g/kWh.
        var r = FreedCapacity.Compute(10_000 * Kw, 10_000 * Kw, 5.8409, 0.08, 1.5153, 0.36262 / 3.6e6, TariffSpec.NaturalGasKgPerJ);

        Assert.Equal(1712.04, r.FreedW / Kw, 0.05); // COP 5.8409 is rounded: 0.003%
        Assert.Equal(12_512.04, r.SiteDrawW / Kw, 0.05);
        Assert.Equal(0.13683, r.FreedShareOfSite, 5);
        Assert.Equal(1585.22, r.ExtraItW / Kw, 0.05);
        Assert.Equal(6599.4, r.FuelW / Kw, 0.1);
        Assert.Equal(1194.8, r.GasCo2KgPerS * 3600, 1194.8 * 0.005);
        Assert.Equal(620.8, r.ElectricCo2KgPerS * 3600, 620.8 * 0.005);
    }
}
