using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Compute;

/// <summary>One request class at fluid level: counts are expected numbers of requests (not whole), latencies weighted by them.</summary>
public sealed class FluidClassMetrics
{
    /// <summary>Creates the metrics of a class.</summary>
    public FluidClassMetrics(string className) => ClassName = className;

    /// <summary>The class.</summary>
    public string ClassName { get; }

    /// <summary>Requests that arrived.</summary>
    public double Arrived { get; internal set; }

    /// <summary>Requests served.</summary>
    public double Completed { get; internal set; }

    /// <summary>Requests shed by the controller.</summary>
    public double Rejected { get; internal set; }

    /// <summary>Requests served within every objective of the class's SLO.</summary>
    public double SloMet { get; internal set; }

    /// <summary>Output tokens served.</summary>
    public double OutputTokensServed { get; internal set; }

    /// <summary>Prompt tokens served.</summary>
    public double PromptTokensServed { get; internal set; }

    /// <summary>Time to first token, s.</summary>
    public WeightedQuantiles Ttft { get; } = new();

    /// <summary>Time per output token, s.</summary>
    public WeightedQuantiles Tpot { get; } = new();

    /// <summary>End-to-end latency, s.</summary>
    public WeightedQuantiles E2e { get; } = new();

    /// <summary>Share of arrived requests served within the SLO (shed requests miss it).</summary>
    public double SloAttainment => Completed + Rejected > 0 ? SloMet / (Completed + Rejected) : 1;
}
