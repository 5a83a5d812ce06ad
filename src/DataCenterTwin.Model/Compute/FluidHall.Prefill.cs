namespace DataCenterTwin.Model.Compute;

// Prefill batches at fluid level. Request level runs the queued prompts of a replica as one
// prefill iteration over their summed tokens (up to the batch's token budget), and the serving
// profile's prefill time is convex in those tokens (attention grows with the sequence: on
// Llama-2-70B/8×H100 4,096 tokens take 2.85× as long as 2,048). The expected time of a batch of k
// random prompts is therefore neither k times one prompt's nor the time of k mean prompts scaled by
// one prompt's spread: summing k prompts narrows their relative spread by √k. Scaling P(k·mean) by
// the single-prompt factor E[P(x)]/P(mean) overstated a batch of two 2,048-token code prompts
// (CV 0.8) by 29 % and made the fluid code pool 11 % hungrier than request level. Each class keeps,
// per pool, the expected time of the prefill iterations that admit k queued prompts, from its own
// token samples taken in arrival order and split at the token budget as request level splits them.
public sealed partial class FluidHall
{
    /// <summary>Queued prompts up to which the fluid hall keeps the expected prefill time; beyond, it scales the last by the profile.</summary>
    internal const int PrefillBatchTableSize = 64;

    private double[][]? _poolStepBatchS;

    // Expected full-clock time, s, of the prefill iterations that admit k = 1…PrefillBatchTableSize
    // queued prompts (index k − 1): consecutive groups of k samples, split where the next prompt
    // would take a non-empty iteration past the token budget.
    private static double[] PrefillBatches(int[] prompts, PoolSpec pool)
    {
        var serving = pool.Serving;
        long budget = pool.Batching.MaxPrefillTokens;
        var table = new double[PrefillBatchTableSize];
        for (int k = 1; k <= PrefillBatchTableSize; k++)
        {
            int groups = prompts.Length / k;
            double sum = 0;
            for (int g = 0; g < groups; g++)
            {
                long tokens = 0;
                for (int i = g * k; i < (g + 1) * k; i++)
                {
                    if (tokens > 0 && tokens + prompts[i] > budget)
                    {
                        sum += serving.PrefillTimeS(tokens);
                        tokens = 0;
                    }

                    tokens += prompts[i];
                }

                sum += serving.PrefillTimeS(tokens);
            }

            table[k - 1] = groups > 0 ? sum / groups : serving.PrefillTimeS(k * prompts.Average());
        }

        return table;
    }

    // The pool's table for this step: its classes' tables weighted by their arrival rates (batches
    // taken as of one class at a time). Null when no class arrives.
    private double[]? MixPrefillBatches(int poolIndex, double lambda)
    {
        if (!(lambda > 0))
        {
            return null;
        }

        _poolStepBatchS ??= CreateTables(_pools.Length);
        var mix = _poolStepBatchS[poolIndex];
        Array.Clear(mix);
        for (int c = 0; c < _classes.Length; c++)
        {
            double w = _classRate[c] * _classShare[c][poolIndex] / lambda;
            if (w > 0 && _classes[c].PrefillBatchS[poolIndex] is { } table)
            {
                for (int k = 0; k < mix.Length; k++)
                {
                    mix[k] += w * table[k];
                }
            }
        }

        return mix;
    }

    private static double[][] CreateTables(int pools)
    {
        var t = new double[pools][];
        for (int i = 0; i < pools; i++)
        {
            t[i] = new double[PrefillBatchTableSize];
        }

        return t;
    }

    /// <summary>
    /// Full-clock time of the prefill iterations that admit <paramref name="k"/> queued prompts of mean
    /// <paramref name="prompt"/> tokens, s: from the expected-time table where there is one (linear in
    /// k between its entries, beyond it the last entry scaled along the profile), else the profile at
    /// k·prompt scaled by <paramref name="shape"/> (one prompt's E[P(x)]/P(mean)).
    /// </summary>
    internal static double PrefillBatchS(double[]? table, ServingModel serving, double k, double prompt, double shape)
    {
        k = Math.Max(1, k);
        if (table is null)
        {
            return serving.PrefillTimeS(k * prompt) * shape;
        }

        if (k >= table.Length)
        {
            double last = serving.PrefillTimeS(table.Length * prompt);
            return last > 0 ? table[^1] * serving.PrefillTimeS(k * prompt) / last : table[^1] * k / table.Length;
        }

        int lo = (int)Math.Floor(k);
        double frac = k - lo;
        return table[lo - 1] + (frac * (table[lo] - table[lo - 1]));
    }
}
