using DataCenterTwin.Kernel.Random;
using MathNet.Numerics.LinearAlgebra;

namespace DataCenterTwin.Calibration.Sampling;

/// <summary>One chain's draws after warm-up.</summary>
/// <param name="Draws">Kept draws, [draw, parameter].</param>
/// <param name="AcceptanceRate">Share of proposals accepted after warm-up (both kinds of step).</param>
/// <param name="LogDensityEvaluations">Evaluations of the target, warm-up included.</param>
/// <param name="IndependenceAcceptanceRate">Share of the independence proposals accepted after warm-up (NaN when there were none).</param>
public sealed record ChainResult(double[,] Draws, double AcceptanceRate, long LogDensityEvaluations, double IndependenceAcceptanceRate = double.NaN);

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

    /// <summary>Runs one chain from <paramref name="start"/>: warm-up, then <paramref name="draws"/> kept draws, every <paramref name="thin"/>-th.</summary>
    /// <remarks>
    /// Warm-up in three stages, as Stan's windowed adaptation (Stan Reference Manual, "HMC algorithm
    /// parameters", §15.2): the first 15 % adapt only the proposal's global scale, from the given
    /// covariance, while the chain leaves its (deliberately overdispersed) start; the middle stage
    /// estimates the covariance over doubling windows, each estimate from its own window only, so
    /// the path from the start does not stretch it; the last 10 % adapt the scale to the final
    /// covariance. The scale follows Robbins–Monro steps towards the optimal acceptance rate
    /// (Andrieu and Thoms, "A tutorial on adaptive MCMC", Statistics and Computing 18, 2008,
    /// Algorithm 4; 0.44 in one dimension, 0.234 above, Roberts, Gelman and Gilks, 1997).
    /// </remarks>
    public ChainResult Run(double[] start, int warmup, int draws, int thin, RandomStream rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(thin, 1);
        var theta = (double[])start.Clone();
        var proposal = new double[_d];
        var z = new double[_d];
        long evaluations = 1;
        double current = _target(theta);
        if (double.IsNegativeInfinity(current) || double.IsNaN(current))
        {
            throw new ArgumentException("the chain's start has zero posterior density", nameof(start));
        }

        var covariance = _initialCovariance;
        var chol = Cholesky(covariance) ?? Cholesky(Diagonal(covariance))!;
        var window = new Moments(_d);
        var late = new Moments(_d);      // the warm-up's second half: the independence proposal's fit
        int stageOneEnd = (int)(0.15 * warmup), stageTwoEnd = (int)(0.9 * warmup);
        int windowSize = 25, windowEnd = stageOneEnd + windowSize + (4 * windowSize) > stageTwoEnd ? stageTwoEnd : stageOneEnd + windowSize;
        double logScale = 0;
        int scaleStep = 0;
        double targetAcceptance = _d == 1 ? 0.44 : 0.234;

        Independence? independent = null;
        var kept = new double[draws, _d];
        long accepted = 0, proposed = 0, independentProposed = 0, independentAccepted = 0;
        int total = warmup + draws * thin;
        for (int it = 0; it < total; it++)
        {
            bool independence = it >= warmup && independent is not null && rng.NextDouble() < IndependenceShare;
            double logRatio;
            double candidate;
            if (independence)
            {
                independent!.Propose(rng, z, proposal);
                candidate = _target(proposal);
                logRatio = candidate - independent.LogDensity(proposal) - (current - independent.LogDensity(theta));
            }
            else
            {
                for (int i = 0; i < _d; i++)
                {
                    z[i] = rng.Normal(0, 1);
                }

                double step = Math.Exp(logScale);
                for (int i = 0; i < _d; i++)
                {
                    double s = 0;
                    for (int j = 0; j <= i; j++)
                    {
                        s += chol[i, j] * z[j];
                    }

                    proposal[i] = theta[i] + step * s;
                }

                candidate = _target(proposal);
                logRatio = candidate - current;
            }

            evaluations++;
            bool accept = !double.IsNaN(candidate) && !double.IsNaN(logRatio) && Math.Log(rng.NextDouble()) < logRatio;
            if (accept)
            {
                Array.Copy(proposal, theta, _d);
                current = candidate;
            }

            if (it < warmup)
            {
                double alpha = double.IsNaN(logRatio) ? 0 : Math.Min(1, Math.Exp(logRatio));
                // Steps of (t + 1)^−0.6 shrink fast enough to settle and slowly enough to move far.
                logScale += Math.Pow(++scaleStep, -0.6) * (alpha - targetAcceptance);
                if (it >= warmup / 2)
                {
                    late.Add(theta);
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

                if (it + 1 == warmup && IndependenceShare > 0 && late.Covariance() is { } lc)
                {
                    independent = Independence.Fit(late.Mean, lc * (IndependenceInflation * IndependenceInflation));
                }

                continue;
            }

            proposed++;
            if (accept)
            {
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

            int k = it - warmup;
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

        public static Independence? Fit(double[] mean, Matrix<double> scale)
        {
            var factor = Cholesky(scale);
            return factor is null ? null : new Independence((double[])mean.Clone(), factor, ((scale + scale.Transpose()) / 2).Inverse());
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
