using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Workload;

/// <summary>
/// A two-state Markov-modulated Poisson process: a calm and a burst state with their own Poisson
/// rates and exponential sojourn times. Its inter-arrival coefficient of variation exceeds 1, which
/// is what makes real LLM traffic bursty. Starts in the calm state.
/// </summary>
public sealed class MmppArrivals : IArrivalProcess, IPhasedArrivals
{
    private readonly RandomStream _rng;
    private readonly double[] _rate;
    private readonly double[] _meanSojournS;
    private int _state;
    private double _timeS;
    private double _switchAtS;

    /// <summary>Creates the process from the two states' rates (requests/s) and mean sojourn times (s).</summary>
    public MmppArrivals(double calmRatePerS, double burstRatePerS, double meanCalmS, double meanBurstS, RandomStream rng)
    {
        if (!(calmRatePerS >= 0) || !(burstRatePerS >= 0) || calmRatePerS + burstRatePerS <= 0 || !(meanCalmS > 0) || !(meanBurstS > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(calmRatePerS), "Rates must be non-negative (not both zero), sojourn times positive.");
        }

        _rate = [calmRatePerS, burstRatePerS];
        _meanSojournS = [meanCalmS, meanBurstS];
        _rng = rng;
        _switchAtS = rng.Exponential(meanCalmS);
        MeanRatePerS = (calmRatePerS * meanCalmS + burstRatePerS * meanBurstS) / (meanCalmS + meanBurstS);
    }

    /// <summary>The stationary mean rate, requests/s.</summary>
    public double MeanRatePerS { get; }

    /// <inheritdoc/>
    public int PhaseCount => 2;

    /// <inheritdoc/>
    public double PhaseRatePerS(int phase) => _rate[phase];

    /// <inheritdoc/>
    public double PhaseProbability(int phase) => _meanSojournS[phase] / (_meanSojournS[0] + _meanSojournS[1]);

    /// <inheritdoc/>
    public double PhaseMeanSojournS(int phase) => _meanSojournS[phase];

    /// <summary>The stationary mean rate (a fluid model reads the phases through <see cref="IPhasedArrivals"/> for its latencies).</summary>
    public double RatePerS(SimTime t) => MeanRatePerS;

    /// <inheritdoc/>
    public bool CarriesTokens => false;

    /// <inheritdoc/>
    public void SkipTo(SimTime t)
    {
        // The modulating chain runs on through the skipped time; arrivals are memoryless within a state.
        double target = t.TotalSeconds;
        while (_switchAtS < target)
        {
            _timeS = _switchAtS;
            _state = 1 - _state;
            _switchAtS = _timeS + _rng.Exponential(_meanSojournS[_state]);
        }

        _timeS = Math.Max(_timeS, target);
    }

    /// <inheritdoc/>
    public bool TryNext(out Arrival next)
    {
        while (true)
        {
            double gap = _rate[_state] > 0 ? _rng.Exponential(1 / _rate[_state]) : double.PositiveInfinity;
            if (_timeS + gap < _switchAtS)
            {
                // Memoryless: a candidate beyond the switch is discarded and redrawn in the new state.
                _timeS += gap;
                next = new Arrival(SimTime.FromSeconds(_timeS), 0, 0);
                return true;
            }

            _timeS = _switchAtS;
            _state = 1 - _state;
            _switchAtS = _timeS + _rng.Exponential(_meanSojournS[_state]);
        }
    }
}
