using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Twin;

/// <summary>
/// The run's books: energy by use, grid and fuel, cost (energy at the price in force, demand
/// charge on each billing month's peak 15-minute grid demand, gas, generator diesel), CO2 (grid
/// carbon at the hour, gas and diesel emission factors), and the freed-capacity statistics. Each
/// is the integral of its rate over the control steps.
/// </summary>
public sealed class FacilityLedger
{
    private const int FreedBins = 1000;

    /// <summary>The demand interval utilities bill on, s (15 minutes, fixed and clock-aligned).</summary>
    public const double DemandIntervalS = 900;

    private long _demandBlock = -1;
    private double _demandBlockJ;
    private double _demandBlockS;
    private int _demandBlockMonth;
    private readonly TariffSpec _tariff;
    private readonly SiteCalendar _calendar;
    private readonly double[] _monthPeakW = new double[1200];
    private readonly double[] _freedSecondsByBin = new double[FreedBins];
    private readonly double _freedBinW;
    private double _freedZeroSeconds;
    private readonly double[] _freedThresholdsW;
    private readonly double[] _freedSecondsAbove;

    // The local clock hour of the last step (ticks of local time over an hour), and its price,
    // carbon intensity and calendar month: time-of-use periods, hourly series and months go by whole
    // local hours, so the 60 steps of an hour read one working of them. A function of the hour and
    // the tariff alone: a cache, not state.
    [NotState]
    private long _hourKey = long.MinValue;
    [NotState]
    private double _hourPrice, _hourCarbon;
    [NotState]
    private int _hourMonth;

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

    private readonly double[] _calendarMonthItJ = new double[12];
    private readonly double[] _calendarMonthTotalJ = new double[12];

    /// <summary>Electric PUE (facility over IT energy) in calendar month <paramref name="month"/> (1–12) of local time; NaN for a month the run did not reach.</summary>
    public double PueInMonth(int month) =>
        _calendarMonthItJ[month - 1] > 0 ? _calendarMonthTotalJ[month - 1] / _calendarMonthItJ[month - 1] : double.NaN;

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

    /// <summary>Net energy from the UPS battery, J: delivered to the load minus drawn to recharge it.</summary>
    public double UpsJ { get; private set; }

    /// <summary>Fuel burned by gas chillers (HHV), J.</summary>
    public double GasJ { get; private set; }

    /// <summary>Electric energy the plant did not draw because gas carried the load, J.</summary>
    public double FreedJ { get; private set; }

    /// <summary>Highest freed power over a step, W.</summary>
    public double FreedPeakW { get; private set; }

    /// <summary>Highest 15-minute grid demand (energy over a clock-aligned 15 minutes; the open interval over the seconds seen), W.</summary>
    public double PeakGridW => Math.Max(_peakDemandClosedW, OpenDemandW);

    private double _peakDemandClosedW;

    private double OpenDemandW => _demandBlockS > 0 ? _demandBlockJ / _demandBlockS : 0;

    /// <summary>Highest grid draw over one control step, W (the meter's instantaneous peak; not what is billed).</summary>
    public double PeakGridStepW { get; private set; }

    /// <summary>Engine heat delivered to a heat-recovery use, J (credited: it displaces heat bought elsewhere).</summary>
    public double HeatRecoveredJ { get; private set; }

    /// <summary>Diesel burned by the standby generators (HHV), J.</summary>
    public double GeneratorFuelJ { get; private set; }

    /// <summary>Diesel bought for the generators, USD.</summary>
    public double GeneratorFuelCostUsd { get; private set; }

    /// <summary>CO2 from generator diesel, kg.</summary>
    public double GeneratorCo2Kg { get; private set; }

    /// <summary>
    /// PUE counting every carrier that enters the site (ISO/IEC 30134-2): grid electricity and the
    /// UPS's net draw at weight 1, chiller gas and generator diesel at their weights (the
    /// generators' electricity is not counted again), over IT energy.
    /// </summary>
    public double PueAllCarriers => ItJ > 0
        ? (GridJ + UpsJ + (TariffSpec.NaturalGasPueWeight * GasJ) + (TariffSpec.FuelOilPueWeight * GeneratorFuelJ)) / ItJ
        : double.NaN;

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
            for (int m = 0; m < _monthPeakW.Length; m++)
            {
                sum += m == _demandBlockMonth && _demandBlockS > 0 ? Math.Max(_monthPeakW[m], OpenDemandW) : _monthPeakW[m];
            }

