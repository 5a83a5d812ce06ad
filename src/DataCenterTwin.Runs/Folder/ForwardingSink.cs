using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Runs.Folder;

/// <summary>Passes finished requests on once a target is set (a resumed run replays without writing).</summary>
internal sealed class ForwardingSink : IRequestSink
{
    public IRequestSink? Target { get; set; }

    public void OnFinished(in RequestRecord record) => Target?.OnFinished(record);
}
