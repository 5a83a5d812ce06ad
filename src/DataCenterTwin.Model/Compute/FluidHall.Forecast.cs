using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Compute;

/// <summary>The fluid hall's expected arrivals ahead of time, for the supervisory controller's feed-forward.</summary>
public sealed partial class FluidHall : IArrivalForecast
{
    // Each class's rate over the last two spans read (SpanRates), by the span's ends: a control step
    // reads the step just served and the step ahead for the forecast, and serves that one next, so
    // each span's rates were worked three times (nine profile reads a class). A rate profile is a
    // function of time alone (IArrivalProcess.RatePerS), so a span read again gives the same bits.
    [NotState]
    private readonly long[] _spanFromTicks = [long.MinValue, long.MinValue];
    [NotState]
    private readonly long[] _spanToTicks = [long.MinValue, long.MinValue];
    [NotState]
    private readonly double[]?[] _spanRates = new double[]?[2];
    [NotState]
    private int _spanNext;

    /// <summary>Whether the rates of a span read again are taken from the last reading (true); false reads the profiles every time, the reference a test compares with.</summary>
    internal bool KeepsSpanRates { get; set; } = true;

    /// <inheritdoc/>
    public double ExpectedArrivalRatePerS(SimTime from, SimTime to)
    {
        var rates = SpanRates(from, to);
        double total = 0;
        for (int c = 0; c < rates.Length; c++)
        {
            total += _rateScale is { } scale ? rates[c] * scale[c] : rates[c];
        }

        return total;
    }

    // Each class's mean rate over [from, to) by Simpson's rule, before any scale: exact for the
    // hourly-constant and piecewise-linear profiles within a step. The span's end is read just inside
    // it, so a profile that changes at the end belongs to the next span. AdvanceTo serves a step at
    // these rates and the forecast reads the same, so the two agree.
    private double[] SpanRates(SimTime from, SimTime to)
    {
        for (int i = 0; KeepsSpanRates && i < 2; i++)
        {
            if (_spanFromTicks[i] == from.Ticks && _spanToTicks[i] == to.Ticks && _spanRates[i] is { } kept)
            {
                return kept;
            }
        }

        int at = _spanNext;
        _spanNext = 1 - at;
        var rates = _spanRates[at] ??= new double[_arrivals.Length];
        var mid = new SimTime(from.Ticks + (to.Ticks - from.Ticks) / 2);
        var end = new SimTime(Math.Max(from.Ticks, to.Ticks - 1));
        for (int c = 0; c < _arrivals.Length; c++)
        {
            rates[c] = (_arrivals[c].RatePerS(from) + 4 * _arrivals[c].RatePerS(mid) + _arrivals[c].RatePerS(end)) / 6;
        }

        (_spanFromTicks[at], _spanToTicks[at]) = (from.Ticks, to.Ticks);
        return rates;
    }
}
