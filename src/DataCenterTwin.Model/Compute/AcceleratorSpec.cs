namespace DataCenterTwin.Model.Compute;

/// <summary>
/// An accelerator (GPU, ASIC, CPU socket) as the twin needs it: power by phase and memory. Values
/// come from assets/hardware/catalog.json, each with its source.
/// </summary>
/// <param name="Name">Catalog name (<c>H100-SXM</c>).</param>
/// <param name="TdpW">Thermal design power, W.</param>
/// <param name="IdleW">Power when idle (clocks up, no work), W.</param>
/// <param name="PrefillW">Power while running a prompt (prefill) iteration, W; compute-bound, near TDP.</param>
/// <param name="DecodeW">Power while running a token (decode) iteration, W; memory-bound, well below TDP.</param>
/// <param name="MemoryBytes">Accelerator memory, bytes.</param>
public sealed record AcceleratorSpec(string Name, double TdpW, double IdleW, double PrefillW, double DecodeW, double MemoryBytes)
{
    /// <summary>
    /// Power in a phase at a clock factor: idle power plus the phase's dynamic part scaled by
    /// <see cref="DynamicScale"/>, W.
    /// </summary>
    public double PowerW(AcceleratorPhase phase, double speedFactor) => phase switch
    {
        AcceleratorPhase.Prefill => IdleW + (PrefillW - IdleW) * DynamicScale(speedFactor),
        AcceleratorPhase.Decode => IdleW + (DecodeW - IdleW) * DynamicScale(speedFactor),
        _ => IdleW,
    };

    /// <summary>
    /// Dynamic power at a clock factor relative to full clocks. Dynamic power goes as f·V², and
    /// over a GPU's DVFS range the voltage falls roughly as √f, so it goes as f²: a capped or
    /// throttled accelerator spends less energy per iteration (f² power over 1/f the speed), which
    /// is why power capping works at any load and not only when the accelerator is saturated.
    /// </summary>
    public static double DynamicScale(double speedFactor) => speedFactor * speedFactor;
}

/// <summary>What an accelerator is doing.</summary>
public enum AcceleratorPhase
{
    /// <summary>No work.</summary>
    Idle = 0,

    /// <summary>Processing prompts (compute-bound).</summary>
    Prefill = 1,

    /// <summary>Generating tokens (memory-bound).</summary>
    Decode = 2,
}
