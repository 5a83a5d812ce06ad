using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Workload;

/// <summary>A homogeneous Poisson process: exponential inter-arrival times (coefficient of variation 1).</summary>
public sealed class PoissonArrivals : IArrivalProcess
{
    private readonly RandomStream _rng;
    private readonly double _meanGapS;
    private double _timeS;

    /// <summary>Creates the process at <paramref name="ratePerS"/> requests/s, starting at time zero.</summary>
    public PoissonArrivals(double ratePerS, RandomStream rng)
    {
        if (!(ratePerS > 0) || double.IsInfinity(ratePerS))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerS), ratePerS, "The rate must be positive and finite.");
        }

        MeanRatePerS = ratePerS;
        _meanGapS = 1 / ratePerS;
        _rng = rng;
    }

    /// <inheritdoc/>
    public double MeanRatePerS { get; }

    /// <inheritdoc/>
    public double RatePerS(SimTime t) => MeanRatePerS;

    /// <inheritdoc/>
    public bool CarriesTokens => false;

    /// <inheritdoc/>
    public bool DrawsAlone => true;

    /// <inheritdoc/>
    public void SkipTo(SimTime t) => _timeS = Math.Max(_timeS, t.TotalSeconds);

    /// <inheritdoc/>
    public bool TryNext(out Arrival next)
    {
        _timeS += _rng.Exponential(_meanGapS);
        next = new Arrival(SimTime.FromSeconds(_timeS), 0, 0);
        return true;
    }
}
