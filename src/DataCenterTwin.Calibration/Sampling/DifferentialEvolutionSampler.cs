using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Calibration.Sampling;

/// <summary>What <see cref="DifferentialEvolutionSampler.Run"/> gives back: each chain's kept draws and the restarts of warm-up.</summary>
/// <param name="Chains">Each chain's result, in chain order.</param>
/// <param name="RestartedChains">Chains found stranded on a negligible mode at the end of warm-up and moved to another chain's late state.</param>
/// <param name="ArchiveSize">States in the archive at the end.</param>
public sealed record DifferentialEvolutionResult(IReadOnlyList<ChainResult> Chains, int RestartedChains, int ArchiveSize);

/// <summary>
/// Differential-evolution Markov chains with a past archive and the snooker update, DE-MC_Z (ter
/// Braak and Vrugt, "Differential Evolution Markov Chain with snooker updater and fewer chains",
/// Statistics and Computing 18(4), 2008, after ter Braak, "A Markov Chain Monte Carlo version of the
/// genetic algorithm Differential Evolution", Statistics and Computing 16(3), 2006). A chain proposes
/// x* = x + γ(z₁ − z₂) + e, with z₁, z₂ two states drawn from an archive Z of the chains' past states
/// (one added per chain every <see cref="ArchiveEvery"/> generations) and e a small jitter: the jumps
/// take the posterior's own shape and scale, so along a ridge (two parameters correlated at 0.995, as
/// the twin's tower approach and supply temperature are) they run along it, where a random walk fitted
/// to a few hundred states steps mostly across it. With probability <see cref="ModeJumpShare"/> γ = 1,
/// a jump from one archived state's neighbourhood to another's, which carries a chain between modes
/// (nooks of a terraced likelihood) that the archive has visited. A share <see cref="SnookerShare"/>
/// of the steps are snooker updates: along the line through x and an archived z, by the projection of
/// z₁ − z₂ on it, γ ~ U(1.2, 2.2), accepted with the Jacobian factor (‖x* − z‖ / ‖x − z‖)^(d − 1).
/// </summary>
/// <remarks>
/// The chains advance in lockstep generations: within one, every chain reads the same archive and
/// draws from its own stream, and states join the archive only between generations, in chain order,
/// so the draws do not depend on how the chains are scheduled on cores. With the archive held fixed,
/// both moves are Metropolis–Hastings kernels that leave the target invariant (the pair (z₁, z₂) is as
/// likely as (z₂, z₁), so the parallel-direction proposal is symmetric; the snooker's Jacobian term
/// makes it reversible); the archive's growth is the adaptation whose effect vanishes as it grows
/// (ter Braak and Vrugt 2008, §3). At the end of warm-up, the archive keeps only the states of the
/// warm-up's second half, from chains that are not stranded: the start (drawn wide, so that R-hat can
/// see chains that have not mixed) and a stranded chain's mode would otherwise keep supplying jumps
/// far larger than the posterior for the whole run.
/// </remarks>
public sealed class DifferentialEvolutionSampler
{
    private readonly LogDensity _target;
    private readonly int _d;
    private readonly double[] _jitter;
    private readonly double _gamma;

    /// <summary>
    /// A sampler for <paramref name="target"/> over <paramref name="dimension"/> parameters; the jitter
    /// e has sd <paramref name="jitterScales"/> per parameter (small against the posterior: it only
    /// keeps the proposal from being confined to the archive's finite set of differences).
    /// </summary>
    public DifferentialEvolutionSampler(LogDensity target, int dimension, double[] jitterScales)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (jitterScales.Length != dimension || jitterScales.Any(s => !(s >= 0) || !double.IsFinite(s)))
        {
            throw new ArgumentException($"expected {dimension} finite, non-negative jitter scales", nameof(jitterScales));
        }

