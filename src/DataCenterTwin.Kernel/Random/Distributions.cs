using System.Runtime.CompilerServices;

namespace DataCenterTwin.Kernel.Random;

/// <summary>Continuous and simple discrete distributions drawn from a <see cref="RandomStream"/>.</summary>
public static class Distributions
{
    /// <summary>A uniform draw in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static double Uniform(this RandomStream rng, double min, double max) => min + (max - min) * rng.NextDouble();

    /// <summary>An exponential draw with the given mean (inversion; 1 − U avoids log 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exponential(this RandomStream rng, double mean) => -Math.Log(1.0 - rng.NextDouble()) * mean;

    /// <summary>A normal draw (Box–Muller, one of the pair: stateless, so checkpoints need no spare).</summary>
    public static double Normal(this RandomStream rng, double mean, double standardDeviation)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return mean + standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A lognormal draw: exp of a normal with parameters <paramref name="mu"/>, <paramref name="sigma"/>.</summary>
    public static double LogNormal(this RandomStream rng, double mu, double sigma) => Math.Exp(rng.Normal(mu, sigma));

    /// <summary>
    /// A gamma draw with shape k and scale θ (mean kθ): Marsaglia and Tsang (2000), with the
    /// U^(1/k) boost for k &lt; 1.
    /// </summary>
    public static double Gamma(this RandomStream rng, double shape, double scale)
    {
        if (!(shape > 0) || !(scale > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), "Gamma shape and scale must be positive.");
        }

        if (shape < 1.0)
        {
            double u = 1.0 - rng.NextDouble();
            return rng.Gamma(shape + 1.0, scale) * Math.Pow(u, 1.0 / shape);
        }

        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = rng.Normal(0.0, 1.0);
                v = 1.0 + c * x;
            }
            while (v <= 0.0);

            v = v * v * v;
            double u = 1.0 - rng.NextDouble();
            if (u < 1.0 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1.0 - v + Math.Log(v)))
            {
                return d * v * scale;
            }
        }
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public static bool Bernoulli(this RandomStream rng, double p) => rng.NextDouble() < p;
}
