using DataCenterTwin.Kernel.Random;
using MathNet.Numerics.LinearAlgebra;

namespace DataCenterTwin.Calibration.Sampling;

/// <summary>One chain's draws after warm-up.</summary>
/// <param name="Draws">Kept draws, [draw, parameter].</param>
/// <param name="AcceptanceRate">Share of proposals accepted after warm-up (both kinds of step).</param>
/// <param name="LogDensityEvaluations">Evaluations of the target, warm-up included.</param>
/// <param name="IndependenceAcceptanceRate">Share of the independence proposals accepted after warm-up (NaN when there were none).</param>
public sealed record ChainResult(double[,] Draws, double AcceptanceRate, long LogDensityEvaluations, double IndependenceAcceptanceRate = double.NaN);

/// <summary>A chain at the end of its warm-up.</summary>
/// <param name="Theta">Where it is.</param>
/// <param name="LogDensity">The target there.</param>
/// <param name="Cholesky">Lower Cholesky factor of the random walk's adapted covariance.</param>
/// <param name="LogScale">Log of the adapted global scale on it.</param>
/// <param name="LateDraws">The states of the warm-up's second half.</param>
/// <param name="Evaluations">Evaluations of the target so far.</param>
/// <param name="LateLogDensities">The target at each of <paramref name="LateDraws"/>, in order.</param>
public sealed record ChainState(double[] Theta, double LogDensity, double[,] Cholesky, double LogScale, IReadOnlyList<double[]> LateDraws, long Evaluations,
    IReadOnlyList<double> LateLogDensities)
{
    /// <summary>Mean of the target over the warm-up's second half (−∞ when it had none).</summary>
    public double LateMeanLogDensity => LateLogDensities.Count > 0 ? LateLogDensities.Average() : double.NegativeInfinity;
}

/// <summary>
/// Adaptive Metropolis (Haario, Saksman and Tamminen, "An adaptive Metropolis algorithm", Bernoulli
/// 7(2), 2001): a Gaussian random walk whose covariance is s_d·Cov(chain) with s_d = 2.4²/d, learnt
/// during warm-up only and frozen for the kept draws, so they come from a fixed kernel with the target
/// as its stationary law. After warm-up a share of the steps are independence proposals from a
/// multivariate Student-t fitted to the warm-up's second half (Tierney, "Markov chains for exploring
/// posterior distributions", Annals of Statistics 22(4), 1994, §2.3.2 and the mixtures of §2.4): where
/// the posterior is near its Laplace shape, as a calibration's usually is, such a step jumps across
/// the whole posterior at once, while the random walk keeps the chain moving where it is not.
/// </summary>
public sealed class AdaptiveMetropolis
{
    // Degrees of freedom of the independence proposal: tails heavier than a Gaussian posterior's, so
    // the ratio target/proposal stays bounded and the independence kernel is uniformly ergodic.
    private const int IndependenceNu = 5;

    // The independence proposal is a little wider than the warm-up's spread, which underestimates the
    // posterior's from a few hundred correlated draws.
    private const double IndependenceInflation = 1.3;

    private readonly LogDensity _target;
    private readonly int _d;
    private readonly Matrix<double> _initialCovariance;
    private readonly double _scale;

    /// <summary>A sampler for <paramref name="target"/> over <paramref name="dimension"/> parameters, proposing random-walk steps with covariance <paramref name="initialCovariance"/> until it adapts.</summary>
    public AdaptiveMetropolis(LogDensity target, int dimension, double[,] initialCovariance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _target = target;
        _d = dimension;
        _initialCovariance = Matrix<double>.Build.DenseOfArray(initialCovariance);
        if (_initialCovariance.RowCount != dimension || _initialCovariance.ColumnCount != dimension)
        {
            throw new ArgumentException($"the initial covariance must be {dimension}×{dimension}", nameof(initialCovariance));
        }

        _scale = 2.4 * 2.4 / dimension;
    }

