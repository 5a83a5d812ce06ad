using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Twin;

/// <summary>
/// The run's books: energy by use, grid and fuel, cost (energy at the price in force, demand
/// charge on each billing month's peak grid draw, gas), CO2 (grid carbon at the hour, gas
/// emission factor), and the freed-capacity statistics. Each is the integral of its rate over
/// the control steps.
/// </summary>
public sealed class FacilityLedger
{
    private const int FreedBins = 1000;
    private readonly TariffSpec _tariff;
    private readonly SiteCalendar _calendar;
    private readonly double[] _monthPeakW = new double[1200];
    private readonly double[] _freedSecondsByBin = new double[FreedBins];
    private readonly double _freedBinW;
    private double _freedZeroSeconds;
    private readonly double[] _freedThresholdsW;
    private readonly double[] _freedSecondsAbove;

    /// <summary>Creates the books for a site.</summary>
    /// <param name="tariff">Prices and carbon.</param>
    /// <param name="calendar">Local time of the run, for time-of-use and billing months.</param>
    /// <param name="freedScaleW">The largest freed power expected (the grid capacity), W; sizes the p50 histogram.</param>
    /// <param name="freedThresholdsW">Freed powers to count hours above, W.</param>
    public FacilityLedger(TariffSpec tariff, SiteCalendar calendar, double freedScaleW, IReadOnlyList<double> freedThresholdsW)
    {
        _tariff = tariff;
        _calendar = calendar;
        _freedBinW = Math.Max(freedScaleW, 1) / FreedBins;
        _freedThresholdsW = [.. freedThresholdsW];
        _freedSecondsAbove = new double[_freedThresholdsW.Length];
    }

    /// <summary>Hourly IT power and its daily trough and peak.</summary>
    public ItPowerDays ItPower { get; } = new();

    /// <summary>Seconds recorded.</summary>
    public double Seconds { get; private set; }

    /// <summary>IT energy, J.</summary>
    public double ItJ { get; private set; }

    /// <summary>Cooling electric energy, J.</summary>
    public double CoolingJ { get; private set; }

    /// <summary>Distribution losses, J.</summary>
    public double LossesJ { get; private set; }

    /// <summary>Other facility load, J.</summary>
    public double OtherJ { get; private set; }

    /// <summary>Facility electric energy (IT + cooling + losses + other), J.</summary>
    public double TotalJ { get; private set; }

    /// <summary>Energy drawn from the grid, J.</summary>
    public double GridJ { get; private set; }

    /// <summary>Energy from the generators, J.</summary>
    public double GeneratorJ { get; private set; }

    /// <summary>Energy from the UPS battery, J.</summary>
    public double UpsJ { get; private set; }

    /// <summary>Fuel burned by gas chillers (HHV), J.</summary>
    public double GasJ { get; private set; }

    /// <summary>Electric energy the plant did not draw because gas carried the load, J.</summary>
    public double FreedJ { get; private set; }

    /// <summary>Highest freed power over a step, W.</summary>
    public double FreedPeakW { get; private set; }

    /// <summary>Highest grid draw over a step, W.</summary>
    public double PeakGridW { get; private set; }

    /// <summary>Highest share of the grid capacity the cooling plant drew over a step.</summary>
    public double PeakCoolingShareOfCapacity { get; private set; }

    /// <summary>Cooling electric energy over grid capacity-seconds: the typical share of capacity cooling holds.</summary>
    public double MeanCoolingShareOfCapacity => _capacityJ > 0 ? CoolingJ / _capacityJ : 0;

    private double _capacityJ;

    /// <summary>Electricity bought at the energy price, USD.</summary>
    public double EnergyCostUsd { get; private set; }

    /// <summary>Gas bought, USD.</summary>
    public double GasCostUsd { get; private set; }

