using DataCenterTwin.Scenarios.Economics;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>Reads the <c>economics</c> section (every key optional; the defaults are recorded in the resolved scenario).</summary>
internal static class EconomicsSection
{
    private const double SecondsPerYear = 365 * 86400.0;

    public static EconomicsSpec? Read(MapReader root)
    {
        const string DefaultCatalog = "assets/costs/cost-catalog.json";
        if (root.Child("economics") is not { } e)
        {
            // As the other optional sections: absent, its defaults apply.
            return LoadCatalog(root, "", root.Context.Resolve(DefaultCatalog)) is { } defaults
                ? new EconomicsSpec(defaults, EconomicsSpec.DefaultDiscountRate, 0, EconomicsSpec.DefaultStudyYears, double.NaN)
                : null;
        }

        var catalog = LoadCatalog(e, "catalog", e.Has("catalog") ? e.FilePath("catalog") ?? "" : e.Context.Resolve(DefaultCatalog));
        double rate = e.Quantity("discount_rate", Dimension.Fraction, EconomicsSpec.DefaultDiscountRate, min: 0, max: 0.5);
        double escalation = e.Quantity("energy_escalation", Dimension.Fraction, 0, min: -0.5, max: 0.5);
        double periodS = e.Quantity("study_period", Dimension.Time, EconomicsSpec.DefaultStudyYears * SecondsPerYear, min: SecondsPerYear, max: 100 * SecondsPerYear);
        if (double.IsFinite(periodS) && Math.Abs(periodS / SecondsPerYear - Math.Round(periodS / SecondsPerYear)) > 1e-9)
        {
            e.Error("study_period", $"expected a whole number of years such as \"10 y\", got {periodS / SecondsPerYear:G6} years");
        }

        double price = e.Has("price") ? e.Quantity("price", Dimension.PricePerToken, min: 0) : double.NaN;
        e.Done();
        return catalog is not null && double.IsFinite(rate) && double.IsFinite(escalation) && double.IsFinite(periodS)
            ? new EconomicsSpec(catalog, rate, escalation, (int)Math.Round(periodS / SecondsPerYear), price)
            : null;
    }

    private static CostCatalog? LoadCatalog(MapReader reader, string key, string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        try
        {
            return CostCatalog.Load(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            reader.Error(key, $"the cost catalog {path} is not usable: {ex.Message}");
            return null;
        }
    }
}
