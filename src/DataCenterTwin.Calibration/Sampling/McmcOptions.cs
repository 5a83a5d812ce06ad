namespace DataCenterTwin.Calibration.Sampling;

/// <summary>Which Markov kernel the chains run.</summary>
public enum McmcSampler
{
    /// <summary>Adaptive Metropolis (Haario et al. 2001) with a share of Student-t independence steps (<see cref="AdaptiveMetropolis"/>).</summary>
    AdaptiveMetropolis,

    /// <summary>Differential-evolution chains with a past archive and snooker updates, DE-MC_Z (ter Braak and Vrugt 2008; <see cref="DifferentialEvolutionSampler"/>).</summary>
    DifferentialEvolution,
}

/// <summary>How the posterior is sampled.</summary>
/// <param name="Chains">Independent chains, run on separate cores.</param>
/// <param name="Warmup">Warm-up iterations per chain (adapting, discarded).</param>
/// <param name="Draws">Kept draws per chain.</param>
/// <param name="Thin">Keep every thin-th iteration after warm-up.</param>
/// <param name="Seed">Seed; each chain draws from its own stream, so results do not depend on scheduling.</param>
/// <param name="MaxParallelism">Most chains at once (−1: every core).</param>
/// <param name="IndependenceShare">Share of the kept iterations proposing from the Student-t fitted to the warm-up (<see cref="AdaptiveMetropolis.IndependenceShare"/>); 0 for a pure random walk.</param>
/// <param name="StrandedLogDensityGap">A chain whose mean log posterior over its late warm-up lies this far below the best chain's is stranded on a negligible mode and restarted from the others' draws (<see cref="PosteriorSampler"/>); +∞ never restarts one.</param>
/// <param name="Sampler">The kernel: adaptive Metropolis with independence steps, or differential-evolution chains over a past archive (DE-MC_Z, <see cref="DifferentialEvolutionSampler"/>).</param>
public sealed record McmcOptions(int Chains = 4, int Warmup = 2000, int Draws = 2000, int Thin = 1, ulong Seed = 42, int MaxParallelism = -1, double IndependenceShare = 0.5,
    double StrandedLogDensityGap = 10, McmcSampler Sampler = McmcSampler.AdaptiveMetropolis);
