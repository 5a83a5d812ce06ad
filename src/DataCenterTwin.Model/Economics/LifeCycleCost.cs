namespace DataCenterTwin.Model.Economics;

/// <summary>The present value of owning and running a hall over a study period, by part.</summary>
/// <param name="CapitalUsd">Present value of the first cost of every part (at year 0, or the year a later part is bought), USD.</param>
/// <param name="ReplacementsUsd">Present value of the parts bought again within the period, USD.</param>
/// <param name="ResidualUsd">Present value of the life left in the parts at the end of the period (subtracted), USD.</param>
/// <param name="MaintenanceUsd">Present value of maintenance, USD.</param>
/// <param name="EnergyUsd">Present value of energy, demand and fuel bills, USD.</param>
/// <param name="NetPresentCostUsd">Capital + replacements − residual + maintenance + energy, USD.</param>
/// <param name="AnnualisedUsdPerYear">The net present cost as an equal payment each year of the period, USD/year.</param>
/// <param name="StudyYears">The period, years.</param>
/// <param name="DiscountRate">Real discount rate, per year.</param>
public sealed record LifeCycleCostResult(double CapitalUsd, double ReplacementsUsd, double ResidualUsd, double MaintenanceUsd,
    double EnergyUsd, double NetPresentCostUsd, double AnnualisedUsdPerYear, int StudyYears, double DiscountRate)
{
    /// <summary>
    /// Levelised cost of a unit of output (a token, say) served at <paramref name="unitsPerYear"/> every year: the net
    /// present cost over the present value of the output, USD per unit.
    /// </summary>
    public double LevelisedCostPerUnit(double unitsPerYear) =>
        unitsPerYear > 0 ? NetPresentCostUsd / (unitsPerYear * LifeCycleCost.UniformPresentValue(DiscountRate, StudyYears)) : double.NaN;
}

/// <summary>
/// Life-cycle cost by the method of NIST Handbook 135 (Life-Cycle Costing Manual for the Federal
/// Energy Management Program, 2020): costs in constant dollars, discounted at a real rate, end-of-year
/// convention for recurring costs, replacements at the end of each service life, and a residual value
/// of the life left at the end of the study period, linear in that life.
/// </summary>
public static class LifeCycleCost
{
    /// <summary>Single present value factor: one dollar <paramref name="year"/> years from now, today (HB 135, SPV).</summary>
    public static double SinglePresentValue(double discountRate, double year) => 1 / Math.Pow(1 + discountRate, year);

    /// <summary>Uniform present value factor: one dollar at the end of each of <paramref name="years"/> years (HB 135, UPV).</summary>
    public static double UniformPresentValue(double discountRate, int years) => EscalatedPresentValue(discountRate, 0, years);

    /// <summary>
    /// Modified uniform present value factor (HB 135, UPV*): a base-year dollar escalating at
    /// <paramref name="escalation"/> a year, paid at the end of each year: Σ ((1 + e)/(1 + d))^t, t = 1…n.
    /// </summary>
    public static double EscalatedPresentValue(double discountRate, double escalation, int years)
    {
        double sum = 0, factor = 1, ratio = (1 + escalation) / (1 + discountRate);
        for (int t = 1; t <= years; t++)
        {
            factor *= ratio;
            sum += factor;
        }

        return sum;
    }

