using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// The arrival rate a compute model expects over a span of time: the profile its arrival processes
/// follow (diurnal hours, a replayed trace's bins) with any arrival scale in force. The controller
/// reads it to see a rise in load coming before the power meter does.
/// </summary>
public interface IArrivalForecast
{
    /// <summary>Requests per second the hall expects, summed over its classes, averaged over [<paramref name="from"/>, <paramref name="to"/>).</summary>
    double ExpectedArrivalRatePerS(SimTime from, SimTime to);
}
