namespace DataCenterTwin.Model.Compute;

/// <summary>
/// An accelerator's power while it runs iterations, as a function of how much work an iteration
/// carries: tokens per accelerator per iteration, <c>n</c> (a decode iteration's batch, a prefill
/// iteration's prompt tokens, each divided by the replica's tensor-parallel degree). At full clocks
/// <c>P(n) = min(TDP, floor + (saturation − floor) · n / (n + halfSaturation))</c>: a memory-streaming
/// floor at small batches, rising and saturating as the iteration turns compute-bound (concave, so
/// the power at the mean batch overstates the mean power). The clock factor acts on the part above
/// idle (<see cref="AcceleratorSpec.DynamicScale"/>).
/// Coefficients are fitted to the ML.ENERGY Benchmark v3 (Chung et al. 2025): Llama-3.1-8B on one
/// H100 (assets/hardware/power-vs-batch.csv, README "Power follows the batch").
/// </summary>
/// <param name="FloorW">Busy power extrapolated to an empty iteration, W.</param>
/// <param name="SaturationW">Busy power at an unbounded batch, W (capped at the TDP).</param>
/// <param name="HalfSaturationTokens">Tokens per accelerator per iteration at which power is half way from floor to saturation.</param>
/// <param name="Source">Where the coefficients come from.</param>
public sealed record AcceleratorPowerModel(double FloorW, double SaturationW, double HalfSaturationTokens, string Source)
{
    /// <summary>TDP of the H100 SXM the fit was made on, W (NVIDIA H100 datasheet).</summary>
    public const double H100TdpW = 700;

    /// <summary>
    /// The H100 fit: least squares over the 11 H100 configurations of Llama-3.1-8B-Instruct (TP 1,
    /// lm-arena-chat, max_num_seqs 8…768) in the ML.ENERGY Leaderboard v3 data, by
    /// assets/hardware/fit_power_vs_batch.py: RMS error 9.8 W, mean absolute error 1.4 %; on the
    /// held-back Llama-3.1-70B and Llama-3.3-70B (TP 4, per GPU) 3.7 %, at most 9.5 %.
    /// </summary>
    public static readonly AcceleratorPowerModel H100 = new(417.0, 712.0, 30.0,
        "fit to ML.ENERGY Benchmark v3 (Chung et al. 2025), Llama-3.1-8B-Instruct on 1×H100, avg_power_watts vs avg_batch_size");

    /// <summary>
    /// The H100 fit scaled by TDP for an accelerator without published power-versus-batch data:
    /// floor and saturation in proportion to <paramref name="tdpW"/>, the same half-saturation batch.
    /// </summary>
    public static AcceleratorPowerModel ScaledFromH100(double tdpW) =>
        new(H100.FloorW * tdpW / H100TdpW, H100.SaturationW * tdpW / H100TdpW, H100.HalfSaturationTokens,
            $"assumption: H100 fit scaled by TDP {tdpW:0} W / {H100TdpW:0} W");

    /// <summary>Power of one accelerator running an iteration of <paramref name="tokensPerAccelerator"/> at full clocks, W.</summary>
    public double BusyW(double tokensPerAccelerator, double tdpW)
    {
        double n = Math.Max(0, tokensPerAccelerator);
        return Math.Min(tdpW, FloorW + ((SaturationW - FloorW) * n / (n + HalfSaturationTokens)));
    }
}
