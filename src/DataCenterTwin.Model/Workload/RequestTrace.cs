namespace DataCenterTwin.Model.Workload;

/// <summary>
/// A request trace in memory: arrival offsets from the first request (µs ticks, non-decreasing)
/// with each request's prompt and output tokens. Importers (Azure LLM CSV) build it; replay reads it.
/// </summary>
public sealed class RequestTrace
{
    /// <summary>Creates a trace from parallel arrays (copied); offsets must start at 0 and not decrease.</summary>
    /// <exception cref="ArgumentException">Empty, unequal lengths, decreasing offsets or negative tokens.</exception>
    public RequestTrace(long[] offsetTicks, int[] promptTokens, int[] outputTokens)
    {
        if (offsetTicks.Length == 0 || offsetTicks.Length != promptTokens.Length || offsetTicks.Length != outputTokens.Length)
        {
            throw new ArgumentException("A trace needs at least one request and arrays of equal length.", nameof(offsetTicks));
        }

        for (int i = 0; i < offsetTicks.Length; i++)
        {
            if ((i == 0 ? offsetTicks[0] != 0 : offsetTicks[i] < offsetTicks[i - 1]) || promptTokens[i] < 0 || outputTokens[i] < 0)
            {
                throw new ArgumentException($"Request {i}: offsets must start at 0 and not decrease, tokens must not be negative.", nameof(offsetTicks));
            }
        }

        OffsetTicks = (long[])offsetTicks.Clone();
        PromptTokens = (int[])promptTokens.Clone();
        OutputTokens = (int[])outputTokens.Clone();
        foreach (int p in PromptTokens)
        {
            TotalPromptTokens += p;
        }

        foreach (int o in OutputTokens)
        {
            TotalOutputTokens += o;
        }
    }

    /// <summary>Arrival offsets from the first request, µs ticks.</summary>
    public long[] OffsetTicks { get; }

    /// <summary>Prompt (context) tokens per request.</summary>
    public int[] PromptTokens { get; }

    /// <summary>Output (generated) tokens per request.</summary>
    public int[] OutputTokens { get; }

    /// <summary>Number of requests.</summary>
    public int Count => OffsetTicks.Length;

    /// <summary>Time from the first to the last arrival, s.</summary>
    public double SpanS => OffsetTicks[^1] / 1e6;

    /// <summary>Sum of prompt tokens.</summary>
    public long TotalPromptTokens { get; }

    /// <summary>Sum of output tokens.</summary>
    public long TotalOutputTokens { get; }

    /// <summary>Mean arrival rate over the span, requests/s ((n − 1) gaps over the span).</summary>
    public double MeanRatePerS => Count < 2 || OffsetTicks[^1] == 0 ? 0 : (Count - 1) / SpanS;

    /// <summary>Coefficient of variation of the inter-arrival times (1 for Poisson).</summary>
    public double InterArrivalCv()
    {
        if (Count < 3)
        {
            return 0;
        }

        double mean = SpanS / (Count - 1), sq = 0;
        for (int i = 1; i < Count; i++)
        {
            double d = (OffsetTicks[i] - OffsetTicks[i - 1]) / 1e6 - mean;
            sq += d * d;
        }

        return Math.Sqrt(sq / (Count - 1)) / mean;
    }
}