    /// <summary>
    /// Share of the kept iterations that propose from the independence Student-t rather than the
    /// random walk (0: a pure adaptive random walk).
    /// </summary>
    public double IndependenceShare { get; init; }

    /// <summary>Runs one chain from <paramref name="start"/>: warm-up, then <paramref name="draws"/> kept draws, every <paramref name="thin"/>-th, the independence steps fitted to this chain's own warm-up.</summary>
    public ChainResult Run(double[] start, int warmup, int draws, int thin, RandomStream rng)
    {
        var state = Warmup(start, warmup, rng);
        return Sample(state, draws, thin, rng, state.LateDraws);
    }

    /// <summary>
    /// The warm-up alone, from <paramref name="start"/>: the chain's state at its end, with the draws
    /// of its second half, from which <see cref="Sample"/> fits its independence proposal (pooled over
    /// every chain's by <see cref="PosteriorSampler"/>).
    /// </summary>
    /// <remarks>
    /// Three stages, as Stan's windowed adaptation (Stan Reference Manual, "HMC algorithm parameters",
    /// §15.2): the first 15 % adapt only the proposal's global scale, from the given covariance, while
    /// the chain leaves its (deliberately overdispersed) start; the middle stage estimates the
    /// covariance over doubling windows, each estimate from its own window only, so the path from the
    /// start does not stretch it; the last 10 % adapt the scale to the final covariance. The scale
    /// follows Robbins–Monro steps towards the optimal acceptance rate (Andrieu and Thoms, "A tutorial
    /// on adaptive MCMC", Statistics and Computing 18, 2008, Algorithm 4; 0.44 in one dimension, 0.234
    /// above, Roberts, Gelman and Gilks, 1997).
    /// </remarks>
    public ChainState Warmup(double[] start, int warmup, RandomStream rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        var theta = (double[])start.Clone();
        var proposal = new double[_d];
        var z = new double[_d];
        double current = _target(theta);
        if (double.IsNegativeInfinity(current) || double.IsNaN(current))
        {
            throw new ArgumentException("the chain's start has zero posterior density", nameof(start));
        }

        var covariance = _initialCovariance;
        var chol = Cholesky(covariance) ?? Cholesky(Diagonal(covariance))!;
        var window = new Moments(_d);
        var late = new List<double[]>(warmup / 2 + 1);
        var lateLogDensities = new List<double>(warmup / 2 + 1);
        int stageOneEnd = (int)(0.15 * warmup), stageTwoEnd = (int)(0.9 * warmup);
        int windowSize = 25, windowEnd = stageOneEnd + windowSize + (4 * windowSize) > stageTwoEnd ? stageTwoEnd : stageOneEnd + windowSize;
        double logScale = 0;
        int scaleStep = 0;
        double targetAcceptance = _d == 1 ? 0.44 : 0.234;
        for (int it = 0; it < warmup; it++)
        {
            double candidate = Walk(theta, chol, Math.Exp(logScale), z, proposal, rng);
            double logRatio = candidate - current;
            if (!double.IsNaN(candidate) && Math.Log(rng.NextDouble()) < logRatio)
            {
                Array.Copy(proposal, theta, _d);
                current = candidate;
            }

            double alpha = double.IsNaN(logRatio) ? 0 : Math.Min(1, Math.Exp(logRatio));
            // Steps of (t + 1)^−0.6 shrink fast enough to settle and slowly enough to move far.
            logScale += Math.Pow(++scaleStep, -0.6) * (alpha - targetAcceptance);
            if (it >= warmup / 2)
            {
                late.Add((double[])theta.Clone());
                lateLogDensities.Add(current);
            }

            if (it >= stageOneEnd && it < stageTwoEnd)
            {
                window.Add(theta);
                if (it + 1 == windowEnd)
                {
                    // A window's estimate is shrunk towards the covariance before it (Stan shrinks
                    // towards a small multiple of I; ours are in different units, so towards the last).
                    if (window.Covariance() is { } c)
                    {
                        double n = window.Count;
                        var next = ((c * _scale * n) + (covariance * 5)) / (n + 5);
                        if (Cholesky(next) is { } factor)
                        {
                            covariance = next;
                            chol = factor;
                            logScale = 0;
                            scaleStep = 0;
                        }
                    }

                    window.Clear();
                    windowSize *= 2;
                    windowEnd = it + 1 + windowSize;
                    // A last window too short to estimate from (under twice the one before) joins it.
                    if (windowEnd + (2 * windowSize) > stageTwoEnd)
                    {
                        windowEnd = stageTwoEnd;
                    }
                }
            }
        }

        return new ChainState(theta, current, chol, logScale, [.. late], warmup + 1L, [.. lateLogDensities]);
    }

