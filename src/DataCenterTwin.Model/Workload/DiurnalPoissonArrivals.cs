using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Workload;

/// <summary>
/// A non-homogeneous Poisson process whose rate is a mean rate times an hour-of-day multiplier
/// (24) times a day-of-week multiplier (7; day 0 is the day the run starts). Sampled exactly by
/// thinning (Lewis and Shedler 1979): candidates at the peak rate, each kept with probability
/// rate(t)/peak.
/// </summary>
public sealed class DiurnalPoissonArrivals : IArrivalProcess
{
    private readonly RandomStream _rng;
    private readonly double[] _hourly;
    private readonly double[] _weekly;
    private readonly double _peakRatePerS;
    private double _timeS;

    /// <summary>Creates the process; <paramref name="weeklyMultipliers"/> may be null (all 1).</summary>
    /// <exception cref="ArgumentException">Wrong table lengths, or a negative or non-finite multiplier.</exception>
    public DiurnalPoissonArrivals(double baseRatePerS, double[] hourlyMultipliers, double[]? weeklyMultipliers, RandomStream rng)
    {
        if (!(baseRatePerS > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(baseRatePerS), baseRatePerS, "The base rate must be positive.");
        }

        weeklyMultipliers ??= [1, 1, 1, 1, 1, 1, 1];
        if (hourlyMultipliers.Length != 24 || weeklyMultipliers.Length != 7)
        {
            throw new ArgumentException("Expected 24 hourly and 7 daily multipliers.", nameof(hourlyMultipliers));
        }

        if (hourlyMultipliers.Concat(weeklyMultipliers).Any(m => !(m >= 0) || double.IsInfinity(m)) || hourlyMultipliers.Max() <= 0 || weeklyMultipliers.Max() <= 0)
        {
            throw new ArgumentException("Multipliers must be finite, non-negative and not all zero.", nameof(hourlyMultipliers));
        }

        BaseRatePerS = baseRatePerS;
        _hourly = (double[])hourlyMultipliers.Clone();
        _weekly = (double[])weeklyMultipliers.Clone();
        _peakRatePerS = baseRatePerS * _hourly.Max() * _weekly.Max();
        MeanRatePerS = baseRatePerS * _hourly.Average() * _weekly.Average();
        _rng = rng;
    }

    /// <summary>The rate that the multipliers scale, requests/s.</summary>
    public double BaseRatePerS { get; }

    /// <inheritdoc/>
    public double MeanRatePerS { get; }

    /// <inheritdoc/>
    public double RatePerS(SimTime t)
    {
        long hour = Math.Max(0, t.Ticks) / SimTime.TicksPerHour;
        return BaseRatePerS * _hourly[hour % 24] * _weekly[hour / 24 % 7];
    }

    // The rate over the hour of the last candidate, [_hourStart, _hourEnd) in ticks: the candidates of
    // an hour (hundreds of thousands on a busy hall) read it instead of dividing the time into
    // hours, days and weeks each. The same product as RatePerS, so the same number.
    [NotState]
    private long _hourStart = 1;
    [NotState]
    private long _hourEnd;
    [NotState]
    private double _hourRatePerS;

    private double CandidateRatePerS(SimTime t)
    {
        long ticks = t.Ticks;
        if (ticks < _hourStart || ticks >= _hourEnd)
        {
            _hourRatePerS = RatePerS(t);
            _hourStart = ticks < 0 ? long.MinValue : ticks / SimTime.TicksPerHour * SimTime.TicksPerHour;
            _hourEnd = ticks < 0 ? SimTime.TicksPerHour : _hourStart + SimTime.TicksPerHour;
        }

        return _hourRatePerS;
    }

    /// <inheritdoc/>
    public bool CarriesTokens => false;

    /// <inheritdoc/>
    public bool DrawsAlone => true;

    /// <inheritdoc/>
    public void SkipTo(SimTime t) => _timeS = Math.Max(_timeS, t.TotalSeconds);

    /// <inheritdoc/>
    public bool TryNext(out Arrival next)
    {
        while (true)
        {
            _timeS += _rng.Exponential(1 / _peakRatePerS);
            var t = SimTime.FromSeconds(_timeS);
            if (_rng.NextDouble() * _peakRatePerS < CandidateRatePerS(t))
            {
                next = new Arrival(t, 0, 0);
                return true;
            }
        }
    }
}
