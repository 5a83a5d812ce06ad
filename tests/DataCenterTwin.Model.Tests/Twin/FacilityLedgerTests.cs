using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Model.Tests.Twin;

public class FacilityLedgerTests
{
    private const double KWh = 3.6e6;

    private static TariffSpec Tariff()
    {
        var carbon = new double[24];
        for (int h = 0; h < 24; h++)
        {
            carbon[h] = (h < 12 ? 0.30 : 0.40) / KWh; // kg/kWh by hour
        }

        return new TariffSpec(0.10 / KWh, [new TouPeriod("peak", 0.20 / KWh, 12, 18, true, [])], null,
            15.0 / 1e3, 4.0 / 1.05505585262e9, new HourlySeries(carbon), TariffSpec.NaturalGasKgPerJ);
    }

    [Fact]
    public void AHandComputedDay_CostAndCo2AreTheIntegralsOfTheirRates()
    {
        // Wednesday 2026-07-01, one-minute steps, a constant 1.3 MW grid draw and 100 kW of fuel.
        var ledger = new FacilityLedger(Tariff(), new SiteCalendar(new DateTime(2026, 7, 1)), 2e6, [50e3]);
        for (int m = 0; m < 24 * 60; m++)
        {
            var s = new FacilitySample
            {
                StartS = m * 60, DurationS = 60, ItW = 1e6, CoolingElectricW = 0.2e6, LossesW = 0.08e6, OtherW = 0.02e6,
                GridW = 1.3e6, GridCapW = 2e6, GasW = 100e3, FreedW = m < 600 ? 0 : 80e3,
            };
            ledger.Record(SimTime.FromSeconds(m * 60), s);
        }

        // Energy: 1,300 kWh an hour; 6 peak hours at 0.20, 18 at 0.10 USD/kWh.
        Assert.Equal(1300 * (6 * 0.20 + 18 * 0.10), ledger.EnergyCostUsd, 1e-6);
        Assert.Equal(1300e3 * 15.0 / 1e3, ledger.DemandChargeUsd, 1e-6);
        // Gas: 2,400 kWh of fuel = 8.189 MMBtu at 4 USD.
        Assert.Equal(2400 * KWh * 4.0 / 1.05505585262e9, ledger.GasCostUsd, 1e-9);
        Assert.Equal(1300 * (12 * 0.30 + 12 * 0.40), ledger.GridCo2Kg, 1e-6);
        Assert.Equal(2400 * 0.18105, ledger.GasCo2Kg, 0.01);
        Assert.Equal(1300 * 24 * KWh, ledger.TotalJ, 1e-3);
        Assert.Equal(86_400, ledger.Seconds, 9);
        Assert.Equal(80e3, ledger.FreedPeakW);
        Assert.Equal(14, ledger.FreedHoursAbove[0], 9);
        Assert.Equal(80e3, ledger.FreedQuantileW(0.5), 2e6 / 1000);
        Assert.Equal(0, ledger.FreedQuantileW(0.3));
        Assert.Equal(0.1, ledger.PeakCoolingShareOfCapacity, 12);
    }