            return sum * _tariff.DemandChargeUsdPerW;
        }
    }

    /// <summary>All costs, USD.</summary>
    public double CostUsd => EnergyCostUsd + GasCostUsd + GeneratorFuelCostUsd + DemandChargeUsd;

    /// <summary>CO2 from grid electricity, kg.</summary>
    public double GridCo2Kg { get; private set; }

    /// <summary>CO2 from burned gas, kg.</summary>
    public double GasCo2Kg { get; private set; }

    /// <summary>All CO2, kg.</summary>
    public double Co2Kg => GridCo2Kg + GasCo2Kg + GeneratorCo2Kg;

    /// <summary>Records one step and returns the price and carbon intensity that applied to it.</summary>
    public (double PriceUsdPerJ, double CarbonKgPerJ) Record(SimTime start, in FacilitySample s)
    {
        double dt = s.DurationS;
        var local = _calendar.LocalTime(start);
        long localHour = local.Ticks / TimeSpan.TicksPerHour;
        if (localHour != _hourKey)
        {
            double hour = _calendar.HourOfYear(start);
            _hourPrice = _tariff.EnergyPriceUsdPerJ(local, hour);
            _hourCarbon = _tariff.GridCarbonKgPerJ.At(hour);
            _hourMonth = local.Month;
            _hourKey = localHour;
        }

        double price = _hourPrice;
        double carbon = _hourCarbon;
        int month = _hourMonth;

        Seconds += dt;
        ItJ += s.ItW * dt;
        _calendarMonthItJ[month - 1] += s.ItW * dt;
        _calendarMonthTotalJ[month - 1] += s.TotalW * dt;
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
        PeakGridStepW = Math.Max(PeakGridStepW, s.GridW);
        GeneratorFuelJ += s.GeneratorFuelW * dt;
        HeatRecoveredJ += s.HeatRecoveredW * dt;
        GeneratorFuelCostUsd += _tariff.DieselPriceUsdPerJ * s.GeneratorFuelW * dt;
        GeneratorCo2Kg += _tariff.DieselEmissionKgPerJ * s.GeneratorFuelW * dt;
        _capacityJ += s.GridCapW * dt;
        if (s.GridCapW > 0)
        {
            PeakCoolingShareOfCapacity = Math.Max(PeakCoolingShareOfCapacity, s.CoolingElectricW / s.GridCapW);
        }

        EnergyCostUsd += price * s.GridW * dt;
        GasCostUsd += _tariff.GasPriceUsdPerJ * s.GasW * dt;
        GridCo2Kg += carbon * s.GridW * dt;
        GasCo2Kg += _tariff.GasEmissionKgPerJ * s.GasW * dt;

        AddDemand(start.TotalSeconds, dt, s.GridW);

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

    // Grid energy into clock-aligned 15-minute blocks (a step that straddles a boundary is split);
    // a block's demand is its energy over 15 minutes, or over the seconds seen for the run's last,
    // partial block. Each billing month keeps its highest block.
    private void AddDemand(double startS, double dtS, double gridW)
    {
        double t = startS;
        double end = startS + dtS;
        while (t < end)
        {
            long block = (long)Math.Floor(t / DemandIntervalS);
            double blockEnd = (block + 1) * DemandIntervalS;
            double span = Math.Min(end, blockEnd) - t;
            if (block != _demandBlock)
            {
                CloseDemandBlock();
                _demandBlock = block;
                _demandBlockMonth = Math.Clamp(_calendar.BillingMonth(SimTime.FromSeconds(block * DemandIntervalS)), 0, _monthPeakW.Length - 1);
            }

            _demandBlockJ += gridW * span;
            _demandBlockS += span;
            t += span;
            if (_demandBlockS >= DemandIntervalS - 1e-6)
            {
                CloseDemandBlock();
            }
        }
    }

    private void CloseDemandBlock()
    {
        if (_demandBlockS > 0)
        {
            double demandW = _demandBlockJ / Math.Max(_demandBlockS, 1e-9);
            _peakDemandClosedW = Math.Max(_peakDemandClosedW, demandW);
            _monthPeakW[_demandBlockMonth] = Math.Max(_monthPeakW[_demandBlockMonth], demandW);
        }

        _demandBlockJ = 0;
        _demandBlockS = 0;
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
