using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Twin;

/// <summary>The control step's busy fractions: differences of the IT model's cumulative busy times.</summary>
public sealed partial class HallTwin
{
    private ItBusy _lastBusy;

    private void StepBusy(ref FacilitySample s)
    {
        var busy = _p.It.Busy;
        s.BatchOccupancy = busy.BatchOccupancy(_lastBusy, _stepS);
        s.ComputeBusy = busy.ComputeBusy(_lastBusy, _stepS);
        s.MemoryBusy = busy.MemoryBusy(_lastBusy, _stepS);
        _lastBusy = busy;
    }
}
