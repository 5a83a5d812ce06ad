using DataCenterTwin.Model.Twin;
using DataCenterTwin.Traces.Datasets;

namespace DataCenterTwin.Calibration.Twin;

/// <summary>The trace dataset a series comes from (the run folder's own schema, SCHEMA.md).</summary>
public enum TwinDataset
{
    /// <summary>One row per output interval.</summary>
    Facility,

    /// <summary>One row per rack per output interval.</summary>
    Racks,

    /// <summary>One row per piece of plant equipment per output interval.</summary>
    Plant,
}

/// <summary>
/// A column of the twin's trace schema that telemetry can be compared with, its unit (as the
/// dataset's column metadata gives it) and how to read it from an interval's sample.
/// </summary>
public static class TwinSeries
{
    private static readonly Dictionary<string, Func<FacilitySample, double>> s_facility = new(StringComparer.Ordinal)
    {
        ["it_power_w"] = s => s.ItW,
        ["cooling_electric_power_w"] = s => s.CoolingElectricW,
        ["losses_power_w"] = s => s.LossesW,
        ["other_power_w"] = s => s.OtherW,
        ["total_power_w"] = s => s.TotalW,
        ["grid_power_w"] = s => s.GridW,
        ["gas_power_w"] = s => s.GasW,
        ["freed_capacity_w"] = s => s.FreedW,
        ["pue"] = s => s.Pue,
        ["inlet_min_c"] = s => s.InletMinC,
        ["inlet_mean_c"] = s => s.InletMeanC,
        ["inlet_max_c"] = s => s.InletMaxC,
        ["accelerator_max_c"] = s => s.AcceleratorMaxC,
        ["utilisation"] = s => s.Utilisation,
    };

    private static readonly Dictionary<string, Func<RackSample, double>> s_racks = new(StringComparer.Ordinal)
    {
        ["power_w"] = s => s.PowerW,
        ["inlet_c"] = s => s.InletC,
        ["inlet_max_c"] = s => s.InletMaxC,
        ["outlet_c"] = s => s.OutletC,
        ["liquid_supply_c"] = s => s.LiquidSupplyC,
        ["liquid_return_c"] = s => s.LiquidReturnC,
        ["accelerator_max_c"] = s => s.AcceleratorMaxC,
        ["speed_factor"] = s => s.SpeedFactor,
    };

    private static readonly Dictionary<string, Func<PlantSample, double>> s_plant = new(StringComparer.Ordinal)
    {
        ["load_w"] = s => s.LoadW,
        ["electric_power_w"] = s => s.ElectricW,
        ["gas_power_w"] = s => s.GasW,
        ["supply_c"] = s => s.SupplyC,
        ["return_c"] = s => s.ReturnC,
        ["flow_kg_per_s"] = s => s.FlowKgPerS,
    };

    /// <summary>The dataset named <paramref name="name"/> ("facility", "racks", "plant"), or null.</summary>
    public static TwinDataset? Dataset(string name) => name switch
    {
        "facility" => TwinDataset.Facility,
        "racks" => TwinDataset.Racks,
        "plant" => TwinDataset.Plant,
        _ => null,
    };

    /// <summary>The columns of <paramref name="dataset"/> a series can name, in schema order.</summary>
    public static IReadOnlyList<string> Columns(TwinDataset dataset) => dataset switch
    {
        TwinDataset.Facility => [.. FacilityDataset.Columns.Select(c => c.Name).Where(s_facility.ContainsKey)],
        TwinDataset.Racks => [.. RackDataset.Columns.Select(c => c.Name).Where(s_racks.ContainsKey)],
        _ => [.. PlantDataset.Columns.Select(c => c.Name).Where(s_plant.ContainsKey)],
    };

    /// <summary>The unit the twin writes <paramref name="column"/> of <paramref name="dataset"/> in ("W", "°C", "1").</summary>
    public static string Unit(TwinDataset dataset, string column) => (dataset switch
    {
        TwinDataset.Facility => FacilityDataset.Columns,
        TwinDataset.Racks => RackDataset.Columns,
        _ => PlantDataset.Columns,
    }).First(c => c.Name == column).Unit;

    internal static Func<FacilitySample, double> Facility(string column) => s_facility[column];

    internal static Func<RackSample, double> Rack(string column) => s_racks[column];

    internal static Func<PlantSample, double> Plant(string column) => s_plant[column];
}
