namespace DataCenterTwin.Model.Compute;

/// <summary>
/// How an iteration's time splits between compute, which runs at the core clock, and memory
/// traffic, which does not (HBM has its own clock). Roofline basis (Williams, Waterman and
/// Patterson, "Roofline", CACM 2009): an iteration over <c>n</c> tokens of a dense model with 16-bit
/// weights does about 2·params·n FLOPs against 2·params bytes of weights streamed, an arithmetic
/// intensity of <c>n</c> FLOP/byte; against the ridge <c>R</c> = peak FLOP/s / bandwidth its compute
/// time is <c>n/R</c> of its memory time. Decode at batch 8 on an H100 (R ≈ 295) is 97 % memory time;
/// a 2,048-token prefill is 87 % compute. The two are taken as not overlapping, so at clock factor
/// <c>f</c> a step takes <c>T·(c/f + 1 − c)</c> with <c>c = x/(1+x)</c>, <c>x = n/R</c>: the cautious
/// side of the roofline (perfect overlap would be <c>max</c>), which still leaves decode's time
/// nearly flat under a cap while prefill's scales, as Patel et al. ("Characterizing Power Management
/// Opportunities for LLMs in the Cloud", ASPLOS 2024) measured. KV-cache reads, which would make
/// decode more memory-bound still, are left out.
/// </summary>
/// <param name="RidgeFlopPerByte">Peak FLOP/s over memory bandwidth; 0: unknown, every step compute-bound.</param>
public readonly record struct Roofline(double RidgeFlopPerByte)
{
    /// <summary>Share of a full-clock step spent in compute, 0–1, for an iteration over <paramref name="tokensPerIteration"/> tokens.</summary>
    public double ComputeShare(double tokensPerIteration)
    {
        if (!(RidgeFlopPerByte > 0))
        {
            return 1;
        }

        double x = Math.Max(0, tokensPerIteration) / RidgeFlopPerByte;
        return x / (1 + x);
    }

    /// <summary>
    /// Progress rate of a step with compute share <paramref name="computeShare"/> at clock factor
    /// <paramref name="clock"/>, relative to full clocks: full-clock seconds of work done per second.
    /// 0 when the clock is stopped.
    /// </summary>
    public static double StepSpeed(double computeShare, double clock) =>
        clock <= 0 ? 0 : 1 / ((computeShare / clock) + (1 - computeShare));

    /// <summary>Progress rate of an iteration over <paramref name="tokensPerIteration"/> tokens at clock factor <paramref name="clock"/>.</summary>
    public double StepSpeedAt(double tokensPerIteration, double clock) => StepSpeed(ComputeShare(tokensPerIteration), clock);
}
