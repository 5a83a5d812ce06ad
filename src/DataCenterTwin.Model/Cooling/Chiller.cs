namespace DataCenterTwin.Model.Cooling;

/// <summary>
/// What every kind of chiller keeps the same way: its spec, whether it is tripped, the temperatures
/// of the last step and the outputs <see cref="IChiller"/> reports, which each kind's
/// <see cref="Run"/> sets; the COP and the energy-balance residual follow from them, one formula for
/// all kinds.
/// </summary>
public abstract class Chiller : IChiller
{
    /// <summary>Creates the unit, in service.</summary>
    protected Chiller(ChillerSpec spec) => Spec = spec;

    /// <inheritdoc/>
    public ChillerSpec Spec { get; }

    /// <inheritdoc/>
    public bool IsTripped { get; private set; }

    /// <inheritdoc/>
    public double AvailableCapacityW { get; protected set; }

    /// <inheritdoc/>
    public double CoolingW { get; protected set; }

    /// <inheritdoc/>
    public double PartLoadRatio { get; protected set; }

    /// <inheritdoc/>
    public double ElectricW { get; protected set; }

    /// <inheritdoc/>
    public double FuelW { get; protected set; }

    /// <inheritdoc/>
    public double AllElectricEquivalentW { get; protected set; }

    /// <inheritdoc/>
    public double CondenserHeatW { get; protected set; }

    /// <inheritdoc/>
    public double HeatRecoveredW { get; protected set; }

    /// <inheritdoc/>
    public double HeatRejectedW { get; protected set; }

    /// <inheritdoc/>
    public double Cop => ElectricW + FuelW > 0 ? CoolingW / (ElectricW + FuelW) : 0;

    /// <inheritdoc/>
    public double EnergyBalanceResidualW => HeatRejectedW + HeatRecoveredW - (CoolingW + ElectricW + FuelW);

    /// <inheritdoc/>
    public double LeavingChilledWaterC { get; protected set; }

    /// <inheritdoc/>
    public double EnteringCondenserC { get; protected set; }

    /// <inheritdoc/>
    public void Trip() => IsTripped = true;

    /// <inheritdoc/>
    public void Restore() => IsTripped = false;

    /// <inheritdoc/>
    public abstract void Prepare(double dtS, double leavingChilledWaterC, double condenserInC, bool electricAvailable);

    /// <inheritdoc/>
    public abstract void Run(double loadW);

    /// <summary>
    /// Sets the outputs of a motor-driven step: no fuel and no recovered heat, so the condenser takes
    /// the cooling plus the electric input and rejects all of it, and the all-electric equivalent is
    /// the electric input itself.
    /// </summary>
    protected void SetElectricStep(double coolingW, double partLoadRatio, double electricW)
    {
        CoolingW = coolingW;
        PartLoadRatio = partLoadRatio;
        ElectricW = electricW;
        AllElectricEquivalentW = electricW;
        CondenserHeatW = coolingW + electricW;
        HeatRejectedW = CondenserHeatW;
    }
}
