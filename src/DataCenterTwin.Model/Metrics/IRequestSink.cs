namespace DataCenterTwin.Model.Metrics;

/// <summary>
/// Receives each request's record when it completes or is rejected (a Parquet writer, a test's
/// list). Called on the simulation thread inside an event; it must not schedule events.
/// </summary>
public interface IRequestSink
{
    /// <summary>Called once per finished (completed or rejected) request.</summary>
    void OnFinished(in RequestRecord record);
}
