using MathNet.Numerics.Differentiation;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace DataCenterTwin.Calibration.Sampling;

/// <summary>The posterior's mode and the Laplace approximation around it.</summary>
/// <param name="Mode">The maximum a posteriori parameters.</param>
/// <param name="LogDensityAtMode">The log posterior there.</param>
/// <param name="Covariance">Inverse of the negative log posterior's Hessian at the mode (Laplace), or null where it is not positive definite.</param>
/// <param name="Evaluations">Log-posterior evaluations used.</param>
public sealed record MapResult(double[] Mode, double LogDensityAtMode, double[,]? Covariance, long Evaluations);

/// <summary>A fast first estimate: Nelder–Mead on the negative log posterior, then a numerical Hessian there.</summary>
public static class MapEstimate
{
    /// <summary>Finds the mode from <paramref name="start"/>, with first steps of <paramref name="scales"/> per parameter.</summary>
    /// <remarks>
    /// The search stops when the simplex's values agree to <paramref name="tolerance"/> (relative) or
    /// after <paramref name="maxIterations"/>; either way the best point evaluated is the mode.
    /// </remarks>
    public static MapResult Find(LogDensity logPosterior, double[] start, double[] scales, int maxIterations = 5000, double tolerance = 1e-10)
    {
        long evaluations = 0;
        double best = double.MaxValue;
        double[] bestPoint = (double[])start.Clone();
        double Negative(double[] x)
        {
            evaluations++;
            double v = logPosterior(x);
            double negative = double.IsFinite(v) ? -v : double.MaxValue;
            if (negative < best)
            {
                best = negative;
                bestPoint = (double[])x.Clone();
            }

            return negative;
        }

        var objective = ObjectiveFunction.Value(v => Negative(v.ToArray()));
        try
        {
            NelderMeadSimplex.Minimum(objective, Vector<double>.Build.DenseOfArray(start), Vector<double>.Build.DenseOfArray(scales), tolerance, maxIterations);
        }
        catch (Exception ex) when (ex.GetType().Name == "MaximumIterationsException")
        {
            // MathNet's out-of-iterations exception (not in its documented surface); the best point so far is kept (a costly target is given a budget, not a hang).
        }

        double[] mode = bestPoint;
        double[,]? covariance = null;
        // Central differences at a step a thousandth of each scale (the Hessian is of −log p).
        var hessian = Matrix<double>.Build.DenseOfArray(new NumericalHessian(3, 1).Evaluate(x => Negative(x), mode));
        hessian = (hessian + hessian.Transpose()) / 2;
        if (hessian.Evd().EigenValues.All(e => e.Real > 0))
        {
            covariance = hessian.Inverse().ToArray();
        }

        return new MapResult(mode, logPosterior(mode), covariance, evaluations + 1);
    }
}
