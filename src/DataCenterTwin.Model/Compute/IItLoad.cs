using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// The IT side of the hall as the facility sees it: racks that turn work into power, and that the
/// thermal side and the controller can slow down. Request-level and fluid-level compute both
/// implement it, so the power, thermal, cooling and grid models do not care which one runs.
/// </summary>
public interface IItLoad
{
    /// <summary>Number of racks; rack indices run from 0 to <c>RackCount - 1</c>.</summary>
    int RackCount { get; }

    /// <summary>Brings the energy accounting (and, for a fluid model, its state) up to <paramref name="now"/>.</summary>
    void AdvanceTo(SimTime now);

    /// <summary>IT energy the rack has used since the start of the run, joules (exact between events).</summary>
    double RackEnergyJ(int rack);

    /// <summary>Mean accelerator utilisation (busy time over available time) since the start, 0..1.</summary>
    double MeanUtilisation { get; }

    /// <summary>Busy time by kind since the start (compute, memory, batch occupancy), up to the last <see cref="AdvanceTo"/>.</summary>
    ItBusy Busy { get; }

    /// <summary>Accelerators in rack <paramref name="rack"/>, serving and training (0 for a rack without any).</summary>
    int RackAccelerators(int rack);

    /// <summary>
    /// Writes each rack's mean accelerator utilisation since the start (busy time over available
    /// time, 0..1) into <paramref name="utilisation"/>, one per rack: <see cref="MeanUtilisation"/>
    /// rack by rack, read at the same time, so their mean weighted by <see cref="RackAccelerators"/>
    /// is the hall's. A rack without accelerators reads 0.
    /// </summary>
    void RackUtilisation(Span<double> utilisation);

    /// <summary>Clock factor for every accelerator in the rack, 0 (stopped) to 1 (full clocks).</summary>
    void SetRackSpeedFactor(int rack, double speedFactor);

    /// <summary>The rack's current accelerator temperature, °C, for thermal-aware dispatch.</summary>
    void SetRackTemperatureC(int rack, double temperatureC);
}