        _target = target;
        _d = dimension;
        _jitter = (double[])jitterScales.Clone();
        // ter Braak (2006), §2: 2.38/√(2d), optimal for Gaussian targets as 2.38/√d is for the random walk.
        _gamma = 2.38 / Math.Sqrt(2.0 * dimension);
    }

    /// <summary>Share of the steps that are snooker updates (ter Braak and Vrugt 2008 use 0.1).</summary>
    public double SnookerShare { get; init; } = 0.1;

    /// <summary>Share of the parallel-direction steps with γ = 1, jumping between modes (ter Braak 2006, §2: one in ten).</summary>
    public double ModeJumpShare { get; init; } = 0.1;

    /// <summary>Generations between additions of the chains' states to the archive (K = 10 in ter Braak and Vrugt 2008).</summary>
    public int ArchiveEvery { get; init; } = 10;

    /// <summary>
    /// Runs one chain from each of <paramref name="starts"/>, proposing from <paramref name="initialArchive"/>
    /// (about 10·d states spread over the prior or a wide Laplace approximation) grown by the chains'
    /// own states: <paramref name="warmup"/> generations discarded, then <paramref name="draws"/> kept per
    /// chain, every <paramref name="thin"/>-th. Chain c draws from <paramref name="rngs"/>[c] alone.
    /// A chain whose mean log density over its late warm-up lies more than <paramref name="strandedGap"/>
    /// below the best chain's restarts from another chain's late warm-up state, as in
    /// <see cref="PosteriorSampler.RestartStranded"/>.
    /// </summary>
    public DifferentialEvolutionResult Run(IReadOnlyList<double[]> starts, IReadOnlyList<double[]> initialArchive, int warmup, int draws, int thin,
        IReadOnlyList<RandomStream> rngs, int maxParallelism = -1, double strandedGap = double.PositiveInfinity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(thin, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ArchiveEvery, 1);
        int n = starts.Count;
        if (n < 1 || rngs.Count != n)
        {
            throw new ArgumentException("expected one random stream per start, and at least one start", nameof(rngs));
        }

        if (initialArchive.Count < 3 || initialArchive.Any(z => z.Length != _d))
        {
            throw new ArgumentException($"the initial archive needs at least 3 states of {_d} parameters", nameof(initialArchive));
        }

        var chains = new Chain[n];
        for (int c = 0; c < n; c++)
        {
            chains[c] = new Chain(starts[c], _target(starts[c]), _d, draws, warmup);
            if (!double.IsFinite(chains[c].LogDensity))
            {
                throw new ArgumentException($"chain {c}'s start has zero posterior density", nameof(starts));
            }
        }

        var archive = new List<double[]>(initialArchive.Count + (n * (warmup + draws * thin) / ArchiveEvery) + n);
        var owner = new List<int>(archive.Capacity);
        foreach (var z in initialArchive)
        {
            archive.Add((double[])z.Clone());
            owner.Add(-1);
        }

        int lateStart = warmup / 2;
        int archiveLateStart = archive.Count;
        int restarted = 0;
        int total = warmup + draws * thin;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism };
        for (int gen = 0; gen < total; gen++)
        {
            bool kept = gen >= warmup;
            if (n == 1 || maxParallelism == 1)
            {
                for (int c = 0; c < n; c++)
                {
                    Step(chains[c], archive, rngs[c], kept);
                }
            }
            else
            {
                Parallel.For(0, n, parallel, c => Step(chains[c], archive, rngs[c], kept));
            }

            if (gen == lateStart)
            {
                archiveLateStart = archive.Count;
            }

            if (!kept && gen >= lateStart)
            {
                foreach (var chain in chains)
                {
                    chain.RememberLate();
                }
            }

            if (gen == warmup - 1)
            {
                restarted = RestartStranded(chains, strandedGap, rngs);
                Prune(archive, owner, archiveLateStart, chains);
            }

            if ((gen + 1) % ArchiveEvery == 0)
            {
                for (int c = 0; c < n; c++)
                {
                    archive.Add((double[])chains[c].Theta.Clone());
                    owner.Add(c);
                }
            }

            if (kept && (gen - warmup) % thin == thin - 1)
            {
                int row = (gen - warmup) / thin;
                foreach (var chain in chains)
                {
                    chain.Keep(row);
                }
            }
        }

        var results = chains.Select(c => new ChainResult(c.Draws, c.Proposed > 0 ? (double)c.Accepted / c.Proposed : 0, c.Evaluations)).ToArray();
        return new DifferentialEvolutionResult(results, restarted, archive.Count);
    }

    // One generation's step of one chain: it reads the archive and writes only its own state.
    private void Step(Chain chain, List<double[]> archive, RandomStream rng, bool kept)
    {
        int m = archive.Count;
        var x = chain.Theta;
        var proposal = chain.Proposal;
        double logCorrection = 0;
        if (rng.NextDouble() < SnookerShare)
        {
            // Snooker (ter Braak and Vrugt 2008, Fig. 2): z, z₁, z₂ distinct archive states.
            int a = rng.NextInt(m), r1 = Other(rng, m, a, -1), r2 = Other(rng, m, a, r1);
            var z = archive[a];
            double norm2 = 0, p1 = 0, p2 = 0;
            for (int i = 0; i < _d; i++)
            {
                double dir = x[i] - z[i];
                norm2 += dir * dir;
                p1 += archive[r1][i] * dir;
                p2 += archive[r2][i] * dir;
            }

            if (!(norm2 > 0))
            {
                // x on z: the line is undefined; the chain stays (no evaluation), as the paper skips such z.
                chain.Count(kept, accepted: false, evaluated: false);
                return;
            }

            double gamma = 1.2 + rng.NextDouble();
            double step = gamma * (p1 - p2) / norm2;
            double after = 0;
            for (int i = 0; i < _d; i++)
            {
                proposal[i] = x[i] + step * (x[i] - z[i]);
                double r = proposal[i] - z[i];
                after += r * r;
            }

            // (d − 1)·ln(‖x* − z‖ / ‖x − z‖), from the squared norms.
            logCorrection = 0.5 * (_d - 1) * (Math.Log(after) - Math.Log(norm2));
        }
        else
        {
            int r1 = rng.NextInt(m), r2 = Other(rng, m, r1, -1);
            double gamma = rng.NextDouble() < ModeJumpShare ? 1.0 : _gamma;
            for (int i = 0; i < _d; i++)
            {
                proposal[i] = x[i] + gamma * (archive[r1][i] - archive[r2][i]) + (_jitter[i] > 0 ? _jitter[i] * rng.Normal(0, 1) : 0);
            }
        }

        double candidate = _target(proposal);
        double logRatio = candidate - chain.LogDensity + logCorrection;
        bool accept = !double.IsNaN(candidate) && !double.IsNaN(logRatio) && Math.Log(rng.NextDouble()) < logRatio;
        if (accept)
        {
            Array.Copy(proposal, x, _d);
            chain.LogDensity = candidate;
        }

        chain.Count(kept, accept, evaluated: true);
    }

    // A uniform index in [0, m) other than a and b (m ≥ 3 keeps this short).
    private static int Other(RandomStream rng, int m, int a, int b)
    {
        int k;
        do
        {
            k = rng.NextInt(m);
        }
        while (k == a || k == b);
        return k;
    }

    private static int RestartStranded(Chain[] chains, double gap, IReadOnlyList<RandomStream> rngs)
    {
        double best = chains.Max(c => c.LateMeanLogDensity);
        if (!double.IsFinite(best) || !(gap < double.PositiveInfinity))
        {
            return 0;
        }

        var donors = chains.Where(c => c.LateMeanLogDensity >= best - gap).ToArray();
        int restarted = 0;
        for (int c = 0; c < chains.Length; c++)
        {
            if (chains[c].LateMeanLogDensity >= best - gap)
            {
                continue;
            }

            // The donor and its state come from the stranded chain's own stream: the same restart whatever the scheduling.
            var donor = donors[rngs[c].NextInt(donors.Length)];
            int at = rngs[c].NextInt(donor.LateStates.Count);
            chains[c].MoveTo(donor.LateStates[at], donor.LateLogDensities[at]);
            restarted++;
        }

        return restarted;
    }

    // Keeps the archive's states from the late warm-up of chains that were not restarted, when at least three remain.
    private static void Prune(List<double[]> archive, List<int> owner, int lateStart, Chain[] chains)
    {
        var keep = new List<double[]>(archive.Count);
        var keepOwner = new List<int>(archive.Count);
        for (int k = lateStart; k < archive.Count; k++)
        {
            if (owner[k] >= 0 && !chains[owner[k]].Restarted)
            {
                keep.Add(archive[k]);
                keepOwner.Add(owner[k]);
            }
        }

        if (keep.Count < 3)
        {
            return;
        }

        archive.Clear();
        archive.AddRange(keep);
        owner.Clear();
        owner.AddRange(keepOwner);
    }

    // One chain's state, counters, late warm-up memory and kept draws.
    private sealed class Chain(double[] start, double logDensity, int d, int draws, int warmup)
    {
        private double _lateSum;

        public double[] Theta { get; } = (double[])start.Clone();

        public double[] Proposal { get; } = new double[d];

        public double LogDensity { get; set; } = logDensity;

        public double[,] Draws { get; } = new double[draws, d];

        public List<double[]> LateStates { get; } = new(warmup / 2 + 1);

        public List<double> LateLogDensities { get; } = new(warmup / 2 + 1);

        public long Evaluations { get; private set; } = 1;

        public long Proposed { get; private set; }

        public long Accepted { get; private set; }

        public bool Restarted { get; private set; }

        public double LateMeanLogDensity => LateLogDensities.Count > 0 ? _lateSum / LateLogDensities.Count : double.NegativeInfinity;

        public void Count(bool kept, bool accepted, bool evaluated)
        {
            if (evaluated)
            {
                Evaluations++;
            }

            if (kept)
            {
                Proposed++;
                if (accepted)
                {
                    Accepted++;
                }
            }
        }

        public void RememberLate()
        {
            LateStates.Add((double[])Theta.Clone());
            LateLogDensities.Add(LogDensity);
            _lateSum += LogDensity;
        }

        public void MoveTo(double[] theta, double logDensity)
        {
            Array.Copy(theta, Theta, Theta.Length);
            LogDensity = logDensity;
            Restarted = true;
        }

        public void Keep(int row)
        {
            for (int i = 0; i < Theta.Length; i++)
            {
                Draws[row, i] = Theta[i];
            }
        }
    }
}
