using System.Collections;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Model.Topology;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>
/// One rack as the hall section defines it: its thermal parameters (the one home of them: the cooling
/// model reads these, it keeps no copy), what it draws idle, its pool and enclosure.
/// </summary>
/// <param name="Thermal">How it is cooled, its capture fraction, CDU, design power, accelerators and server airflow.</param>
/// <param name="IdlePowerW">Power with every accelerator idle, W.</param>
/// <param name="Pool">The pool or training block it belongs to.</param>
/// <param name="Body">Its enclosure from the catalog (a standard 42U enclosure when null).</param>
public sealed record RackDesign(RackThermalSpec Thermal, double IdlePowerW, string Pool = "", RackBody? Body = null)
{
    /// <summary>Air, rear door or direct-to-chip.</summary>
    public RackCoolingType Cooling => Thermal.Cooling;

    /// <summary>Capture fraction (direct-to-chip) or door fraction (rear door).</summary>
    public double LiquidFraction => Thermal.LiquidFraction;

    /// <summary>Power at full load (every accelerator at TDP plus hosts), W.</summary>
    public double DesignPowerW => Thermal.DesignPowerW;

    /// <summary>Accelerators in the rack.</summary>
    public int Accelerators => Thermal.Accelerators;
}

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

    /// <summary>Every rack's thermal parameters, in index order: a view of <see cref="Racks"/>, not a copy.</summary>
    public IReadOnlyList<RackThermalSpec> Thermal => new ThermalView(Racks);

    private sealed class ThermalView(IReadOnlyList<RackDesign> racks) : IReadOnlyList<RackThermalSpec>
    {
        public RackThermalSpec this[int index] => racks[index].Thermal;

        public int Count => racks.Count;

        public IEnumerator<RackThermalSpec> GetEnumerator() => racks.Select(r => r.Thermal).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
