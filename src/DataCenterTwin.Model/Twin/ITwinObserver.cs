namespace DataCenterTwin.Model.Twin;

/// <summary>
/// What the twin tells its outputs (reports, Parquet traces, live streams) as the run goes. It
/// calls these on the simulation thread; an observer copies what it needs and returns quickly.
/// </summary>
public interface ITwinObserver
{
    /// <summary>An output interval of the facility closed.</summary>
    void OnFacilityInterval(in FacilitySample interval);

    /// <summary>An output interval of one rack closed.</summary>
    void OnRackInterval(in RackSample interval);

    /// <summary>The output interval of every rack closed, in rack order: by default one <see cref="OnRackInterval"/> each.</summary>
    void OnRackIntervals(ReadOnlySpan<RackSample> intervals)
    {
        foreach (ref readonly var interval in intervals)
        {
            OnRackInterval(interval);
        }
    }

    /// <summary>An output interval of one piece of plant equipment closed.</summary>
    void OnPlantInterval(in PlantSample interval);

    /// <summary>Something worth logging happened.</summary>
    void OnEvent(in TwinEvent e);
}
