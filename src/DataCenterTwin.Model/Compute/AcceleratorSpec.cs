namespace DataCenterTwin.Model.Compute;

/// <summary>
/// An accelerator (GPU, ASIC, CPU socket) as the twin needs it: power by phase and load, memory and
/// its roofline ridge. Values come from assets/hardware/catalog.json, each with its source.
/// </summary>
/// <param name="Name">Catalog name (<c>H100-SXM</c>).</param>
/// <param name="TdpW">Thermal design power, W.</param>
/// <param name="IdleW">Power when idle (clocks up, no work), W; also the static part that the clock does not scale.</param>
/// <param name="PrefillW">Splitwise's prompt-phase power, W: a reference the fitted <see cref="PowerModel"/> is checked against, not what the twin draws.</param>
/// <param name="DecodeW">Splitwise's token-phase power, W: a reference as <paramref name="PrefillW"/>.</param>
/// <param name="MemoryBytes">Accelerator memory, bytes.</param>
/// <param name="Power">Busy power against tokens per iteration; <c>null</c>: the H100 fit scaled by TDP.</param>
/// <param name="RidgeFlopPerByte">
/// Peak dense 16-bit FLOP/s over memory bandwidth, FLOP/byte: the tokens per iteration at which an
/// iteration's compute time equals the time to stream its 16-bit weights. 0 when unknown: every
/// step is then taken as compute-bound and its time scales wholly with the clock.
/// </param>
public sealed record AcceleratorSpec(string Name, double TdpW, double IdleW, double PrefillW, double DecodeW, double MemoryBytes,
    AcceleratorPowerModel? Power = null, double RidgeFlopPerByte = 0)
{
    /// <summary>The busy-power model in use (the catalog's, or the H100 fit scaled by TDP).</summary>
    public AcceleratorPowerModel PowerModel { get; } = Power ?? AcceleratorPowerModel.ScaledFromH100(TdpW);

    /// <summary>The step-time split between clock-bound compute and clock-independent memory traffic.</summary>
    public Roofline Roofline => new(RidgeFlopPerByte);

    /// <summary>
    /// Power in a phase with <paramref name="tokensPerAccelerator"/> tokens in the iteration (decode:
    /// batch / tensor parallel; prefill: prompt tokens / tensor parallel) at a clock factor: idle
    /// power plus the busy power's part above idle scaled by <see cref="DynamicScale"/>, W.
    /// </summary>
    public double PowerW(AcceleratorPhase phase, double tokensPerAccelerator, double speedFactor) => phase == AcceleratorPhase.Idle
        ? IdleW
        : IdleW + ((PowerModel.BusyW(tokensPerAccelerator, TdpW) - IdleW) * DynamicScale(speedFactor));

    /// <summary>
    /// Power of one accelerator of a training rank, W: idle power plus, for the share of the time it
    /// computes (the rest it waits at the collective for the slowest rank), the job's utilisation of
    /// the span from idle to TDP scaled by <see cref="DynamicScale"/> at its clock factor. Both
    /// fidelities draw training power from here.
    /// </summary>
    /// <param name="utilisation">The job's utilisation of the accelerator while it computes, 0..1.</param>
    /// <param name="speedFactor">The rank's clock factor, 0..1.</param>
    /// <param name="computeShare">Share of the time the rank computes rather than waits, 0..1; 1 gives its power while it computes.</param>
    public double TrainingPowerW(double utilisation, double speedFactor, double computeShare) =>
        IdleW + (utilisation * (TdpW - IdleW) * DynamicScale(speedFactor) * computeShare);

    /// <summary>
    /// Dynamic power at a clock factor relative to full clocks. Dynamic power goes as f·V² (CMOS
    /// switching power, C·V²·f), and over a GPU's DVFS range the voltage falls roughly as √f, so it
    /// goes as f²: a capped or throttled accelerator spends less energy per iteration (f² power over
    /// 1/f the speed), which is why power capping works at any load and not only when the
    /// accelerator is saturated.
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
