using DataCenterTwin.Scenarios.Economics;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>The economics section: what the hall costs to own over a study period, and what its tokens sell for.</summary>
/// <param name="Catalog">The cost catalog.</param>
/// <param name="DiscountRate">Real discount rate, per year, 0 to under 1.</param>
/// <param name="EnergyEscalation">Real escalation of energy prices, per year.</param>
/// <param name="StudyYears">The study period, whole years.</param>
/// <param name="PricePerOutputTokenUsd">What an output token sells for, USD (NaN: not given, no revenue reported).</param>
public sealed record EconomicsSpec(CostCatalog Catalog, double DiscountRate, double EnergyEscalation, int StudyYears, double PricePerOutputTokenUsd)
{
    /// <summary>The default real discount rate: the FEMP floor of 10 CFR 436.14(a)(2).</summary>
    public const double DefaultDiscountRate = 0.03;

    /// <summary>The default study period, years (the ten-year comparison).</summary>
    public const int DefaultStudyYears = 10;
}
