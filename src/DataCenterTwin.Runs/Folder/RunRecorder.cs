using DataCenterTwin.Runs.Report;
using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Runs.Folder;

/// <summary>Keeps what the report plots from each output interval and event.</summary>
internal sealed class RunRecorder(RunRecording recording) : ITwinObserver
{
    /// <summary>What it reads of each rack's interval (the twin need keep no other sums for it).</summary>
    public static RackReadings RackReadingsRead => RackReadings.Power | RackReadings.Inlet;

    public void OnFacilityInterval(in FacilitySample s)
    {
        recording.AddPoint(s.StartS / 3600);
        recording.Add("it_kw", s.ItW / 1e3);
        recording.Add("cooling_kw", s.CoolingElectricW / 1e3);
        recording.Add("losses_kw", s.LossesW / 1e3);
        recording.Add("other_kw", s.OtherW / 1e3);
        recording.Add("pue", s.Pue);
        recording.Add("freed_kw", s.FreedW / 1e3);
        recording.Add("gas_kw", s.GasW / 1e3);
        recording.Add("chiller_electric_kw", s.ChillerElectricW / 1e3);
        recording.Add("gas_share", s.GasShare);
        recording.Add("inlet_max_c", s.InletMaxC);
        recording.Add("inlet_mean_c", s.InletMeanC);
        recording.Add("inlet_min_c", s.InletMinC);
        recording.Add("grid_kw", s.GridW / 1e3);
        recording.Add("grid_cap_kw", s.GridCapW / 1e3);
    }

    public void OnRackInterval(in RackSample interval) =>
        recording.AddRack(interval.Rack, interval.InletC, interval.PowerW, interval.DurationS);

    public void OnRackIntervals(ReadOnlySpan<RackSample> intervals)
    {
        foreach (ref readonly var interval in intervals)
        {
            recording.AddRack(interval.Rack, interval.InletC, interval.PowerW, interval.DurationS);
        }
    }

    // Reads no plant interval (RunFolder tells the twin to keep no plant sums without traces).
    public void OnPlantInterval(in PlantSample interval)
    {
    }

    public void OnEvent(in TwinEvent e)
    {
        if (e.Kind is TwinEventKind.EventStart or TwinEventKind.UpsDepleted or TwinEventKind.GeneratorOnline)
        {
            recording.Events.Add((e.TimeS / 3600, e.Description));
        }
    }
}
