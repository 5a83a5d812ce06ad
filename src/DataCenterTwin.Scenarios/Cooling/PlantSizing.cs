using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Scenarios.Cooling;

/// <summary>What the chiller plant is sized for.</summary>
public enum SizingBasis
{
    /// <summary>Every rack at full TDP, sustained: how a training hall is sized.</summary>
    Nameplate,

    /// <summary>The 99th percentile of the hourly IT heat of the workload itself over a design year.</summary>
    P99Load,
}

/// <summary>The <c>cooling.sizing</c> rule: the chillers' capacities come from the hall and its workload, not the file.</summary>
/// <param name="Basis">The design heat load.</param>
/// <param name="Redundancy">Spare units beyond those that carry the design load (1 for N+1).</param>
/// <param name="MarginFraction">Margin on the design load, 0.1 for 10 %.</param>
public sealed record PlantSizingSpec(SizingBasis Basis, int Redundancy, double MarginFraction);

/// <summary>What a sizing rule gave: the design load and the capacity of each chiller.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="NameplateHeatW">Every rack at full load, W.</param>
/// <param name="DesignHeatW">The basis's heat load (nameplate or the design year's p99), W.</param>
/// <param name="Units">Chillers in the plant (the listed ones), N + redundancy.</param>
/// <param name="UnitCapacityW">Capacity of each chiller, W: design heat × (1 + margin) / N.</param>
public sealed record PlantSizingResult(PlantSizingSpec Rule, double NameplateHeatW, double DesignHeatW, int Units, double UnitCapacityW)
{
    /// <summary>The plant's capacity with every unit running, W.</summary>
    public double PlantCapacityW => Units * UnitCapacityW;

    /// <summary>The capacity with the redundant units out of service, W (the design load plus margin).</summary>
    public double FirmCapacityW => (Units - Rule.Redundancy) * UnitCapacityW;

    /// <summary>The rule and its result in words, as <c>dctwin validate</c> prints them.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"cooling sized on {(Rule.Basis == SizingBasis.Nameplate ? "nameplate" : "p99-load")}: design heat {DesignHeatW / 1e3:F1} kW "
        + $"(nameplate {NameplateHeatW / 1e3:F1} kW) + {Rule.MarginFraction * 100:G4} % margin = {FirmCapacityW / 1e3:F1} kW firm; "
        + $"{Units} chillers (N+{Rule.Redundancy}) of {UnitCapacityW / 1e3:F1} kW, {PlantCapacityW / 1e3:F1} kW installed");
}

/// <summary>Sizes a chiller plant from a rule: the design heat, then N duty units plus the redundant ones.</summary>
/// <remarks>
/// Every watt of IT power ends in the facility water (the CRAH coils and the CDUs both reject to it),
/// so the chillers' design load is the hall's IT heat. Fan and pump heat, a few per cent, is left to
/// the margin. The p99 load comes from an analytic pass of the fluid compute model alone: the
/// workload's own arrival processes, on the run's seed and control step, drive the hall through a
/// design year (365 days from the start, whatever the run's horizon) with the plant left out (full
/// clocks, no throttling), and the 99th percentile of the 8,760 hourly mean IT powers (nearest rank)
/// is the design load. The plant cannot shape the heat it is sized for, so leaving it out is exact
/// up to throttling, which a correctly sized plant avoids.
/// </remarks>
public static class PlantSizing
{
    private const int HoursPerYear = 8760;

    /// <summary>Capacity of each of <paramref name="units"/> chillers so that all but the redundant ones carry the load plus margin, W.</summary>
    public static double UnitCapacityW(double designHeatW, PlantSizingSpec rule, int units) =>
        designHeatW * (1 + rule.MarginFraction) / (units - rule.Redundancy);

    /// <summary>Sizes the plant of <paramref name="hall"/> with <paramref name="units"/> chillers.</summary>
    public static PlantSizingResult Size(PlantSizingSpec rule, int units, HallSpec hall, WorkloadSpec workload, RunSpec run)
    {
        double nameplate = hall.DesignPowerW;
        double design = rule.Basis == SizingBasis.Nameplate ? nameplate : P99HeatW(hall, workload, run);
        return new PlantSizingResult(rule, nameplate, design, units, UnitCapacityW(design, rule, units));
    }

    /// <summary>The 99th percentile of the hall's hourly mean IT power over a design year, W.</summary>
    public static double P99HeatW(HallSpec hall, WorkloadSpec workload, RunSpec run)
    {
        double[] hourly = HourlyItPowerW(hall, workload, run);
        Array.Sort(hourly);

        // Nearest rank: the smallest value with at least 99 % of the hours at or below it.
        int rank = (int)Math.Ceiling(0.99 * hourly.Length);
        return hourly[Math.Clamp(rank - 1, 0, hourly.Length - 1)];
    }

    /// <summary>The hall's hourly mean IT power over a design year from its own workload, W (8,760 values).</summary>
    public static double[] HourlyItPowerW(HallSpec hall, WorkloadSpec workload, RunSpec run)
    {
        // The same streams as the built twin's fluid hall draws on: the same seed gives the same year.
        var sim = new Simulator(run.Seed);
        var compute = new ComputeHallSpec(hall.Racks.Count, hall.Pools, [.. workload.Classes.Select(c => c.Class)], hall.Training, workload.TrainingJobs);
        var arrivals = workload.Classes.Select(c => c.Arrivals.Create(sim.Random.For($"workload/{c.Class.Name}/arrivals"))).ToList();
        // Only the racks' energy is read: the latencies (four fifths of a fluid step's time in a
        // profile of the design year) and the busy time and tokens served feed nothing back into power.
        var fluid = new FluidHall(compute, arrivals, sim.Random.For("workload/fluid-tokens"))
        {
            RecordsLatencyDistributions = false,
            RecordsLatencies = false,
            RecordsServed = false,
        };
        long stepTicks = SimTime.FromSeconds(run.ControlStepS).Ticks;
        long hourTicks = SimTime.FromSeconds(3600).Ticks;
        var hourly = new double[HoursPerYear];
        double before = 0;
        long now = 0;
        for (int h = 0; h < HoursPerYear; h++)
        {
            long end = (h + 1) * hourTicks;
            while (now < end)
            {
                now = Math.Min(now + stepTicks, end);
                fluid.AdvanceTo(new SimTime(now));
            }

            double energy = 0;
            for (int k = 0; k < fluid.RackCount; k++)
            {
                energy += fluid.RackEnergyJ(k);
            }

            hourly[h] = (energy - before) / 3600;
            before = energy;
        }

        return hourly;
    }
}

/// <summary>A sizing rule read from <c>cooling.sizing</c>, waiting for the workload to settle the unit capacity.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Units">Chillers listed in the plant.</param>
/// <param name="Resize">The cooling system with every chiller at the given capacity, W.</param>
public sealed record CoolingSizingDraft(PlantSizingSpec Rule, int Units, Func<double, Model.Cooling.CoolingSystemSpec> Resize);
