using System.Globalization;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Power;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;
using DataCenterTwin.Traces.Grid;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>Reads the <c>site</c> section.</summary>
internal static class SiteSection
{
    private const double KWhJ = 3.6e6;

    public static SiteSpec Read(MapReader site, double itDesignPowerW)
    {
        var weathers = site.FilePaths("weather");
        string weather = weathers.Count > 0 ? weathers[0] : "";
        var start = ReadStart(site);
        double utcOffsetH = site.Quantity("utc_offset", Dimension.Time, defaultValue: -5 * 3600.0, min: -14 * 3600, max: 14 * 3600) / 3600;

        double capacityW = double.PositiveInfinity;
        HourlySeries carbon = HourlySeries.Constant(362.62e-3 / KWhJ);
        if (site.Child("grid") is { } grid)
        {
            capacityW = grid.Quantity("capacity", Dimension.Power, min: 1);
            carbon = ReadCarbon(grid, utcOffsetH) ?? carbon;
            grid.Done();
        }

        var tariff = ReadTariff(site.Child("tariff"), carbon);

        double upsRatedW = Math.Max(itDesignPowerW * 1.25, 1);
        var ups = new UpsSpec(upsRatedW * 600, upsRatedW, 0.95, upsRatedW * 0.1);
        var upsLoss = DistributionLossSpec.DefaultUps(upsRatedW);
        var pduLoss = DistributionLossSpec.DefaultPdu(upsRatedW);
        var generator = new GeneratorSpec(upsRatedW * 1.5, 10, 1 / 0.38);
        double otherFixedW = 0, otherFraction = 0.03;
        if (site.Child("power") is { } power)
        {
            if (power.Child("ups") is { } u)
            {
                double rated = u.Quantity("rated_power", Dimension.Power, upsRatedW, min: 1);
                ups = new UpsSpec(
                    u.Quantity("energy", Dimension.Energy, rated * 600, min: 0),
                    rated,
                    u.Quantity("discharge_efficiency", Dimension.Fraction, 0.95, min: 0.01, max: 1),
                    u.Quantity("recharge_power", Dimension.Power, rated * 0.1, min: 0));
                upsLoss = new DistributionLossSpec("ups", rated,
                    u.Quantity("no_load_loss", Dimension.Fraction, upsLoss.NoLoadFraction, 0, 0.5),
                    u.Quantity("proportional_loss", Dimension.Fraction, upsLoss.ProportionalFraction, 0, 0.5),
                    u.Quantity("square_loss", Dimension.Fraction, upsLoss.SquareFraction, 0, 0.5));
                u.Done();
            }

            if (power.Child("pdu") is { } p)
            {
                double rated = p.Quantity("rated_power", Dimension.Power, pduLoss.RatedPowerW, min: 1);
                pduLoss = new DistributionLossSpec("pdu", rated,
                    p.Quantity("no_load_loss", Dimension.Fraction, pduLoss.NoLoadFraction, 0, 0.5),
                    p.Quantity("proportional_loss", Dimension.Fraction, pduLoss.ProportionalFraction, 0, 0.5),
                    p.Quantity("square_loss", Dimension.Fraction, pduLoss.SquareFraction, 0, 0.5));
                p.Done();
            }

            if (power.Child("generator") is { } g)
            {
                generator = new GeneratorSpec(
                    g.Quantity("capacity", Dimension.Power, generator.CapacityW, min: 0),
                    g.Quantity("start_delay", Dimension.Time, generator.StartDelayS, min: 0),
                    1 / g.Quantity("efficiency", Dimension.Fraction, 0.38, min: 0.05, max: 1));
                g.Done();
            }

            otherFixedW = power.Quantity("other_fixed", Dimension.Power, 0, min: 0);
            otherFraction = power.Quantity("other_fraction_of_it", Dimension.Fraction, otherFraction, min: 0, max: 1);
            power.Done();
        }

        site.Done();
        return new SiteSpec(weather, start, utcOffsetH, capacityW, tariff, ups, upsLoss, pduLoss, generator, otherFixedW, otherFraction)
        {
            WeatherPaths = weathers,
        };
    }

