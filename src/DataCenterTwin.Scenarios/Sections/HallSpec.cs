using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Model.Topology;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>One rack as the hall section defines it: how it is cooled and what it draws at most.</summary>
/// <param name="Cooling">Air, rear door or direct-to-chip.</param>
/// <param name="LiquidFraction">Capture fraction (direct-to-chip) or door fraction (rear door).</param>
/// <param name="DesignPowerW">Power at full load (every accelerator at TDP plus hosts), W.</param>
/// <param name="Accelerators">Accelerators in the rack.</param>
/// <param name="IdlePowerW">Power with every accelerator idle, W.</param>
/// <param name="Pool">The pool or training block it belongs to.</param>
/// <param name="Body">Its enclosure from the catalog (a standard 42U enclosure when null).</param>
public sealed record RackDesign(RackCoolingType Cooling, double LiquidFraction, double DesignPowerW, int Accelerators, double IdlePowerW,
    string Pool = "", RackBody? Body = null);

/// <summary>The hall: inference pools and training blocks on racks, the air path and accelerator thermals.</summary>
/// <param name="Pools">Inference pools, in rack order.</param>
/// <param name="Training">Training rack blocks.</param>
/// <param name="TrainingBlockNames">The training blocks' names (training jobs name them).</param>
/// <param name="Racks">Every rack, in index order.</param>
/// <param name="Air">The air path.</param>
/// <param name="Accelerators">Accelerator thermal behaviour.</param>
public sealed record HallSpec(IReadOnlyList<PoolSpec> Pools, IReadOnlyList<TrainingRackSpec> Training, IReadOnlyList<string> TrainingBlockNames,
    IReadOnlyList<RackDesign> Racks, AirPathSpec Air, AcceleratorThermalSpec Accelerators)
{
    /// <summary>Power of every rack at full load, W.</summary>
    public double DesignPowerW => Racks.Sum(r => r.DesignPowerW);
}
