using DataCenterTwin.Kernel.Random;
using MathNet.Numerics.LinearAlgebra;

namespace DataCenterTwin.Calibration.Sampling;

/// <summary>One chain's draws after warm-up.</summary>
/// <param name="Draws">Kept draws, [draw, parameter].</param>
/// <param name="AcceptanceRate">Share of proposals accepted after warm-up.</param>
/// <param name="LogDensityEvaluations">Evaluations of the target, warm-up included.</param>
public sealed record ChainResult(double[,] Draws, double AcceptanceRate, long LogDensityEvaluations);

/// <summary>
/// Adaptive Metropolis (Haario, Saksman and Tamminen, "An adaptive Metropolis algorithm", Bernoulli
/// 7(2), 2001): a Gaussian random walk whose covariance is s_d·Cov(chain so far) + s_d·ε·I with
/// s_d = 2.4²/d. The covariance adapts during warm-up only and is frozen for the kept draws, so they
/// come from a fixed Metropolis kernel with the target as its stationary law.
/// </summary>
public sealed class AdaptiveMetropolis
{
    private const int RefactorEvery = 25;
    private readonly LogDensity _target;
    private readonly int _d;
    private readonly Matrix<double> _initialCovariance;
    private readonly double _scale;

    /// <summary>A sampler for <paramref name="target"/> over <paramref name="dimension"/> parameters, proposing with <paramref name="initialCovariance"/> until it adapts.</summary>
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

    /// <summary>Runs one chain from <paramref name="start"/>: warm-up, then <paramref name="draws"/> kept draws, every <paramref name="thin"/>-th.</summary>
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

        // Welford running mean and covariance of the warm-up states.
        var mean = (double[])theta.Clone();
        var m2 = new double[_d, _d];
        var delta = new double[_d];
        long n = 1;
        var chol = Cholesky(_initialCovariance);
        var kept = new double[draws, _d];
        long accepted = 0, proposed = 0;
        // A global scale on the proposal, adapted during warm-up towards a target acceptance rate by
        // Robbins–Monro steps (Andrieu and Thoms, "A tutorial on adaptive MCMC", Statistics and
        // Computing 18, 2008, Algorithm 4): the covariance learns the posterior's shape, the scale
        // rescues a start whose Laplace covariance is far too small or too large (a rough or very
        // narrow likelihood). The target is 0.44 in one dimension and 0.234 above (Roberts, Gelman
        // and Gilks, 1997).
        double logScale = 0;
        double targetAcceptance = _d == 1 ? 0.44 : 0.234;
        int total = warmup + draws * thin;
        for (int it = 0; it < total; it++)
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

                proposal[i] = theta[i] + Math.Exp(logScale) * s;
            }

            double candidate = _target(proposal);
            evaluations++;
            double alpha = double.IsNaN(candidate) ? 0 : Math.Min(1, Math.Exp(candidate - current));
            bool accept = !double.IsNaN(candidate) && Math.Log(rng.NextDouble()) < candidate - current;
            if (accept)
            {
                Array.Copy(proposal, theta, _d);
                current = candidate;
            }

            if (it < warmup)
            {
                // Steps of (t + 1)^−0.6 shrink fast enough to settle and slowly enough to move far.
                logScale += Math.Pow(it + 1, -0.6) * (alpha - targetAcceptance);
                n++;
                for (int i = 0; i < _d; i++)
                {
                    delta[i] = theta[i] - mean[i];
                    mean[i] += delta[i] / n;
                }

                for (int i = 0; i < _d; i++)
                {
                    for (int j = 0; j < _d; j++)
                    {
                        m2[i, j] += delta[i] * (theta[j] - mean[j]);
                    }
                }

                // Adapt after a tenth of the warm-up (Haario's t0), refactoring now and then.
                // A chain that has not moved yet has no shape to learn: keep the proposal it has.
                if (it >= warmup / 10 && it % RefactorEvery == 0 && Enumerable.Range(0, _d).Any(i => m2[i, i] > 0))
                {
                    chol = Cholesky(Adapted(m2, n));
                }

                continue;
            }

            proposed++;
            if (accept)
            {
                accepted++;
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

        return new ChainResult(kept, proposed > 0 ? (double)accepted / proposed : 0, evaluations);
    }

    private Matrix<double> Adapted(double[,] m2, long n)
    {
        var c = Matrix<double>.Build.Dense(_d, _d);
        double trace = 0;
        for (int i = 0; i < _d; i++)
        {
            trace += m2[i, i] / (n - 1);
        }

        // Haario's ε keeps the proposal non-singular; relative to the chain's own spread.
        double epsilon = 1e-6 * Math.Max(trace / _d, 1e-300);
        for (int i = 0; i < _d; i++)
        {
            for (int j = 0; j < _d; j++)
            {
                c[i, j] = _scale * (m2[i, j] / (n - 1) + (i == j ? epsilon : 0));
            }
        }

        return c;
    }

    private static double[,] Cholesky(Matrix<double> covariance) => covariance.Cholesky().Factor.ToArray();
}
