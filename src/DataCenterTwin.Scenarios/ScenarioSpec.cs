using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Topology;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Scenarios;

/// <summary>A validated scenario: every section in SI units with its defaults filled in.</summary>
/// <param name="Name">Short name (the file name without extension unless the file says otherwise).</param>
/// <param name="Description">What the scenario is, in words.</param>
/// <param name="SourcePath">The file it was loaded from.</param>
/// <param name="ResolvedYaml">The resolved scenario: every value read, defaults filled in.</param>
/// <param name="Hash">SHA-256 of the resolved scenario, hex: equal hashes, equal scenarios.</param>
/// <param name="Site">Weather, calendar, grid, tariffs and the electrical path.</param>
/// <param name="Run">Horizon, fidelity, seed, steps and outputs.</param>
/// <param name="Control">The supervisory policy.</param>
/// <param name="Events">Scheduled site events and failures, by start.</param>
/// <param name="Weather">The site's weather year, read from its EPW file.</param>
/// <param name="Hall">Racks, pools, training blocks, air path.</param>
/// <param name="Cooling">Loops, CDUs, CRAHs and the chiller plant, sized for the hall; its racks are always the hall's.</param>
/// <param name="Workload">Request classes and training jobs.</param>
/// <param name="Equipment">Names a failure event may target.</param>
/// <param name="Layout">Where the racks stand (rows, pitch, aisles, containment); the default for the rack count when null.</param>
public sealed record ScenarioSpec(string Name, string Description, string SourcePath, string ResolvedYaml, string Hash,
    SiteSpec Site, RunSpec Run, ControlSpec Control, IReadOnlyList<GridEventSpec> Events, WeatherSeries Weather,
    HallSpec Hall, CoolingSystemSpec Cooling, WorkloadSpec Workload, IReadOnlyList<string> Equipment, LayoutSpec? Layout = null)
{
    private readonly CoolingSystemSpec _cooling = Cooling;

    /// <summary>
    /// Loops, CDUs, CRAHs and the chiller plant, sized for the hall. Its racks are read from
    /// <see cref="HallSpec.Racks"/>, the one home of a rack's thermal parameters: a spec with another
    /// hall (<c>spec with { Hall = … }</c>) cools that hall's racks, and the racks of a cooling spec
    /// given here are not kept.
    /// </summary>
    public CoolingSystemSpec Cooling
    {
        // An array, not the hall's view: the twin reads a rack's spec every control step.
        get => _cooling with { Racks = [.. Hall.Thermal] };
        init => _cooling = value;
    }

    /// <summary>Cost of ownership: the cost catalog, discount rate, study period and token price.</summary>
    public required EconomicsSpec Economics { get; init; }

    /// <summary>Manual controls at given times (the optional <c>controls</c> list), by time.</summary>
    public IReadOnlyList<ScheduledControl> Controls { get; init; } = [];

    /// <summary>Racks <c>run.growth</c> adds on dates (absent until then), by date.</summary>
    public IReadOnlyList<DataCenterTwin.Model.Compute.RackInstallation> RackInstallations { get; init; } = [];

    /// <summary>What <c>cooling.sizing</c> gave the chillers; null when the file states their capacities.</summary>
    public DataCenterTwin.Scenarios.Cooling.PlantSizingResult? Sizing { get; init; }
}
