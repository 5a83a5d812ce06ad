namespace DataCenterTwin.Model.Workload;

/// <summary>A request class's latency objectives, s; infinity means no objective.</summary>
/// <param name="TtftS">Time to first token, s.</param>
/// <param name="TpotS">Mean time per output token after the first, s.</param>
/// <param name="E2eS">End-to-end latency, s.</param>
public sealed record SloSpec(double TtftS = double.PositiveInfinity, double TpotS = double.PositiveInfinity, double E2eS = double.PositiveInfinity)
{
    /// <summary>Whether a served request's latencies meet every objective.</summary>
    public bool IsMet(double ttftS, double tpotS, double e2eS) => ttftS <= TtftS && tpotS <= TpotS && e2eS <= E2eS;
}
