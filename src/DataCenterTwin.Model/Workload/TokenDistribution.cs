using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Workload;

/// <summary>A distribution of token counts (prompt or output), always at least 1.</summary>
public sealed class TokenDistribution
{
    private readonly EmpiricalDistribution? _empirical;
    private readonly double _mu;
    private readonly double _sigma;
    private readonly int _fixed;
    private readonly int _max;

    private TokenDistribution(EmpiricalDistribution? empirical, double mu, double sigma, int fixedValue, int max, double mean)
    {
        _empirical = empirical;
        _mu = mu;
        _sigma = sigma;
        _fixed = fixedValue;
        _max = max;
        Mean = mean;
    }

    /// <summary>The distribution's mean (of the untruncated form for lognormal), tokens.</summary>
    public double Mean { get; }

    /// <summary>Always <paramref name="tokens"/>.</summary>
    public static TokenDistribution Fixed(int tokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        return new TokenDistribution(null, 0, 0, tokens, tokens, tokens);
    }

    /// <summary>Lognormal with the given mean and coefficient of variation, rounded, clamped to [1, max].</summary>
    public static TokenDistribution LogNormal(double mean, double cv, int max)
    {
        if (!(mean >= 1) || !(cv > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), "Mean must be at least 1 and CV positive.");
        }

        double sigma2 = Math.Log(1 + cv * cv);
        return new TokenDistribution(null, Math.Log(mean) - sigma2 / 2, Math.Sqrt(sigma2), 0, max, mean);
    }

    /// <summary>Resamples observed counts (a bootstrap of, e.g., a trace's token columns).</summary>
    public static TokenDistribution Empirical(IReadOnlyCollection<int> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("At least one sample is needed.", nameof(samples));
        }

        return new TokenDistribution(EmpiricalDistribution.FromSamples(samples.Select(s => (double)Math.Max(1, s))), 0, 0, 0,
            int.MaxValue, samples.Average(s => (double)Math.Max(1, s)));
    }

    /// <summary>
    /// Whether a draw is one uniform read through an empirical table, so that
    /// <see cref="FromUniformsInPlace"/> of the stream's next doubles gives what <see cref="Sample"/> would.
    /// </summary>
    public bool IsOneUniform => _empirical is not null;

    /// <summary>
    /// For a distribution that <see cref="IsOneUniform"/>: replaces <c>u[start]</c>,
    /// <c>u[start + stride]</c>, … by the counts draws of those uniforms give (as doubles).
    /// </summary>
    public void FromUniformsInPlace(Span<double> u, int start, int stride) => _empirical!.QuantilesInPlace(u, start, stride);

    /// <summary>Draws a token count.</summary>
    public int Sample(RandomStream rng)
    {
        if (_empirical is not null)
        {
            return (int)_empirical.Sample(rng);
        }

        if (_fixed > 0)
        {
            return _fixed;
        }

        return (int)Math.Clamp(Math.Round(rng.LogNormal(_mu, _sigma)), 1, _max);
    }
}