    /// <summary>
    /// The kept draws from a warmed-up <paramref name="state"/>: random-walk steps with the warm-up's
    /// covariance and scale, and a share <see cref="IndependenceShare"/> of independence steps from a
    /// Student-t fitted to <paramref name="fitTo"/> (draws of the warm-ups' second halves). Nothing
    /// adapts here, so the kept draws come from one fixed kernel that leaves the target invariant.
    /// </summary>
    public ChainResult Sample(ChainState state, int draws, int thin, RandomStream rng, IReadOnlyList<double[]> fitTo)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(thin, 1);
        var theta = (double[])state.Theta.Clone();
        double current = state.LogDensity;
        var proposal = new double[_d];
        var z = new double[_d];
        var independent = IndependenceShare > 0 ? Independence.Fit(fitTo, _d) : null;
        double step = Math.Exp(state.LogScale);
        var kept = new double[draws, _d];
        long evaluations = state.Evaluations, accepted = 0, proposed = 0, independentProposed = 0, independentAccepted = 0;
        int total = draws * thin;
        for (int k = 0; k < total; k++)
        {
            bool independence = independent is not null && rng.NextDouble() < IndependenceShare;
            double candidate, logRatio;
            if (independence)
            {
                independent!.Propose(rng, z, proposal);
                candidate = _target(proposal);
                logRatio = candidate - independent.LogDensity(proposal) - (current - independent.LogDensity(theta));
            }
            else
            {
                candidate = Walk(theta, state.Cholesky, step, z, proposal, rng);
                logRatio = candidate - current;
            }

            evaluations++;
            proposed++;
            bool accept = !double.IsNaN(candidate) && !double.IsNaN(logRatio) && Math.Log(rng.NextDouble()) < logRatio;
            if (accept)
            {
                Array.Copy(proposal, theta, _d);
                current = candidate;
                accepted++;
            }

            if (independence)
            {
                independentProposed++;
                if (accept)
                {
                    independentAccepted++;
                }
            }

            if (k % thin == thin - 1)
            {
                for (int i = 0; i < _d; i++)
                {
                    kept[k / thin, i] = theta[i];
                }
            }
        }

