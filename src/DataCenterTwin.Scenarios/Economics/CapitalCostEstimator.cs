using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Economics;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Scenarios.Economics;

/// <summary>What a hall's capital cost covers, and what the catalog could not price.</summary>
/// <param name="Items">Every priced part.</param>
/// <param name="Unpriced">Parts left out for want of a catalog entry, in words.</param>
public sealed record CapitalEstimate(IReadOnlyList<CapitalItem> Items, IReadOnlyList<string> Unpriced)
{
    /// <summary>Capital cost of a category, USD.</summary>
    public double CostUsd(CostCategory category) => Items.Where(i => i.Category == category).Sum(i => i.CostUsd);

    /// <summary>Capital cost of everything priced, USD.</summary>
    public double TotalUsd => Items.Sum(i => i.CostUsd);
}

/// <summary>
/// Prices a scenario's hall from the cost catalog: the building and electrical path per watt of
/// design IT, each chiller by kind and capacity (a hybrid also its gas engine, sized as the
/// compressor's rated shaft power), towers and plant controls on the chillers' capacity, the
/// economiser and the CDUs as plate heat exchangers on their design heat, and the servers.
/// </summary>
public static class CapitalCostEstimator
{
    /// <summary>Prices <paramref name="spec"/>'s hall.</summary>
    public static CapitalEstimate Estimate(ScenarioSpec spec, CostCatalog catalog)
    {
        var items = new List<CapitalItem>();
        var unpriced = new List<string>();
        void Add(string entryName, string item, CostCategory category, double units, int firstYear = 0)
        {
            if (units <= 0)
            {
                return;
            }

            if (catalog.Find(entryName) is not { } e)
            {
                unpriced.Add($"{item} (no catalog entry \"{entryName}\")");
                return;
            }

            double cost = e.CostUsd * units;
            items.Add(new CapitalItem(item, category, cost, e.LifeYears, cost * e.MaintenanceFractionPerYear, firstYear));
        }

        Add("building-and-electrical", "building and electrical", CostCategory.Facility, spec.Hall.DesignPowerW);
        double waterCooledW = 0, chillersW = 0;
        foreach (var chiller in spec.Cooling.Plant.Chillers)
        {
            double capacityW = chiller.NominalCapacityW;
            chillersW += capacityW;
            if (chiller.Condenser == CondenserType.WaterCooled)
            {
                waterCooledW += capacityW;
            }

            Add(ChillerEntry(chiller), chiller.Name, CostCategory.Cooling, capacityW);
            if (EngineShaftPowerW(chiller) is { } shaftW)
            {
                Add("gas-engine-drive", $"{chiller.Name} gas engine", CostCategory.Cooling, shaftW);
            }
        }

        Add("cooling-tower", "cooling towers", CostCategory.Cooling, waterCooledW);
        Add("plant-controls", "plant controls", CostCategory.Cooling, chillersW);
        if (spec.Cooling.Plant.Economizer is { } economizer)
        {
            Add("plate-heat-exchanger", "waterside economiser", CostCategory.Cooling, Math.Min(economizer.DesignCapacityW, chillersW));
        }

        var cduHeatW = new double[spec.Cooling.Cdus.Count];
        int airSide = 0;
        foreach (var rack in spec.Cooling.Racks)
        {
            if (rack.Cooling == RackCoolingType.DirectToChip && rack.Cdu >= 0 && rack.Cdu < cduHeatW.Length)
            {
                cduHeatW[rack.Cdu] += rack.DesignPowerW * rack.LiquidFraction;
            }

            if (rack.Cooling == RackCoolingType.RearDoor)
            {
                airSide++;
            }
        }

        for (int i = 0; i < cduHeatW.Length; i++)
        {
            Add("plate-heat-exchanger", spec.Cooling.Cdus[i].Name, CostCategory.Cooling, cduHeatW[i]);
        }

        if (spec.Cooling.Crahs.Count > 0)
        {
            unpriced.Add($"{spec.Cooling.Crahs.Count} CRAHs (no published unit cost in the catalog)");
        }

        if (airSide > 0)
        {
            unpriced.Add($"{airSide} rear-door heat exchangers (no published unit cost in the catalog)");
        }

        foreach (var pool in spec.Hall.Pools)
        {
            // Racks that load growth adds on a date are bought in the year they come in (whole years from the start).
            int later = 0;
            foreach (var i in spec.RackInstallations.Where(i => i.FirstRack >= pool.FirstRack && i.FirstRack < pool.FirstRack + pool.RackCount))
            {
                int year = (int)Math.Floor(i.At.TotalSeconds / (365 * 86400.0));
                Add($"server-{pool.Server.Name}", $"{pool.Name} servers ({pool.Server.Name}) added in year {year + 1}", CostCategory.It, i.Count * pool.ServersPerRack, year);
                later += i.Count;
            }

            Add($"server-{pool.Server.Name}", $"{pool.Name} servers ({pool.Server.Name})", CostCategory.It, (pool.RackCount - later) * pool.ServersPerRack);
        }

        for (int i = 0; i < spec.Hall.Training.Count; i++)
        {
            var block = spec.Hall.Training[i];
            Add($"server-{block.Server.Name}", $"{spec.Hall.TrainingBlockNames[i]} servers ({block.Server.Name})", CostCategory.It, block.RackCount * block.ServersPerRack);
        }

        return new CapitalEstimate(items, unpriced);
    }

    // Water-cooled centrifugal and screw machines cost the same per ton in the catalog's source.
    private static string ChillerEntry(ChillerSpec chiller) =>
        chiller.Condenser == CondenserType.AirCooled ? "chiller-air-cooled" : "chiller-water-cooled";

    // A hybrid's engine drives the whole compressor, so it is sized for the compressor's rated shaft
    // power (rated cooling over rated COP); an engine-driven chiller's engine is its only drive.
    private static double? EngineShaftPowerW(ChillerSpec chiller) => chiller switch
    {
        HybridChillerSpec h => h.Compressor.RatedCapacityW / h.Compressor.RatedCop,
        EngineDrivenChillerSpec e => e.NominalCapacityW / e.NominalCop,
        _ => null,
    };
}
