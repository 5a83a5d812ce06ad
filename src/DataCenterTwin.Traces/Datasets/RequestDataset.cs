using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.Traces.Datasets;

/// <summary>The <c>requests</c> dataset: one row per request, served or rejected.</summary>
public sealed class RequestDataset : IDisposable
{
    /// <summary>The columns, in order.</summary>
    public static readonly TraceColumn[] Columns =
    [
        new("request_id", ColumnType.Int64, "", "Sequence number in arrival order, from 0."),
        new("class", ColumnType.Category, "", "Request class."),
        new("model", ColumnType.Category, "", "Model served."),
        new("arrival", ColumnType.Timestamp, "UTC", "When the request arrived."),
        new("dispatch", ColumnType.Timestamp, "UTC", "When it was sent to a replica (after any deferral)."),
        new("first_token", ColumnType.Timestamp, "UTC", "When its first output token was produced."),
        new("completion", ColumnType.Timestamp, "UTC", "When its last token was produced, or when it was rejected."),
        new("prompt_tokens", ColumnType.Int32, "tokens", "Prompt (context) tokens."),
        new("output_tokens", ColumnType.Int32, "tokens", "Output (generated) tokens."),
        new("replica", ColumnType.Int32, "", "Replica index in the hall; -1 when rejected before dispatch."),
        new("accelerator", ColumnType.Int32, "", "First accelerator of the replica, hall-wide; -1 when rejected."),
        new("rack", ColumnType.Int32, "", "Rack of the replica; -1 when rejected."),
        new("ttft_s", ColumnType.Double, "s", "Time to first token."),
        new("tpot_s", ColumnType.Double, "s", "Time per output token after the first."),
        new("e2e_s", ColumnType.Double, "s", "End-to-end latency."),
        new("slo_met", ColumnType.Boolean, "", "Whether every objective of the class's SLO was met."),
        new("rejected", ColumnType.Boolean, "", "Whether the request was rejected."),
        new("reject_reason", ColumnType.Category, "", "none, slo_unreachable, defer_limit, no_replica, too_large or shed."),
        new("throttled", ColumnType.Boolean, "", "Whether any of its iterations ran below full clocks."),
        new("preemptions", ColumnType.Int32, "", "Times it was evicted from the KV cache and recomputed."),
        new("energy_j", ColumnType.Double, "J", "Accelerator energy attributed to it (each iteration's energy split over its batch)."),
    ];

    private static readonly string[] Reasons = ["none", "slo_unreachable", "defer_limit", "no_replica", "too_large", "shed"];
    private readonly TraceTable _table;
    private readonly DateTime _startUtc;
    private readonly string[] _classNames;
    private readonly string[] _models;

    /// <summary>Opens the dataset under the run folder.</summary>
    public RequestDataset(string runDirectory, DateTime startUtc, IReadOnlyList<(string Class, string Model)> classes, TraceFileOptions options,
        IReadOnlyDictionary<string, string> metadata)
    {
        _table = new TraceTable(runDirectory, "requests", Columns, options, metadata);
        _startUtc = startUtc;
        _classNames = [.. classes.Select(c => c.Class)];
        _models = [.. classes.Select(c => c.Model)];
    }

    /// <summary>The table the rows go to.</summary>
    public TraceTable Table => _table;

    /// <summary>Rows written.</summary>
    public long RowCount => _table.RowCount;

    /// <summary>Writes one request.</summary>
    public void Write(in RequestRecord r)
    {
        var arrival = _startUtc.AddTicks(r.Arrival.Ticks * 10);
        _table.StartRow(arrival);
        int c = 0;
        _table.Set(c++, r.Id);
        _table.Set(c++, _classNames[r.ClassIndex]);
        _table.Set(c++, _models[r.ClassIndex]);
        _table.Set(c++, arrival);
        _table.Set(c++, _startUtc.AddTicks(r.Dispatch.Ticks * 10));
        _table.Set(c++, _startUtc.AddTicks(r.FirstToken.Ticks * 10));
        _table.Set(c++, _startUtc.AddTicks(r.Completion.Ticks * 10));
        _table.Set(c++, r.PromptTokens);
        _table.Set(c++, r.OutputTokens);
        _table.Set(c++, r.Replica);
        _table.Set(c++, r.Accelerator);
        _table.Set(c++, r.Rack);
        _table.Set(c++, r.TtftS);
        _table.Set(c++, r.TpotS);
        _table.Set(c++, r.E2eS);
        _table.Set(c++, r.SloMet);
        _table.Set(c++, r.Rejected);
        _table.Set(c++, Reasons[(int)r.Reason]);
        _table.Set(c++, r.Throttled);
        _table.Set(c++, r.Preemptions);
        _table.Set(c, r.EnergyJ);
        _table.EndRow();
    }

    /// <summary>Writes what is buffered and completes the file (an empty one if there is none yet and <paramref name="ensureFile"/>).</summary>
    public void Complete(bool ensureFile = true) => _table.Complete(ensureFile);

    /// <inheritdoc/>
    public void Dispose() => _table.Dispose();
}
