namespace DataCenterTwin.Model.Twin;

/// <summary>
/// Folds control steps into output intervals: powers and rates time-weighted (so an interval's
/// energy is exactly the sum of its steps'), temperatures with their extremes. Steps must tile
/// the interval; the twin checks that the interval is a whole number of steps.
/// </summary>
public sealed class IntervalAverager
{
    private FacilitySample _sum;
    private double _inletMin = double.PositiveInfinity;
    private double _inletMax = double.NegativeInfinity;
    private double _accelMax = double.NegativeInfinity;
    private double _capMin = double.PositiveInfinity;

    /// <summary>Seconds accumulated so far in the open interval.</summary>
    public double AccumulatedS => _sum.DurationS;

    /// <summary>Adds one step.</summary>
    public void Add(in FacilitySample step)
    {
        double w = step.DurationS;
        if (_sum.DurationS == 0)
        {
            _sum.StartS = step.StartS;
        }

        _sum.DurationS += w;
        _sum.ItW += step.ItW * w;
        _sum.CoolingElectricW += step.CoolingElectricW * w;
        _sum.ChillerElectricW += step.ChillerElectricW * w;
        _sum.LossesW += step.LossesW * w;
        _sum.OtherW += step.OtherW * w;
        _sum.GridW += step.GridW * w;
        _sum.GridCapW += step.GridCapW * w;
        _sum.UpsW += step.UpsW * w;
        _sum.GeneratorW += step.GeneratorW * w;
        _sum.GeneratorFuelW += step.GeneratorFuelW * w;
        _sum.HeatRecoveredW += step.HeatRecoveredW * w;
        _sum.GasW += step.GasW * w;
        _sum.FreedW += step.FreedW * w;
        _sum.CoolingAllElectricW += step.CoolingAllElectricW * w;
        _sum.GasShare += step.GasShare * w;
        _sum.PriceUsdPerJ += step.PriceUsdPerJ * w;
        _sum.CarbonKgPerJ += step.CarbonKgPerJ * w;
        _sum.OutdoorDryBulbC += step.OutdoorDryBulbC * w;
        _sum.InletMeanC += step.InletMeanC * w;
        _sum.ThrottledFraction += step.ThrottledFraction * w;
        _sum.Utilisation += step.Utilisation * w;
        _sum.BatchOccupancy += step.BatchOccupancy * w;
        _sum.ComputeBusy += step.ComputeBusy * w;
        _sum.MemoryBusy += step.MemoryBusy * w;
        _inletMin = Math.Min(_inletMin, step.InletMinC);
        _inletMax = Math.Max(_inletMax, step.InletMaxC);
        _accelMax = Math.Max(_accelMax, step.AcceleratorMaxC);
        _capMin = Math.Min(_capMin, step.ItCapW);
    }

    /// <summary>Closes the open interval: its averages, and a fresh interval started.</summary>
    public FacilitySample Close()
    {
        var a = _sum;
        double t = a.DurationS > 0 ? a.DurationS : 1;
        a.ItW /= t;
        a.CoolingElectricW /= t;
        a.ChillerElectricW /= t;
        a.LossesW /= t;
        a.OtherW /= t;
        a.GridW /= t;
        a.GridCapW /= t;
        a.UpsW /= t;
        a.GeneratorFuelW /= t;
        a.HeatRecoveredW /= t;
        a.GeneratorW /= t;
        a.GasW /= t;
        a.FreedW /= t;
        a.CoolingAllElectricW /= t;
        a.GasShare /= t;
        a.PriceUsdPerJ /= t;
        a.CarbonKgPerJ /= t;
        a.OutdoorDryBulbC /= t;
        a.InletMeanC /= t;
        a.ThrottledFraction /= t;
        a.Utilisation /= t;
        a.BatchOccupancy /= t;
        a.ComputeBusy /= t;
        a.MemoryBusy /= t;
        a.InletMinC = _inletMin;
        a.InletMaxC = _inletMax;
        a.AcceleratorMaxC = _accelMax;
        a.ItCapW = _capMin;

        _sum = default;
        _inletMin = _capMin = double.PositiveInfinity;
        _inletMax = _accelMax = double.NegativeInfinity;
        return a;
    }
}
