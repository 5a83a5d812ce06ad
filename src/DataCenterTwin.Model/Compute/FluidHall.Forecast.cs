using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

/// <summary>The fluid hall's expected arrivals ahead of time, for the supervisory controller's feed-forward.</summary>
public sealed partial class FluidHall : IArrivalForecast
{
    /// <inheritdoc/>
    public double ExpectedArrivalRatePerS(SimTime from, SimTime to)
    {
        // Simpson's rule over the span, read as AdvanceTo reads a step: the same rate the step will be served at.
        var mid = new SimTime(from.Ticks + (to.Ticks - from.Ticks) / 2);
        var end = new SimTime(Math.Max(from.Ticks, to.Ticks - 1));
        double total = 0;
        for (int c = 0; c < _arrivals.Length; c++)
        {
            double rate = (_arrivals[c].RatePerS(from) + 4 * _arrivals[c].RatePerS(mid) + _arrivals[c].RatePerS(end)) / 6;
            total += _rateScale is { } scale ? rate * scale[c] : rate;
        }

        return total;
    }
}
