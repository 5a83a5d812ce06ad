namespace DataCenterTwin.Model.Parallel;

/// <summary>
/// How long one work object's calls took, cut over the threads and on the caller's thread alone,
/// and which way its next call goes: <see cref="StepWorkers"/> slices a call only where slicing has
/// been clearly the faster. Whether it pays is the machine's to say, not ours: on two cores shared
/// with other processes a worker is often not running when a call comes (a 1,184-rack fluid year
/// took 87 s wall on two threads against 60 s on one), on a quiet many-core machine it is. Either
/// way gives the same outputs, so the choice is free to follow the clock.
/// </summary>
/// <remarks>
/// The first call is sliced and the second runs inline, to have one measure of each; then every
/// call goes the faster way, and now and then one goes the other, so a machine that gets busier or
/// quieter is followed: the first such probe after <see cref="MinProbeEvery"/> calls, and each probe
/// that leaves the choice as it was doubles the wait for the next, up to <see cref="MaxProbeEvery"/>
/// (on a loaded machine a sliced probe can wait milliseconds for a worker the scheduler put off:
/// one in 64 calls was seconds of a month of the 1,184-rack hall). Each estimate is a moving mean
/// of the time per index, in ticks of the set's clock, in which one sample moves it by at most
/// <see cref="MaxRise"/> times upwards: a call that a preempted thread held up once does not turn
/// slicing off for long, while calls that are slow again and again do.
/// </remarks>
internal sealed class SliceGauge
{
    /// <summary>Calls before the first probe of the way not taken, and after a change of way.</summary>
    public const int MinProbeEvery = 64;

    /// <summary>The most calls between two probes.</summary>
    public const int MaxProbeEvery = 8192;

    /// <summary>
    /// A call is sliced only when slicing took at most this share of the inline time: it takes a
    /// second core for it, and on a loaded machine a preempted caller makes inline calls look slow
    /// now and then (two threads at best take half the time; this asks for half of that gain).
    /// </summary>
    public const double SlicedShare = 0.75;

    // Weight of a new sample in the moving mean, and the most one sample can raise it by.
    private const double Weight = 0.125;
    private const double MaxRise = 4;

    private long _calls;
    private long _nextProbe = MinProbeEvery;
    private int _probeEvery = MinProbeEvery;
    private bool _probing;
    private double _inline = double.NaN;
    private double _sliced = double.NaN;

    /// <summary>Time per index of the calls run inline, ticks (NaN before the first).</summary>
    public double InlineTicksPerIndex => _inline;

    /// <summary>Time per index of the sliced calls, ticks (NaN before the first).</summary>
    public double SlicedTicksPerIndex => _sliced;

    /// <summary>Whether slicing is the faster way as measured so far.</summary>
    public bool SlicingPays => _sliced <= _inline * SlicedShare;

    /// <summary>Whether the next call is sliced; counts the call.</summary>
    public bool ShouldSlice()
    {
        long call = _calls++;
        if (double.IsNaN(_sliced))
        {
            return true;
        }

        if (double.IsNaN(_inline))
        {
            return false;
        }

        bool pays = SlicingPays;
        _probing = call >= _nextProbe;
        return _probing ? !pays : pays;
    }

    /// <summary>Adds a call's time per index, ticks, to the estimate of the way it ran.</summary>
    public void Record(bool sliced, double ticksPerIndex)
    {
        bool paid = SlicingPays;
        ref double estimate = ref sliced ? ref _sliced : ref _inline;
        estimate = double.IsNaN(estimate) || estimate <= 0
            ? ticksPerIndex
            : estimate + (Weight * (Math.Min(ticksPerIndex, MaxRise * estimate) - estimate));
        if (SlicingPays != paid)
        {
            _probeEvery = MinProbeEvery;
            _nextProbe = _calls + MinProbeEvery;
        }
        else if (_probing)
        {
            _probeEvery = Math.Min(2 * _probeEvery, MaxProbeEvery);
            _nextProbe = _calls + _probeEvery;
        }

        _probing = false;
    }
}
