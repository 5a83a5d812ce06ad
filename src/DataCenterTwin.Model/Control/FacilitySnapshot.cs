namespace DataCenterTwin.Model.Control;

/// <summary>
/// What the supervisory controller sees at a control step: the last step's metered powers, the
/// grid limit in force, prices and any demand-response request. Powers in W, prices in USD/J.
/// </summary>
public struct FacilitySnapshot
{
    /// <summary>Seconds since the start of the run.</summary>
    public double TimeS { get; set; }

    /// <summary>Grid capacity in force (contracted, or curtailed), W.</summary>
    public double GridCapacityW { get; set; }

    /// <summary>Whether the grid is up.</summary>
    public bool GridAvailable { get; set; }

    /// <summary>The facility's draw over the last step (IT + cooling + losses + other), W.</summary>
    public double FacilityPowerW { get; set; }

    /// <summary>IT power over the last step, W (after any cap).</summary>
    public double ItPowerW { get; set; }

    /// <summary>IT power the workload would have drawn uncapped over the last step, W.</summary>
    public double ItDemandW { get; set; }

    /// <summary>The lowest IT power capping alone can reach (accelerators at their minimum clocks), W.</summary>
    public double ItFloorW { get; set; }

    /// <summary>Cooling electric power over the last step (chillers, pumps, fans, towers), W.</summary>
    public double CoolingElectricW { get; set; }

    /// <summary>
    /// The highest cooling electric power of the last few control steps, W (at least the last
    /// step's): what the cap budgets for cooling, since staging and trim swing it step to step.
    /// </summary>
    public double CoolingElectricRecentPeakW { get; set; }

    /// <summary>Electric power the plant would draw on electricity alone for the same load, W.</summary>
    public double CoolingAllElectricW { get; set; }

    /// <summary>Chiller electric power that moving every hybrid chiller to gas would remove, W (at the current load).</summary>
    public double MovableChillerElectricW { get; set; }

    /// <summary>Facility power that is neither IT nor cooling, per W of IT (distribution losses and other loads).</summary>
    public double OverheadPerItW { get; set; }

    /// <summary>The gas share of hybrid chiller load the controller decided last step, 0–1.</summary>
    public double GasShare { get; set; }

    /// <summary>Electricity price now, USD/J.</summary>
    public double ElectricityPriceUsdPerJ { get; set; }

    /// <summary>Gas price per J of fuel, USD/J.</summary>
    public double GasPriceUsdPerJ { get; set; }

    /// <summary>Cooling delivered per J of chiller electricity at the current load (COP).</summary>
    public double ElectricCop { get; set; }

    /// <summary>Cooling delivered per J of fuel at the current load (gas COP).</summary>
    public double GasCop { get; set; }

    /// <summary>The reduction a demand-response event asks for now, W (0 when none).</summary>
    public double DemandResponseReductionW { get; set; }

    /// <summary>The draw the demand-response reduction is measured from, W.</summary>
    public double DemandResponseBaselineW { get; set; }
}
