namespace DataCenterTwin.Model.Compute;

// Busy time rack by rack: each step's serving and training busy accelerator-seconds are banked on
// the rack they ran on as well as on the hall's total.
public sealed partial class FluidHall
{
    private double[]? _rackBusyAccelS;

    /// <inheritdoc/>
    public int RackAccelerators(int rack) => _rackPool[rack] >= 0 ? _pools[_rackPool[rack]].Spec.AcceleratorsPerRack : _rackTrainingAccels[rack];

    /// <summary>Writes each rack's busy accelerator-seconds since the start into <paramref name="busyS"/> (one per rack).</summary>
    /// <exception cref="ArgumentException"><paramref name="busyS"/> is not one per rack.</exception>
    public void RackBusyAcceleratorSeconds(Span<double> busyS)
    {
        if (busyS.Length != RackCount)
        {
            throw new ArgumentException($"Expected one value per rack ({RackCount}), got {busyS.Length}.", nameof(busyS));
        }

        if (_rackBusyAccelS is { } banked)
        {
            banked.CopyTo(busyS);
        }
        else
        {
            busyS.Clear();
        }
    }

    /// <inheritdoc/>
    public void RackUtilisation(Span<double> utilisation)
    {
        RackBusyAcceleratorSeconds(utilisation);
        double seconds = _last.TotalSeconds;
        for (int k = 0; k < utilisation.Length; k++)
        {
            // As MeanUtilisation: busy accelerator-time over the accelerators' time up to the last step.
            int accels = RackAccelerators(k);
            utilisation[k] = _last.Ticks > 0 && accels > 0 ? utilisation[k] / (accels * seconds) : 0;
        }
    }

    private void BankRackBusy(int rack, double accelS) => (_rackBusyAccelS ??= new double[RackCount])[rack] += accelS;
}