    [Fact]
    public void PriceAndCarbon_OfEveryStep_AreTheTariffsAtItsLocalTime()
    {
        // Steps of 7 minutes (they straddle hour boundaries) over a week that crosses a month end,
        // a weekend and the peak period's edges: each step's price and carbon, which the ledger keeps
        // for the local hour, against the tariff worked afresh at the step's own start.
        var tariff = Tariff();
        var calendar = new SiteCalendar(new DateTime(2026, 6, 27, 5, 30, 0));
        var ledger = new FacilityLedger(tariff, calendar, 2e6, []);
        int peakSteps = 0;
        for (int m = 0; m < 7 * 24 * 60; m += 7)
        {
            var start = SimTime.FromSeconds(m * 60);
            var local = calendar.LocalTime(start);
            double coolingW = local.Month == 6 ? 0.5e6 : 0.25e6; // each step's calendar month shows in its month's PUE
            var (price, carbon) = ledger.Record(start, new FacilitySample { StartS = m * 60, DurationS = 420, ItW = 1e6, CoolingElectricW = coolingW, GridW = 1.2e6 });
            Assert.Equal(tariff.EnergyPriceUsdPerJ(local, calendar.HourOfYear(start)), price);
            Assert.Equal(tariff.GridCarbonKgPerJ.At(calendar.HourOfYear(start)), carbon);
            peakSteps += price > tariff.BaseEnergyPriceUsdPerJ ? 1 : 0;
        }

        // Peak: 12:00-18:00 on the five weekdays of the week (29 June to 3 July), 360 minutes each:
        // 51 or 52 seven-minute steps start in each.
        Assert.InRange(peakSteps, 5 * 51, 5 * 52);
        Assert.Equal(1.5, ledger.PueInMonth(6), 12);
        Assert.Equal(1.25, ledger.PueInMonth(7), 12);
    }

    [Fact]
    public void DemandCharge_IsPerBillingMonthPeak()
    {
        var ledger = new FacilityLedger(Tariff(), new SiteCalendar(new DateTime(2026, 1, 31)), 2e6, []);
        ledger.Record(SimTime.Zero, new FacilitySample { DurationS = 3600, GridW = 1e6 });
        ledger.Record(SimTime.FromHours(25), new FacilitySample { DurationS = 3600, GridW = 0.5e6 });
        ledger.Record(SimTime.FromHours(26), new FacilitySample { DurationS = 3600, GridW = 0.7e6 });
        Assert.Equal((1e6 + 0.7e6) * 15.0 / 1e3, ledger.DemandChargeUsd, 1e-6);
    }

    [Fact]
    public void PeakAndDemandCharge_Use15MinuteDemand_KnownAnswer()
    {
        // One-minute steps from midnight: 1,000 kW, except minutes 20–21 (1,975 kW: a UPS recharge
        // burst) and minutes 30–44 at 1,200 kW. 15-minute blocks by hand: [0,15) 1,000;
        // [15,30) (13·1,000 + 2·1,975)/15 = 1,130; [30,45) 1,200; [45,60) 1,000. The billed peak is
        // 1,200 kW (the burst alone would have billed 1,975 kW): 1,200 × 15 USD/kW = 18,000 USD.
        var ledger = new FacilityLedger(Tariff(), new SiteCalendar(new DateTime(2026, 7, 1)), 2e6, []);
        for (int m = 0; m < 60; m++)
        {
            double w = m is 20 or 21 ? 1_975e3 : m is >= 30 and < 45 ? 1_200e3 : 1_000e3;
            ledger.Record(SimTime.FromSeconds(m * 60), new FacilitySample { StartS = m * 60, DurationS = 60, GridW = w });
        }

        Assert.Equal(1_200e3, ledger.PeakGridW, 6);
        Assert.Equal(1_975e3, ledger.PeakGridStepW, 6);
        Assert.Equal(18_000, ledger.DemandChargeUsd, 6);

        // A step straddling a block boundary is split: 10 minutes at 2,000 kW from minute 55
        // fills [45,60) with 5 min at 2,000 (→ (10·1,000 + 5·2,000)/15 = 1,333.33 kW) and opens
        // [60,75) with 5 min at 2,000 kW (the open block counts over the seconds it has).
        var straddle = new FacilityLedger(Tariff(), new SiteCalendar(new DateTime(2026, 7, 1)), 2e6, []);
        straddle.Record(SimTime.Zero, new FacilitySample { DurationS = 3300, GridW = 1_000e3 });
        straddle.Record(SimTime.FromSeconds(3300), new FacilitySample { StartS = 3300, DurationS = 600, GridW = 2_000e3 });
        Assert.Equal(2_000e3, straddle.PeakGridW, 6);
        straddle.Record(SimTime.FromSeconds(3900), new FacilitySample { StartS = 3900, DurationS = 600, GridW = 0 });
        Assert.Equal(1_333_333.33, straddle.PeakGridW, 2);
    }

