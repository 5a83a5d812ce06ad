namespace DataCenterTwin.Model.Power;

/// <summary>Standby generators as one set.</summary>
/// <param name="CapacityW">Most power the set carries once running, W.</param>
/// <param name="StartDelayS">Seconds from the loss of grid until the set takes the load.</param>
/// <param name="FuelPerEnergy">Fuel energy burned per unit of electric energy (1 / efficiency).</param>
public sealed record GeneratorSpec(double CapacityW, double StartDelayS, double FuelPerEnergy);

/// <summary>Standby generators: start when the grid is lost, take the load after a delay, stop when it returns.</summary>
public sealed class Generator
{
    private double _sinceStartS = double.NaN;

    /// <summary>Creates a stopped generator set.</summary>
    public Generator(GeneratorSpec spec) => Spec = spec;

    /// <summary>The set's design values.</summary>
    public GeneratorSpec Spec { get; }

    /// <summary>Whether the set has been asked to run (starting or running).</summary>
    public bool IsStarted => !double.IsNaN(_sinceStartS);

    /// <summary>Whether the set carries load now.</summary>
    public bool IsRunning => IsStarted && _sinceStartS >= Spec.StartDelayS;

    /// <summary>Electric energy generated since the start, J.</summary>
    public double EnergyGeneratedJ { get; private set; }

    /// <summary>Starts the set (no effect if already started).</summary>
    public void Start()
    {
        if (!IsStarted)
        {
            _sinceStartS = 0;
        }
    }

    /// <summary>Stops the set.</summary>
    public void Stop() => _sinceStartS = double.NaN;

    /// <summary>Seconds of the next <paramref name="dtS"/> during which the set is still starting.</summary>
    public double StartingSecondsWithin(double dtS) => IsStarted ? Math.Clamp(Spec.StartDelayS - _sinceStartS, 0, dtS) : dtS;

    /// <summary>Advances the start timer and accounts the energy carried over the running part of the interval.</summary>
    public void Advance(double dtS, double loadW)
    {
        if (!IsStarted)
        {
            return;
        }

        double runningS = dtS - StartingSecondsWithin(dtS);
        EnergyGeneratedJ += Math.Min(loadW, Spec.CapacityW) * runningS;
        _sinceStartS += dtS;
    }
}