    /// <summary>
    /// The life-cycle cost with a bill for each simulated year (a run of several years with load
    /// growth): year t of the study pays <paramref name="energyUsdByYear"/>[t − 1] in base-year prices,
    /// escalated by (1 + e)^t; years past the simulated ones repeat the last simulated year's bill.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No simulated year, a rate outside [0, 1), a period or a life under a year.</exception>
    public static LifeCycleCostResult Evaluate(IReadOnlyList<CapitalItem> items, IReadOnlyList<double> energyUsdByYear, double energyEscalation,
        double discountRate, int studyYears)
    {
        ArgumentOutOfRangeException.ThrowIfZero(energyUsdByYear.Count);
        var parts = Evaluate(items, 0, energyEscalation, discountRate, studyYears);
        double energy = 0;
        for (int t = 1; t <= studyYears; t++)
        {
            double bill = energyUsdByYear[Math.Min(t, energyUsdByYear.Count) - 1];
            energy += bill * Math.Pow(1 + energyEscalation, t) * SinglePresentValue(discountRate, t);
        }

        double npc = parts.NetPresentCostUsd + energy;
        return parts with { EnergyUsd = energy, NetPresentCostUsd = npc, AnnualisedUsdPerYear = npc * CapitalRecoveryFactor(discountRate, studyYears) };
    }

    /// <summary>
    /// Present value of an output stream with <paramref name="unitsByYear"/>[t − 1] served in year t,
    /// the last simulated year repeating to the end of <paramref name="studyYears"/> (the denominator of a levelised cost).
    /// </summary>
    public static double PresentUnits(IReadOnlyList<double> unitsByYear, double discountRate, int studyYears)
    {
        double sum = 0;
        for (int t = 1; t <= studyYears && unitsByYear.Count > 0; t++)
        {
            sum += unitsByYear[Math.Min(t, unitsByYear.Count) - 1] * SinglePresentValue(discountRate, t);
        }

        return sum;
    }

    /// <summary>Capital recovery factor: the equal yearly payment over <paramref name="years"/> worth one dollar today.</summary>
    public static double CapitalRecoveryFactor(double discountRate, int years) => 1 / UniformPresentValue(discountRate, years);

    /// <summary>
    /// The life-cycle cost of <paramref name="items"/> and a yearly energy bill of
    /// <paramref name="energyUsdPerYear"/> (base-year prices escalating at <paramref name="energyEscalation"/>)
    /// over <paramref name="studyYears"/> at a real <paramref name="discountRate"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate outside [0, 1), a period or a life under a year.</exception>
    public static LifeCycleCostResult Evaluate(IReadOnlyList<CapitalItem> items, double energyUsdPerYear, double energyEscalation,
        double discountRate, int studyYears)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(discountRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(discountRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(studyYears, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(energyEscalation, -1);
        double capital = 0, replacements = 0, residual = 0, maintenance = 0;
        double upv = UniformPresentValue(discountRate, studyYears);
        foreach (var item in items)
        {
            if (item.LifeYears < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(items), $"{item.Name}: a service life of {item.LifeYears} years; at least 1 is needed");
            }

            if (item.FirstYear < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(items), $"{item.Name}: bought in year {item.FirstYear}; 0 (the start) or later is needed");
            }

            if (item.FirstYear >= studyYears)
            {
                // Bought after the study period: no part of it falls inside.
                continue;
            }

            // A part bought in year y (racks added by load growth) is paid then, replaced every life
            // after it, and maintained from the year after.
            capital += item.CostUsd * SinglePresentValue(discountRate, item.FirstYear);
            int lastPurchase = item.FirstYear;
            for (int year = item.FirstYear + item.LifeYears; year < studyYears; year += item.LifeYears)
            {
                replacements += item.CostUsd * SinglePresentValue(discountRate, year);
                lastPurchase = year;
            }

            double lifeLeftYears = lastPurchase + item.LifeYears - studyYears;
            residual += item.CostUsd * lifeLeftYears / item.LifeYears * SinglePresentValue(discountRate, studyYears);
            maintenance += item.MaintenanceUsdPerYear * (upv - UniformPresentValue(discountRate, item.FirstYear));
        }

        double energy = energyUsdPerYear * EscalatedPresentValue(discountRate, energyEscalation, studyYears);
        double npc = capital + replacements - residual + maintenance + energy;
        return new LifeCycleCostResult(capital, replacements, residual, maintenance, energy, npc,
            npc * CapitalRecoveryFactor(discountRate, studyYears), studyYears, discountRate);
    }
}
