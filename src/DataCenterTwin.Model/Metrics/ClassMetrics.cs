namespace DataCenterTwin.Model.Metrics;

/// <summary>
/// Running figures of one request class: latency sketches (seconds), SLO attainment, counts,
/// tokens and attributed energy. Memory is fixed: nothing is stored per request.
/// </summary>
public sealed class ClassMetrics
{
    /// <summary>Creates empty metrics for a class.</summary>
    public ClassMetrics(string className) => ClassName = className;

    /// <summary>The class's name.</summary>
    public string ClassName { get; }

    /// <summary>Time to first token of completed requests, s.</summary>
    public QuantileSketch Ttft { get; } = new();

    /// <summary>Time per output token of completed requests with more than one output token, s.</summary>
    public QuantileSketch Tpot { get; } = new();

    /// <summary>End-to-end latency of completed requests, s.</summary>
    public QuantileSketch E2e { get; } = new();

    /// <summary>Requests that arrived.</summary>
    public long Arrived { get; internal set; }

    /// <summary>Requests completed.</summary>
    public long Completed { get; private set; }

    /// <summary>Requests rejected (admission control, no replica, too large).</summary>
    public long Rejected { get; private set; }

    /// <summary>Completed requests that met every SLO of the class.</summary>
    public long SloMet { get; private set; }

    /// <summary>Completed requests with at least one iteration below full clocks.</summary>
    public long ThrottleAffected { get; private set; }

    /// <summary>Prompt tokens of completed requests.</summary>
    public long PromptTokensServed { get; private set; }

    /// <summary>Output tokens of completed requests.</summary>
    public long OutputTokensServed { get; private set; }

    /// <summary>Preemptions (KV-cache evictions with recompute) of completed requests.</summary>
    public long Preemptions { get; private set; }

    /// <summary>Accelerator energy attributed to completed requests, J.</summary>
    public double EnergyJ { get; private set; }

    /// <summary>Fraction of finished (completed or rejected) requests that met their SLO; 1 when none finished.</summary>
    public double SloAttainment => Completed + Rejected == 0 ? 1 : SloMet / (double)(Completed + Rejected);

    /// <summary>Attributed accelerator energy per output token, J (0 when none served).</summary>
    public double EnergyPerOutputTokenJ => OutputTokensServed == 0 ? 0 : EnergyJ / OutputTokensServed;

    /// <summary>
    /// Sets every figure but <see cref="Arrived"/> to zero, to be summed again from parts
    /// (<see cref="AddFinishedOf"/>): a class split over dispatch groups keeps one part a group's
    /// lane, each added to on its lane's thread, and the class's figures are the parts added in lane
    /// order, so the sums depend on the parts and not on the threads.
    /// </summary>
    internal void ClearFinished()
    {
        Ttft.Clear();
        Tpot.Clear();
        E2e.Clear();
        Completed = Rejected = SloMet = ThrottleAffected = PromptTokensServed = OutputTokensServed = Preemptions = 0;
        EnergyJ = 0;
    }

    /// <summary>Adds the finished requests of <paramref name="part"/> (every figure but <see cref="Arrived"/>).</summary>
    internal void AddFinishedOf(ClassMetrics part)
    {
        if (part.Completed + part.Rejected == 0)
        {
            // Nothing to add (its sums are +0, which leave any sum as it is): a lane without the class.
            return;
        }

        Ttft.Merge(part.Ttft);
        Tpot.Merge(part.Tpot);
        E2e.Merge(part.E2e);
        Completed += part.Completed;
        Rejected += part.Rejected;
        SloMet += part.SloMet;
        ThrottleAffected += part.ThrottleAffected;
        PromptTokensServed += part.PromptTokensServed;
        OutputTokensServed += part.OutputTokensServed;
        Preemptions += part.Preemptions;
        EnergyJ += part.EnergyJ;
    }

    /// <summary>Adds one finished request.</summary>
    public void Add(in RequestRecord record)
    {
        if (record.Rejected)
        {
            Rejected++;
            return;
        }

        Completed++;
        Ttft.Add(record.TtftS);
        if (record.OutputTokens > 1)
        {
            Tpot.Add(record.TpotS);
        }

        E2e.Add(record.E2eS);
        if (record.SloMet)
        {
            SloMet++;
        }

        if (record.Throttled)
        {
            ThrottleAffected++;
        }

        PromptTokensServed += record.PromptTokens;
        OutputTokensServed += record.OutputTokens;
        Preemptions += record.Preemptions;
        EnergyJ += record.EnergyJ;
    }
}
