using DataCenterTwin.Model.Economics;

namespace DataCenterTwin.Model.Tests.Economics;

/// <summary>Life-cycle cost against a stream worked by hand with NIST Handbook 135's factors.</summary>
public class LifeCycleCostTests
{
    // NIST Handbook 135 discount-factor tables at a 3 % real rate: UPV(10 y) = 8.530, SPV(10 y) = 0.7441.
    [Fact]
    public void Factors_MatchHandbookTables()
    {
        Assert.Equal(8.530, LifeCycleCost.UniformPresentValue(0.03, 10), 3);
        Assert.Equal(0.7441, LifeCycleCost.SinglePresentValue(0.03, 10), 4);
        Assert.Equal(0.11723, LifeCycleCost.CapitalRecoveryFactor(0.03, 10), 5);
        Assert.Equal(0.1, LifeCycleCost.CapitalRecoveryFactor(0, 10), 12);
    }

    // A chiller plant of 1,000,000 USD (life 20 y, 20,000 USD/y maintenance), a pump set of 100,000 USD
    // (life 4 y, bought again at years 4 and 8), and 100,000 USD/y of energy escalating at 2 %/y; 10 years
    // at 3 % real. Worked by hand:
    //   capital       1,100,000
    //   replacements  100,000 × (1.03^-4 + 1.03^-8) = 100,000 × (0.888487 + 0.789409)      =   167,789.63
    //   residual      (1,000,000 × 10/20 + 100,000 × 2/4) × 1.03^-10 = 550,000 × 0.744094  =   409,251.65
    //   maintenance   20,000 × 8.530203                                                    =   170,604.06
    //   energy        100,000 × Σ(1.02/1.03)^t, t = 1…10 = 100,000 × 9.481274              =   948,127.43
    //   net present cost 1,100,000 + 167,789.63 − 409,251.65 + 170,604.06 + 948,127.43    = 1,977,269.46
    //   annualised    1,977,269.46 / 8.530203                                              =   231,796.30
    [Fact]
    public void StatedStream_NetPresentCostWorkedByHand()
    {
        CapitalItem[] items =
        [
            new("chiller plant", CostCategory.Cooling, 1_000_000, 20, 20_000),
            new("pump set", CostCategory.Cooling, 100_000, 4, 0),
        ];
        var r = LifeCycleCost.Evaluate(items, 100_000, 0.02, 0.03, 10);
        Assert.Equal(1_100_000, r.CapitalUsd, 6);
        Assert.Equal(167_789.63, r.ReplacementsUsd, 2);
        Assert.Equal(409_251.65, r.ResidualUsd, 2);
        Assert.Equal(170_604.06, r.MaintenanceUsd, 2);
        Assert.Equal(948_127.43, r.EnergyUsd, 2);
        Assert.Equal(1_977_269.46, r.NetPresentCostUsd, 2);
        Assert.Equal(231_796.30, r.AnnualisedUsdPerYear, 2);
        // 1e9 tokens a year: 231,796.30 USD/y over 1e9 tokens = 231.7963 USD per million tokens.
        Assert.Equal(231.7963, r.LevelisedCostPerUnit(1e9) * 1e6, 4);
    }

    // Simulated years with growth: bills of 100,000, 120,000 and 140,000 USD in years 1-3, the third
    // repeating to year 5, no escalation, 10 % real, one item of 1,000 USD with a 5-year life. By hand:
    //   energy = 100,000/1.1 + 120,000/1.1^2 + 140,000 × (1.1^-3 + 1.1^-4 + 1.1^-5)
    //          = 90,909.09 + 99,173.55 + 140,000 × (0.751315 + 0.683013 + 0.620921) = 477,817.59
    //   tokens 1e9, 2e9, 3e9 (3e9 repeating): 1e9 × (0.909091 + 2 × 0.826446 + 3 × 2.055249) = 8.727732e9
    [Fact]
    public void SimulatedYears_EachYearsBillDiscountedWorkedByHand()
    {
        var r = LifeCycleCost.Evaluate([new("plant", CostCategory.Cooling, 1_000, 5, 0)], [100_000.0, 120_000, 140_000], 0, 0.10, 5);
        Assert.Equal(477_817.59, r.EnergyUsd, 2);
        Assert.Equal(478_817.59, r.NetPresentCostUsd, 2);
        Assert.Equal(8.727732e9, LifeCycleCost.PresentUnits([1e9, 2e9, 3e9], 0.10, 5), 1e3);

        // One simulated year repeated is the constant-bill case.
        var flat = LifeCycleCost.Evaluate([new("plant", CostCategory.Cooling, 1_000, 5, 0)], 100_000, 0.02, 0.03, 5);
        Assert.Equal(flat.NetPresentCostUsd, LifeCycleCost.Evaluate([new("plant", CostCategory.Cooling, 1_000, 5, 0)], [100_000.0], 0.02, 0.03, 5).NetPresentCostUsd, 6);
    }

    [Fact]
    public void LifeEqualToPeriod_NoReplacementNoResidual()
    {
        var r = LifeCycleCost.Evaluate([new("ups", CostCategory.Facility, 500, 10, 0)], 0, 0, 0.03, 10);
        Assert.Equal(0, r.ReplacementsUsd);
        Assert.Equal(0, r.ResidualUsd);
        Assert.Equal(500, r.NetPresentCostUsd, 9);
    }

    // A part bought in year 2 (racks added by load growth): 1,000 USD, a 5-year life, 100 USD a year
    // of maintenance, over 6 years at 3 % real. By hand:
    //   capital      1,000 / 1.03^2                                 = 942.60
    //   replacement  none (the next purchase, year 7, is past the period)
    //   residual     1 year of 5 left: 200 / 1.03^6                 = 167.50
    //   maintenance  100 × (1.03^-3 + 1.03^-4 + 1.03^-5 + 1.03^-6)  = 350.37
    //   net present cost 942.60 − 167.50 + 350.37                   = 1,125.47
    [Fact]
    public void PartBoughtLater_DiscountedFromItsYear_WorkedByHand()
    {
        var r = LifeCycleCost.Evaluate([new("racks added in year 3", CostCategory.It, 1_000, 5, 100, FirstYear: 2)], 0, 0, 0.03, 6);
        Assert.Equal(942.60, r.CapitalUsd, 2);
        Assert.Equal(0, r.ReplacementsUsd, 9);
        Assert.Equal(167.50, r.ResidualUsd, 2);
        Assert.Equal(350.37, r.MaintenanceUsd, 2);
        Assert.Equal(1_125.47, r.NetPresentCostUsd, 2);

        // Bought after the period: nothing of it counts.
        Assert.Equal(0, LifeCycleCost.Evaluate([new("later", CostCategory.It, 1_000, 5, 100, FirstYear: 6)], 0, 0, 0.03, 6).NetPresentCostUsd, 9);
    }

    [Theory]
    [InlineData(1.0, 10, 5)]   // a discount rate of 100 %
    [InlineData(-0.01, 10, 5)]
    [InlineData(0.03, 0, 5)]   // no study period
    [InlineData(0.03, 10, 0)]  // an asset life of zero
    public void BadInput_IsRefused(double rate, int years, int life) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => LifeCycleCost.Evaluate([new("x", CostCategory.It, 1, life, 0)], 0, 0, rate, years));
}
