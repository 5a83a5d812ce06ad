namespace DataCenterTwin.Kernel.Random;

/// <summary>
/// Draws index i with probability weight[i] / Σ weight in O(1), by Vose's alias method. Built once,
/// sampled allocation-free.
/// </summary>
public sealed class DiscreteDistribution
{
    private readonly double[] _probability;
    private readonly int[] _alias;

    /// <summary>Builds the alias table of non-negative weights with a positive sum.</summary>
    /// <exception cref="ArgumentException">A weight is negative or not finite, or all are zero.</exception>
    public DiscreteDistribution(ReadOnlySpan<double> weights)
    {
        int n = weights.Length;
        double sum = 0;
        foreach (double w in weights)
        {
            if (!(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentException("Weights must be finite and non-negative.", nameof(weights));
            }

            sum += w;
        }

        if (n == 0 || !(sum > 0))
        {
            throw new ArgumentException("At least one weight must be positive.", nameof(weights));
        }

        _probability = new double[n];
        _alias = new int[n];
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = n - 1; i >= 0; i--)
        {
            scaled[i] = weights[i] * n / sum;
            (scaled[i] < 1.0 ? small : large).Push(i);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            _probability[s] = scaled[s];
            _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            (scaled[l] < 1.0 ? small : large).Push(l);
        }

        while (large.Count > 0)
        {
            _probability[large.Pop()] = 1.0;
        }

        while (small.Count > 0)
        {
            _probability[small.Pop()] = 1.0;
        }
    }

    /// <summary>The number of outcomes.</summary>
    public int Count => _probability.Length;

    /// <summary>Draws an outcome index.</summary>
    public int Sample(RandomStream rng)
    {
        int i = rng.NextInt(_probability.Length);
        return rng.NextDouble() < _probability[i] ? i : _alias[i];
    }
}
