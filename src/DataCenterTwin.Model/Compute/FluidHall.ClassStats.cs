using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

// Each class's token quantiles and prefill times, sampled once when the hall is built.
public sealed partial class FluidHall
{
    private static ClassStats Stats(RequestClass cls, IReadOnlyList<PoolSpec> pools, double[] shares, RandomStream rng)
    {
        const int n = 16384;
        var prompts = new double[n];
        var inOrder = new int[n];
        var outputs = new double[n];
        var prefill = new double[pools.Count];
        for (int i = 0; i < n; i++)
        {
            inOrder[i] = cls.PromptTokens.Sample(rng);
            prompts[i] = inOrder[i];
            outputs[i] = cls.OutputTokens.Sample(rng);
            for (int p = 0; p < pools.Count; p++)
            {
                prefill[p] += pools[p].Serving.PrefillTimeS(prompts[i]);
            }
        }

        var stats = new ClassStats
        {
            Slo = cls.Slo,
            MeanPrompt = cls.PromptTokens.Mean,
            MeanOutput = cls.OutputTokens.Mean,
            MeanPrefill1S = [.. prefill.Select(x => x / n)],
            PrefillBatchS = [.. pools.Select((p, i) => shares[i] > 0 ? PrefillBatches(inOrder, p) : null)],
        };
        Array.Sort(prompts);
        Array.Sort(outputs);
        for (int j = 0; j < TokenQuantiles; j++)
        {
            int i = Math.Min(n - 1, (int)(FluidLatency.StratumLevel(j) * n));
            stats.PromptQ[j] = prompts[i];
            stats.OutputQ[j] = outputs[i];
        }

        return stats;
    }
}