    private static DateTime ReadStart(MapReader site)
    {
        string text = site.Text("start", "2026-01-01T00:00");
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            site.Error("start", $"expected a local date or date-time such as \"2026-07-01\" or \"2026-07-01T00:00\", got \"{text}\"");
            return new DateTime(2026, 1, 1);
        }

        return start;
    }

    private static HourlySeries? ReadCarbon(MapReader grid, double utcOffsetH)
    {
        if (!grid.Has("carbon"))
        {
            grid.Accept("carbon");
            return null;
        }

        if (grid.Map["carbon"] is not YamlScalar scalar)
        {
            grid.Text("carbon");
            return null;
        }

        string text = scalar.Value;
        if (Quantity.TryParse(text, Dimension.EmissionPerEnergy, out double constant, out _))
        {
            grid.Text("carbon");
            if (constant < 0)
            {
                grid.Error("carbon", "expected a non-negative emission factor");
                return null;
            }

            return HourlySeries.Constant(constant);
        }

        // Not an intensity: a file, noted with where it was found and its digest like every file.
        var (located, _) = grid.Context.Locate(text);
        if (!File.Exists(located))
        {
            grid.Text("carbon");
            grid.Error("carbon", $"expected an intensity such as \"362 g/kWh\" or an hourly CSV file; no file {text} (looked for {located})");
            return null;
        }

        string path = grid.FilePath("carbon")!;
        try
        {
            return FileMemo.Get(FormattableString.Invariant($"carbon@{utcOffsetH}"), path, p => new HourlySeries(CarbonIntensityCsv.Read(p, utcOffsetH)));
        }
        catch (InvalidDataException ex)
        {
            grid.Error("carbon", ex.Message);
            return null;
        }
    }

    private static TariffSpec ReadTariff(MapReader? t, HourlySeries carbon)
    {
        double baseUsdPerJ = 0.08 / KWhJ, demand = 0, gas = 4.0 / 1.05505585262e9, gasEmission = TariffSpec.NaturalGasKgPerJ;
        var periods = new List<TouPeriod>();
        if (t is null)
        {
            return new TariffSpec(baseUsdPerJ, periods, null, demand, gas, carbon, gasEmission);
        }

        baseUsdPerJ = t.Quantity("energy", Dimension.PricePerEnergy, baseUsdPerJ, min: 0);
        foreach (var p in t.Children("periods"))
        {
            string hours = p.Text("hours");
            var parts = hours.Split('-');
            int startHour = 0, endHour = 0;
            if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out startHour)
                || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out endHour) || startHour < 0 || endHour > 24 || startHour >= endHour)
            {
                p.Error("hours", $"expected a range of local hours such as \"12-20\" (start included, end excluded), got \"{hours}\"");
            }

            var months = p.Scalars("months").Select(s => int.TryParse(s.Value, CultureInfo.InvariantCulture, out int m) && m is >= 1 and <= 12 ? m : -1).ToList();
            if (months.Contains(-1))
            {
                p.Error("months", "expected month numbers 1 to 12");
            }

            periods.Add(new TouPeriod(p.Text("name", $"period{periods.Count}"), p.Quantity("price", Dimension.PricePerEnergy, min: 0),
                startHour, endHour, p.Boolean("weekdays_only", false), months));
            p.Done();
        }

        demand = t.Quantity("demand_charge", Dimension.PricePerPower, 0, min: 0);
        gas = t.Quantity("gas_price", Dimension.PricePerEnergy, gas, min: 0);
        gasEmission = t.Quantity("gas_emission", Dimension.EmissionPerEnergy, gasEmission, min: 0);
        t.Done();
        return new TariffSpec(baseUsdPerJ, periods, null, demand, gas, carbon, gasEmission);
    }
}
