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
    public void DemandCharge_IsPerBillingMonthPeak()
    {
        var ledger = new FacilityLedger(Tariff(), new SiteCalendar(new DateTime(2026, 1, 31)), 2e6, []);
        ledger.Record(SimTime.Zero, new FacilitySample { DurationS = 3600, GridW = 1e6 });
        ledger.Record(SimTime.FromHours(25), new FacilitySample { DurationS = 3600, GridW = 0.5e6 });
        ledger.Record(SimTime.FromHours(26), new FacilitySample { DurationS = 3600, GridW = 0.7e6 });
        Assert.Equal((1e6 + 0.7e6) * 15.0 / 1e3, ledger.DemandChargeUsd, 1e-6);
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
}
