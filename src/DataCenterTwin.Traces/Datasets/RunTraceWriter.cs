using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.Traces.Datasets;

/// <summary>
/// Writes a run's datasets (facility, racks, plant, events and, at request level, requests) as the
/// run goes; <see cref="Complete"/> finishes every file, <see cref="Dispose"/> alone leaves only
/// the files already complete.
/// </summary>
public sealed class RunTraceWriter : ITwinObserver, IRequestSink, IDisposable
{
    private readonly FacilityDataset _facility;
    private readonly RackDataset _racks;
    private readonly PlantDataset _plant;
    private readonly EventDataset _events;
    private readonly RequestDataset? _requests;

    /// <summary>Opens every dataset under <paramref name="runDirectory"/>.</summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="startUtc">UTC time of the start of the run.</param>
    /// <param name="classes">Request classes and their models, for the requests dataset; null for no requests dataset.</param>
    /// <param name="options">Compression, row groups, partitioning.</param>
    /// <param name="metadata">File metadata: scenario hash, seed, version.</param>
    public RunTraceWriter(string runDirectory, DateTime startUtc, IReadOnlyList<(string Class, string Model)>? classes, TraceFileOptions options,
        IReadOnlyDictionary<string, string> metadata)
    {
        _facility = new FacilityDataset(runDirectory, startUtc, options, metadata);
        _racks = new RackDataset(runDirectory, startUtc, options, metadata);
        _plant = new PlantDataset(runDirectory, startUtc, options, metadata);
        _events = new EventDataset(runDirectory, startUtc, options, metadata);
        _requests = classes is null ? null : new RequestDataset(runDirectory, startUtc, classes, options, metadata);
    }

    /// <summary>Rows written per dataset.</summary>
    public IReadOnlyDictionary<string, long> RowCounts => new Dictionary<string, long>
    {
        ["facility"] = _facility.RowCount,
        ["racks"] = _racks.RowCount,
        ["plant"] = _plant.RowCount,
        ["events"] = _events.RowCount,
        ["requests"] = _requests?.RowCount ?? 0,
    };

    /// <inheritdoc/>
    public void OnFacilityInterval(in FacilitySample interval) => _facility.Write(interval);

    /// <inheritdoc/>
    public void OnRackInterval(in RackSample interval) => _racks.Write(interval);

    /// <inheritdoc/>
    public void OnPlantInterval(in PlantSample interval) => _plant.Write(interval);

    /// <inheritdoc/>
    public void OnEvent(in TwinEvent e) => _events.Write(e);

    /// <inheritdoc/>
    public void OnFinished(in RequestRecord record) => _requests?.Write(record);

    /// <summary>Every file completed so far, relative to the run folder.</summary>
    public IEnumerable<string> CompletedFiles =>
        new[] { _facility.Table, _racks.Table, _plant.Table, _events.Table, _requests?.Table }
            .Where(t => t is not null).SelectMany(t => t!.CompletedFiles.Select(f => Path.Combine(t.Name, f)));

    /// <summary>Writes what is buffered and completes every file; writing may go on (into new files).</summary>
    /// <param name="atCheckpoint">A checkpoint: a dataset with no rows yet gets no empty file.</param>
    public void Complete(bool atCheckpoint = false)
    {
        _facility.Complete(!atCheckpoint);
        _racks.Complete(!atCheckpoint);
        _plant.Complete(!atCheckpoint);
        _events.Complete(!atCheckpoint);
        _requests?.Complete(!atCheckpoint);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _facility.Dispose();
        _racks.Dispose();
        _plant.Dispose();
        _events.Dispose();
        _requests?.Dispose();
    }
}
