namespace DataCenterTwin.Model.Compute;

/// <summary>How a pool sizes its serving fleet.</summary>
public enum ScalingMode
{
    /// <summary>Every replica serves all the time.</summary>
    AlwaysOn,

    /// <summary>Active replicas follow the load: enough to hold a target share of their capacity; the rest park.</summary>
    SloDriven,
}

/// <summary>
/// A pool's scaling policy. With <see cref="ScalingMode.SloDriven"/>, every <see cref="IntervalS"/>
/// the pool wants ⌈λ / (target × C)⌉ active replicas (λ: its arrival rate over the interval, C: one
/// replica's capacity at the interval's mean tokens and full clocks), at least
/// <see cref="MinReplicas"/>. More wanted: parked replicas wake and serve after
/// <see cref="WakeUpS"/> (loading weights, at idle power); requests that find no active replica
/// wait for a waking one. Fewer wanted for <see cref="ScaleDownDelayS"/>: the surplus stops taking
/// requests, finishes what it holds and parks at <see cref="ParkedAcceleratorW"/> per accelerator.
/// Replicas park from the end of the pool and wake from its start, so load consolidates on the
/// first racks.
/// </summary>
/// <param name="Mode">Always on, or SLO-driven.</param>
/// <param name="TargetUtilisation">Share of the active replicas' capacity the load should fill, 0–1.</param>
/// <param name="ScaleDownDelayS">How long the load must stay below the active fleet before replicas park, s.</param>
/// <param name="WakeUpS">Time from waking a parked replica to its first iteration, s.</param>
/// <param name="ParkedAcceleratorW">Power of each accelerator of a parked replica, W (its idle power, or the floor of a powered-down state).</param>
/// <param name="MinReplicas">Replicas that never park.</param>
/// <param name="IntervalS">How often the fleet is sized, s.</param>
public sealed record ScalingSpec(ScalingMode Mode, double TargetUtilisation, double ScaleDownDelayS, double WakeUpS, double ParkedAcceleratorW,
    int MinReplicas, double IntervalS)
{
    /// <summary>Every replica on, all the time.</summary>
    public static readonly ScalingSpec AlwaysOn = new(ScalingMode.AlwaysOn, 1, 0, 0, double.NaN, 0, 60);

    /// <summary>
    /// With a value, the fleet is sized on predicted time to first token instead of utilisation: the
    /// fewest active replicas whose predicted mean TTFT at the load (the fluid solution both fidelities
    /// share, <see cref="FluidHall.ReplicasForTtft"/>) is at most this, s. NaN: size on
    /// <see cref="TargetUtilisation"/>.
    /// </summary>
    public double TargetTtftS { get; init; } = double.NaN;

    /// <summary>Whether the fleet is sized on predicted TTFT (<see cref="TargetTtftS"/>) rather than utilisation.</summary>
    public bool SizesOnTtft => !double.IsNaN(TargetTtftS);

    /// <summary>Active replicas the load asks for: ⌈λ / (target × C)⌉ within [<see cref="MinReplicas"/>, <paramref name="replicas"/>], at least one while requests arrive.</summary>
    public int Wanted(double arrivalsPerS, double replicaCapacityPerS, int replicas)
    {
        double need = arrivalsPerS <= 0 ? 0 : replicaCapacityPerS > 0 ? arrivalsPerS / (TargetUtilisation * replicaCapacityPerS) : replicas;
        return Clamp((int)Math.Ceiling(need - 1e-9), arrivalsPerS, replicas);
    }

    /// <summary>A replica count <paramref name="wanted"/> held within [<see cref="MinReplicas"/>, <paramref name="replicas"/>], at least one while requests arrive.</summary>
    public int Clamp(int wanted, double arrivalsPerS, int replicas)
    {
        if (arrivalsPerS > 0)
        {
            wanted = Math.Max(wanted, 1);
        }

        return Math.Clamp(wanted, Math.Min(MinReplicas, replicas), replicas);
    }
}
