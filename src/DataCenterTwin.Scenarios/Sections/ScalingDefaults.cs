using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>The defaults of <c>hall.pools[].scaling</c> with <c>policy: slo-driven</c>; their sources are in assets/hardware/fleet-scaling.md.</summary>
public static class ScalingDefaults
{
    /// <summary>Share of the serving replicas' capacity the load should fill.</summary>
    public const double TargetUtilisation = 0.7;

    /// <summary>Kubernetes HPA's default downscale stabilisation window, s.</summary>
    public const double ScaleDownDelayS = 300;

    /// <summary>Weights load of Llama-2-70B-sized models, s (assumption between published optimised and plain loads).</summary>
    public const double WakeUpS = 60;

    /// <summary>Replicas that never park.</summary>
    public const int MinReplicas = 1;

    /// <summary>How often the fleet is sized, s (the usual control step).</summary>
    public const double IntervalS = 60;

    /// <summary>SLO-driven scaling with every default, parked replicas at idle power.</summary>
    public static ScalingSpec SloDriven => new(ScalingMode.SloDriven, TargetUtilisation, ScaleDownDelayS, WakeUpS, double.NaN, MinReplicas, IntervalS);
}
