using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Calibration.Priors;

/// <summary>A parameter's prior: its log density (up to a constant), a draw, and its spread.</summary>
public abstract record Prior
{
    /// <summary>Log density at <paramref name="x"/>, up to a constant; −∞ outside the support.</summary>
    public abstract double LogDensity(double x);

    /// <summary>A draw from the prior.</summary>
    public abstract double Sample(RandomStream rng);

    /// <summary>The prior's mean.</summary>
    public abstract double Mean { get; }

    /// <summary>The prior's standard deviation.</summary>
    public abstract double StandardDeviation { get; }

    private protected static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"a prior's {name} must be a positive number, got {value}");
        }
    }
}

/// <summary>Normal prior.</summary>
public sealed record NormalPrior : Prior
{
    /// <summary>A normal prior of the given mean and standard deviation (&gt; 0).</summary>
    public NormalPrior(double mean, double standardDeviation)
    {
        RequirePositive(standardDeviation, "scale");
        Mu = mean;
        Sigma = standardDeviation;
    }

    /// <summary>Mean.</summary>
    public double Mu { get; }

    /// <summary>Standard deviation.</summary>
    public double Sigma { get; }

    /// <inheritdoc/>
    public override double LogDensity(double x) => -0.5 * ((x - Mu) / Sigma) * ((x - Mu) / Sigma);

    /// <inheritdoc/>
    public override double Sample(RandomStream rng) => rng.Normal(Mu, Sigma);

    /// <inheritdoc/>
    public override double Mean => Mu;

    /// <inheritdoc/>
    public override double StandardDeviation => Sigma;
}

/// <summary>Log-normal prior, for positive parameters such as a thermal resistance or a heat capacity.</summary>
public sealed record LogNormalPrior : Prior
{
    /// <summary>A log-normal prior: log x is normal with mean <paramref name="mu"/> and standard deviation <paramref name="sigma"/> (&gt; 0).</summary>
    public LogNormalPrior(double mu, double sigma)
    {
        RequirePositive(sigma, "scale");
        Mu = mu;
        Sigma = sigma;
    }

    /// <summary>Mean of log x.</summary>
    public double Mu { get; }

    /// <summary>Standard deviation of log x.</summary>
    public double Sigma { get; }

    /// <inheritdoc/>
    public override double LogDensity(double x)
    {
        if (x <= 0)
        {
            return double.NegativeInfinity;
        }

        double z = (Math.Log(x) - Mu) / Sigma;
        return -0.5 * z * z - Math.Log(x);
    }

    /// <inheritdoc/>
    public override double Sample(RandomStream rng) => rng.LogNormal(Mu, Sigma);

    /// <inheritdoc/>
    public override double Mean => Math.Exp(Mu + 0.5 * Sigma * Sigma);

    /// <inheritdoc/>
    public override double StandardDeviation => Mean * Math.Sqrt(Math.Exp(Sigma * Sigma) - 1);
}

/// <summary>Uniform prior on [lower, upper].</summary>
public sealed record UniformPrior : Prior
{
    /// <summary>A uniform prior; <paramref name="upper"/> must exceed <paramref name="lower"/>.</summary>
    public UniformPrior(double lower, double upper)
    {
        RequirePositive(upper - lower, "width");
        Lower = lower;
        Upper = upper;
    }

    /// <summary>Lower bound.</summary>
    public double Lower { get; }

    /// <summary>Upper bound.</summary>
    public double Upper { get; }

    /// <inheritdoc/>
    public override double LogDensity(double x) => x >= Lower && x <= Upper ? 0 : double.NegativeInfinity;

    /// <inheritdoc/>
    public override double Sample(RandomStream rng) => rng.Uniform(Lower, Upper);

    /// <inheritdoc/>
    public override double Mean => 0.5 * (Lower + Upper);

    /// <inheritdoc/>
    public override double StandardDeviation => (Upper - Lower) / Math.Sqrt(12);
}
