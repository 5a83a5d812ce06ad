namespace DataCenterTwin.Model.Cooling;

/// <summary>
/// A chiller in the plant. Each step the plant calls <see cref="Prepare"/> (drives, timers,
/// available capacity) and then <see cref="Run"/> with the load it assigns. Outputs are the mean
/// over the step. Energy balance per unit: heat rejected = cooling + electric + fuel − heat recovered.
/// </summary>
public interface IChiller
{
    /// <summary>Design values.</summary>
    ChillerSpec Spec { get; }

    /// <summary>Whether the unit is tripped (a failure): it carries nothing until restored.</summary>
    bool IsTripped { get; }

    /// <summary>Cooling the unit can deliver now, W (0 when tripped or without a drive).</summary>
    double AvailableCapacityW { get; }

    /// <summary>Cooling delivered, W.</summary>
    double CoolingW { get; }

    /// <summary>Part-load ratio: cooling over available capacity.</summary>
    double PartLoadRatio { get; }

    /// <summary>Electric input (compressor motor and parasitics), W.</summary>
    double ElectricW { get; }

    /// <summary>Fuel input on a higher-heating-value basis, W.</summary>
    double FuelW { get; }

    /// <summary>What the unit would draw electrically for the same cooling in all-electric operation, W.</summary>
    double AllElectricEquivalentW { get; }

    /// <summary>Heat to the condenser (cooling plus compressor work), W.</summary>
    double CondenserHeatW { get; }

    /// <summary>Heat recovered for use (engine jacket and lube), W.</summary>
    double HeatRecoveredW { get; }

    /// <summary>Heat rejected to the outdoors: condenser plus engine losses, W.</summary>
    double HeatRejectedW { get; }

    /// <summary>Cooling over total (electric + fuel) input, W/W; 0 when off.</summary>
    double Cop { get; }

    /// <summary>Electric + fuel − (cooling-free terms): (rejected + recovered) − (cooling + electric + fuel), W; zero to rounding.</summary>
    double EnergyBalanceResidualW { get; }

    /// <summary>Leaving chilled-water temperature the unit was asked for at the last step, °C.</summary>
    double LeavingChilledWaterC { get; }

    /// <summary>Entering condenser fluid (tower water, or outdoor dry-bulb when air-cooled) at the last step, °C.</summary>
    double EnteringCondenserC { get; }

    /// <summary>Takes the unit out of service.</summary>
    void Trip();

    /// <summary>Returns the unit to service.</summary>
    void Restore();

    /// <summary>Advances drives and timers by <paramref name="dtS"/> and sets <see cref="AvailableCapacityW"/>.</summary>
    void Prepare(double dtS, double leavingChilledWaterC, double condenserInC, bool electricAvailable);

    /// <summary>Delivers up to <paramref name="loadW"/> of cooling (capped by the available capacity).</summary>
    void Run(double loadW);
}
