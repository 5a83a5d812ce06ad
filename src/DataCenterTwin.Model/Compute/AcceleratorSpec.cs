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
    /// Power in a phase at a clock factor: idle power plus the phase's dynamic part times the factor
    /// (dynamic power proportional to clock frequency at fixed voltage; a throttled accelerator spends
    /// the same dynamic energy per iteration over a longer time), W.
    /// </summary>
    public double PowerW(AcceleratorPhase phase, double speedFactor) => phase switch
    {
        AcceleratorPhase.Prefill => IdleW + (PrefillW - IdleW) * speedFactor,
        AcceleratorPhase.Decode => IdleW + (DecodeW - IdleW) * speedFactor,
        _ => IdleW,
    };
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
