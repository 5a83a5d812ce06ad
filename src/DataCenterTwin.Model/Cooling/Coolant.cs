namespace DataCenterTwin.Model.Cooling;

/// <summary>A heat-transfer liquid, with properties taken constant over the loop's range.</summary>
/// <param name="Name">What it is.</param>
/// <param name="SpecificHeatJPerKgK">cp, J/(kg·K).</param>
/// <param name="DensityKgPerM3">ρ, kg/m³.</param>
public sealed record Coolant(string Name, double SpecificHeatJPerKgK, double DensityKgPerM3)
{
    /// <summary>Water near 25–35 °C: cp 4,180 J/(kg·K), ρ 997 kg/m³.</summary>
    public static Coolant Water { get; } = new("water", 4180, 997);

    /// <summary>
    /// Propylene glycol–water mix by mass fraction (0–0.6), near 20 °C: cp and ρ interpolated
    /// linearly through the ASHRAE table values (PG25 ≈ 3,900 J/(kg·K), 1,020 kg/m³; PG50 ≈ 3,580, 1,040).
    /// </summary>
    public static Coolant PropyleneGlycol(double massFraction)
    {
        if (massFraction is < 0 or > 0.6)
        {
            throw new ArgumentOutOfRangeException(nameof(massFraction), massFraction, "Propylene glycol mixes are 0–60 % by mass.");
        }

        return new Coolant($"PG{massFraction * 100:0}", 4180 - (1200 * massFraction), 997 + (86 * massFraction));
    }

    /// <summary>Mass flow from a volume flow in litres per minute, kg/s.</summary>
    public double MassFlowKgPerS(double litresPerMinute) => litresPerMinute / 60_000 * DensityKgPerM3;
}