    /// <summary>Demand charges: each billing month's peak grid draw at the demand rate, USD.</summary>
    public double DemandChargeUsd
    {
        get
        {
            double sum = 0;
            foreach (double w in _monthPeakW)
            {
                sum += w;
            }

            return sum * _tariff.DemandChargeUsdPerW;
        }
    }

    /// <summary>All costs, USD.</summary>
    public double CostUsd => EnergyCostUsd + GasCostUsd + DemandChargeUsd;

    /// <summary>CO2 from grid electricity, kg.</summary>
    public double GridCo2Kg { get; private set; }

    /// <summary>CO2 from burned gas, kg.</summary>
    public double GasCo2Kg { get; private set; }

    /// <summary>All CO2, kg.</summary>
    public double Co2Kg => GridCo2Kg + GasCo2Kg;

    /// <summary>Records one step and returns the price and carbon intensity that applied to it.</summary>
    public (double PriceUsdPerJ, double CarbonKgPerJ) Record(SimTime start, in FacilitySample s)
    {
        double dt = s.DurationS;
        var local = _calendar.LocalTime(start);
        double hour = _calendar.HourOfYear(start);
        double price = _tariff.EnergyPriceUsdPerJ(local, hour);
        double carbon = _tariff.GridCarbonKgPerJ.At(hour);

        Seconds += dt;
        ItJ += s.ItW * dt;
        ItPower.Add(start.TotalSeconds, dt, s.ItW);
        CoolingJ += s.CoolingElectricW * dt;
        LossesJ += s.LossesW * dt;
        OtherJ += s.OtherW * dt;
        TotalJ += s.TotalW * dt;
        GridJ += s.GridW * dt;
        GeneratorJ += s.GeneratorW * dt;
        UpsJ += s.UpsW * dt;
        GasJ += s.GasW * dt;
        FreedJ += s.FreedW * dt;
        FreedPeakW = Math.Max(FreedPeakW, s.FreedW);
        PeakGridW = Math.Max(PeakGridW, s.GridW);
        _capacityJ += s.GridCapW * dt;
        if (s.GridCapW > 0)
        {
            PeakCoolingShareOfCapacity = Math.Max(PeakCoolingShareOfCapacity, s.CoolingElectricW / s.GridCapW);
        }

        EnergyCostUsd += price * s.GridW * dt;
        GasCostUsd += _tariff.GasPriceUsdPerJ * s.GasW * dt;
        GridCo2Kg += carbon * s.GridW * dt;
        GasCo2Kg += _tariff.GasEmissionKgPerJ * s.GasW * dt;

        int month = Math.Clamp(_calendar.BillingMonth(start), 0, _monthPeakW.Length - 1);
        _monthPeakW[month] = Math.Max(_monthPeakW[month], s.GridW);

        if (s.FreedW > 0)
        {
            _freedSecondsByBin[Math.Clamp((int)(s.FreedW / _freedBinW), 0, FreedBins - 1)] += dt;
        }
        else
        {
            _freedZeroSeconds += dt;
        }

        for (int i = 0; i < _freedThresholdsW.Length; i++)
        {
            if (s.FreedW > _freedThresholdsW[i])
            {
                _freedSecondsAbove[i] += dt;
            }
        }

        return (price, carbon);
    }

    /// <summary>Hours the freed power exceeded each threshold given at construction.</summary>
    public IReadOnlyList<double> FreedHoursAbove => [.. _freedSecondsAbove.Select(s => s / 3600)];

    /// <summary>The freed power exceeded for the given share of the time (0.5: the median), W, to the histogram's bin.</summary>
    public double FreedQuantileW(double q)
    {
        double target = q * Seconds;
        double acc = _freedZeroSeconds;
        if (acc >= target)
        {
            return 0;
        }

        for (int i = 0; i < FreedBins; i++)
        {
            acc += _freedSecondsByBin[i];
            if (acc >= target && acc > 0)
            {
                return (i + 0.5) * _freedBinW;
            }
        }

        return 0;
    }
}