        return new ChainResult(kept, proposed > 0 ? (double)accepted / proposed : 0, evaluations,
            independentProposed > 0 ? (double)independentAccepted / independentProposed : double.NaN);
    }

    // One random-walk proposal θ + step·L·z into proposal; returns the target there.
    private double Walk(double[] theta, double[,] chol, double step, double[] z, double[] proposal, RandomStream rng)
    {
        for (int i = 0; i < _d; i++)
        {
            z[i] = rng.Normal(0, 1);
        }

        for (int i = 0; i < _d; i++)
        {
            double s = 0;
            for (int j = 0; j <= i; j++)
            {
                s += chol[i, j] * z[j];
            }

            proposal[i] = theta[i] + step * s;
        }

        return _target(proposal);
    }

    private static Matrix<double> Diagonal(Matrix<double> c) =>
        Matrix<double>.Build.DenseOfDiagonalArray([.. Enumerable.Range(0, c.RowCount).Select(i => Math.Max(c[i, i], 1e-300))]);

    private static double[,]? Cholesky(Matrix<double> covariance)
    {
        var symmetric = (covariance + covariance.Transpose()) / 2;
        for (int i = 0; i < symmetric.RowCount; i++)
        {
            if (!(symmetric[i, i] > 0) || !double.IsFinite(symmetric[i, i]))
            {
                return null;
            }
        }

        try
        {
            return symmetric.Cholesky().Factor.ToArray();
        }
        catch (ArgumentException)
        {
            // MathNet's report of a matrix that is not positive definite: the caller keeps what it had.
            return null;
        }
    }

    // Welford running mean and co-moments of the states.
    private sealed class Moments(int d)
    {
        private readonly double[] _delta = new double[d];
        private readonly double[,] _m2 = new double[d, d];

        public double[] Mean { get; } = new double[d];

        public long Count { get; private set; }

        public void Add(double[] x)
        {
            Count++;
            for (int i = 0; i < x.Length; i++)
            {
                _delta[i] = x[i] - Mean[i];
                Mean[i] += _delta[i] / Count;
            }

            for (int i = 0; i < x.Length; i++)
            {
                for (int j = 0; j < x.Length; j++)
                {
                    _m2[i, j] += _delta[i] * (x[j] - Mean[j]);
                }
            }
        }

        public void Clear()
        {
            Count = 0;
            Array.Clear(Mean);
            Array.Clear(_m2);
        }

        // Null until every parameter has moved: a chain that has not has no shape to learn.
        public Matrix<double>? Covariance()
        {
            if (Count < 3)
            {
                return null;
            }

            var c = Matrix<double>.Build.Dense(Mean.Length, Mean.Length, (i, j) => _m2[i, j] / (Count - 1));
            for (int i = 0; i < Mean.Length; i++)
            {
                if (!(c[i, i] > 0))
                {
                    return null;
                }
            }

            return c;
        }
    }

    // The multivariate Student-t independence proposal: location, scale's Cholesky factor and inverse.
    private sealed class Independence(double[] mean, double[,] chol, Matrix<double> inverse)
    {
        private readonly double[] _u = new double[mean.Length];

        // Fitted to the draws' mean and covariance, widened by IndependenceInflation; null when they do not span every parameter.
        public static Independence? Fit(IReadOnlyList<double[]> draws, int d)
        {
            var moments = new Moments(d);
            foreach (var x in draws)
            {
                moments.Add(x);
            }

            if (moments.Covariance() is not { } c)
            {
                return null;
            }

            var scale = c * (IndependenceInflation * IndependenceInflation);
            var factor = Cholesky(scale);
            return factor is null ? null : new Independence((double[])moments.Mean.Clone(), factor, ((scale + scale.Transpose()) / 2).Inverse());
        }

        public void Propose(RandomStream rng, double[] z, double[] into)
        {
            // t = μ + L·z / √(χ²_ν/ν), χ²_ν a sum of ν squared standard normals (ν whole).
            double chi = 0;
            for (int k = 0; k < IndependenceNu; k++)
            {
                double g = rng.Normal(0, 1);
                chi += g * g;
            }

            double w = 1 / Math.Sqrt(chi / IndependenceNu);
            for (int i = 0; i < mean.Length; i++)
            {
                z[i] = rng.Normal(0, 1);
            }

            for (int i = 0; i < mean.Length; i++)
            {
                double s = 0;
                for (int j = 0; j <= i; j++)
                {
                    s += chol[i, j] * z[j];
                }

                into[i] = mean[i] + w * s;
            }
        }

        // log q(x) up to a constant: −(ν + d)/2 · ln(1 + (x − μ)ᵀ Σ⁻¹ (x − μ) / ν).
        public double LogDensity(ReadOnlySpan<double> x)
        {
            int d = mean.Length;
            for (int i = 0; i < d; i++)
            {
                _u[i] = x[i] - mean[i];
            }

            double q = 0;
            for (int i = 0; i < d; i++)
            {
                double row = 0;
                for (int j = 0; j < d; j++)
                {
                    row += inverse[i, j] * _u[j];
                }

                q += _u[i] * row;
            }

            return -0.5 * (IndependenceNu + d) * Math.Log(1 + q / IndependenceNu);
        }
    }
}