    [Fact]
    public void GeneratorDieselAndPueAllCarriers_KnownAnswer()
    {
        // One hour: 1,000 kW IT, 1,300 kW total from the grid, 100 kW of chiller gas, and 10 kW of
        // generator diesel. Diesel: 10 kWh = 0.034121 MMBtu → 73.96 × 0.034121 = 2.5236 kg CO2.
        // PUE, electric only: 1.3. All carriers (ISO/IEC 30134-2, weights 1 / 0.31 / 0.29):
        // (1,300 + 0.31·100 + 0.29·10) / 1,000 = 1.3339.
        var ledger = new FacilityLedger(Tariff(), new SiteCalendar(new DateTime(2026, 7, 1)), 2e6, []);
        ledger.Record(SimTime.Zero, new FacilitySample
        {
            DurationS = 3600, ItW = 1_000e3, CoolingElectricW = 300e3, GridW = 1_300e3, GasW = 100e3, GeneratorFuelW = 10e3,
        });
        Assert.Equal(1.3, ledger.TotalJ / ledger.ItJ, 12);
        Assert.Equal(1.3339, ledger.PueAllCarriers, 9);
        Assert.Equal(2.5236, ledger.GeneratorCo2Kg, 4);
        Assert.Equal(10 * KWh * TariffSpec.DieselUsdPerJ, ledger.GeneratorFuelCostUsd, 9);
        Assert.True(ledger.CostUsd > ledger.EnergyCostUsd + ledger.GasCostUsd + ledger.DemandChargeUsd);
    }

    [Fact]
    public void IntervalAverager_KeepsEnergyExactAndTemperatureExtremes()
    {
        var avg = new IntervalAverager();
        avg.Add(new FacilitySample { StartS = 0, DurationS = 30, ItW = 100, InletMinC = 20, InletMaxC = 25, InletMeanC = 22, ItCapW = double.PositiveInfinity });
        avg.Add(new FacilitySample { StartS = 30, DurationS = 90, ItW = 200, InletMinC = 19, InletMaxC = 24, InletMeanC = 21, ItCapW = 150 });
        var i = avg.Close();
        Assert.Equal(0, i.StartS);
        Assert.Equal(120, i.DurationS);
        Assert.Equal((100 * 30 + 200 * 90) / 120.0, i.ItW, 12);
        Assert.Equal(19, i.InletMinC);
        Assert.Equal(25, i.InletMaxC);
        Assert.Equal(21.25, i.InletMeanC, 12);
        Assert.Equal(150, i.ItCapW);
        Assert.Equal(0, avg.AccumulatedS);
    }

    [Fact]
    public void PueByMonth_SplitsAtTheCalendarMonth()
    {
        // Starts 31 January 23:00: one hour in January at IT 1 MW + cooling 0.2 MW (PUE 1.2), then a
        // day into February at IT 1 MW + cooling 0.1 MW + losses 0.05 MW (PUE 1.15).
        var ledger = new FacilityLedger(Tariff(), new SiteCalendar(new DateTime(2026, 1, 31, 23, 0, 0)), 2e6, []);
        ledger.Record(SimTime.Zero, new FacilitySample { DurationS = 3600, ItW = 1e6, CoolingElectricW = 0.2e6 });
        ledger.Record(SimTime.FromHours(1), new FacilitySample { DurationS = 86_400, ItW = 1e6, CoolingElectricW = 0.1e6, LossesW = 0.05e6 });
        Assert.Equal(1.2, ledger.PueInMonth(1), 12);
        Assert.Equal(1.15, ledger.PueInMonth(2), 12);
        Assert.True(double.IsNaN(ledger.PueInMonth(3)));
    }
}
